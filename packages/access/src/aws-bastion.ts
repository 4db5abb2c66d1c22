/**
 * The AWS access host: an EC2 instance in a DMZ subnet that serves SSH to the authorized
 * blocks, WireGuard to VPN clients, or both, and is always reachable through SSM Session
 * Manager (so `ssh: false` leaves no inbound port at all).
 *
 * The Elastic IP sits on a network interface created before the instance, so the host
 * has its public address from the first second of boot (cloud-init installs packages
 * then) and keeps it across replacements. User data is applied at first boot only, so any
 * change to it replaces the instance: the host is immutable and holds no state.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import {
  AL2023_AMI_NAME_FILTER,
  AL2023_AMI_OWNER,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_METADATA_HOP_LIMIT,
  DEFAULT_ROOT_VOLUME_GIB,
} from "./defaults";
import type { HostRole } from "./nftables";
import { checkAccessHostArgs, planAccessHost, type AccessHostArgs } from "./plan";
import { checkUserDataSize, EC2_USER_DATA, renderHostUserData, userDataSize } from "./user-data";
import { WireGuardServer } from "./wireguard-server";

/** The retention periods CloudWatch Logs accepts, in days. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** AWS managed policies of the instance role: Session Manager, and the CloudWatch agent. */
export const BASTION_MANAGED_POLICIES: readonly string[] = [
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
];

export interface AwsBastionArgs extends AccessHostArgs {
  /** A DMZ (public) subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** The security group of the host's role (bastion or VPN server), from the firewall. */
  readonly securityGroupId: pulumi.Input<string>;
  /**
   * The image. Required here; {@link AwsBastion.create} looks up the latest Amazon Linux
   * 2023 image when it is left out. The renderer targets AL2023.
   */
  readonly amiId?: string;
  /**
   * Keep the running host on its image when `amiId` (or the lookup's answer) changes; set
   * `false` to roll the host onto the new image at the next update.
   * @default true
   */
  readonly pinAmi?: boolean;
  /** @default DEFAULT_INSTANCE_TYPE (t3.micro) */
  readonly instanceType?: string;
  /** @default DEFAULT_ROOT_VOLUME_GIB (8) */
  readonly rootVolumeSizeGib?: number;
  /** KMS key for the root volume. @default the account's EBS default key */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Days CloudWatch keeps the host's logs. @default DEFAULT_LOG_RETENTION_DAYS (30) */
  readonly logRetentionDays?: number;
  /** @default `/pfv5/<name>` */
  readonly logGroupName?: string;
  /** IMDSv2 hop limit. @default DEFAULT_METADATA_HOP_LIMIT (1) */
  readonly metadataHopLimit?: number;
  /** The Name tag. @default the component name */
  readonly nameTag?: string;
  /** Tags for every resource that takes them. */
  readonly tags?: Readonly<Record<string, string>>;
}

function checkAwsArgs(args: AwsBastionArgs): Problem[] {
  const problems: Problem[] = [];
  if (args.amiId === undefined) {
    problems.push({ key: "amiId", value: undefined, message: 'is required with `new AwsBastion(...)`: pass an image id, or use `await AwsBastion.create(...)`, which looks up the latest Amazon Linux 2023 image' });
  } else if (!/^ami-[0-9a-f]{8,17}$/.test(args.amiId)) {
    problems.push({ key: "amiId", value: args.amiId, message: "is not an AMI id such as ami-0123456789abcdef0" });
  }
  const retention = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  if (!CLOUDWATCH_RETENTION_DAYS.includes(retention)) {
    problems.push({ key: "logRetentionDays", value: retention, message: `is not a retention CloudWatch accepts: use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}` });
  }
  const size = args.rootVolumeSizeGib ?? DEFAULT_ROOT_VOLUME_GIB;
  if (!Number.isInteger(size) || size < DEFAULT_ROOT_VOLUME_GIB || size > 16384) {
    problems.push({ key: "rootVolumeSizeGib", value: size, message: `expected whole GiB from ${DEFAULT_ROOT_VOLUME_GIB} (the image's size) to 16384` });
  }
  const hops = args.metadataHopLimit ?? DEFAULT_METADATA_HOP_LIMIT;
  if (!Number.isInteger(hops) || hops < 1 || hops > 64) {
    problems.push({ key: "metadataHopLimit", value: hops, message: "expected a whole number from 1 to 64 (1 keeps the instance role away from containers)" });
  }
  if (args.logGroupName !== undefined && !/^[A-Za-z0-9_\-/.#]{1,512}$/.test(args.logGroupName)) {
    problems.push({ key: "logGroupName", value: args.logGroupName, message: "may hold only letters, digits and _-/.# (at most 512)" });
  }
  return problems;
}

/** Looks up the latest Amazon Linux 2023 x86_64 image and returns its id. */
export async function lookupAl2023Ami(opts?: pulumi.InvokeOptions): Promise<string> {
  const ami = await aws.ec2.getAmi(
    {
      owners: [AL2023_AMI_OWNER],
      mostRecent: true,
      filters: [
        { name: "name", values: [AL2023_AMI_NAME_FILTER] },
        { name: "architecture", values: ["x86_64"] },
        { name: "state", values: ["available"] },
      ],
    },
    opts,
  );
  return ami.id;
}

export class AwsBastion extends pulumi.ComponentResource {
  /** The roles the host serves (empty: reachable through Session Manager only). */
  readonly roles: readonly HostRole[];
  /** The image the instance was created from. */
  readonly amiId: string;
  /** The rendered host firewall, for review. */
  readonly nftablesRuleset: string;
  readonly instanceId: pulumi.Output<string>;
  readonly networkInterfaceId: pulumi.Output<string>;
  /** The Elastic IP: the SSH address and the VPN endpoint. */
  readonly publicIp: pulumi.Output<string>;
  readonly privateIp: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** The cloud-config. Secret when it carries the WireGuard key. */
  readonly userData: pulumi.Output<string>;
  /** The VPN, when `vpn` is set. */
  readonly vpn?: WireGuardServer;
  /** Client configurations keyed by peer name (empty without a VPN). Secret. */
  readonly clientConfigs: pulumi.Output<Record<string, string>>;

  /**
   * Creates the host after looking up the Amazon Linux 2023 image (unless `amiId` is
   * given). The lookup is awaited first, so the image id is a plain value the preview sees.
   */
  static async create(name: string, args: AwsBastionArgs, opts?: pulumi.ComponentResourceOptions): Promise<AwsBastion> {
    const amiId = args.amiId ?? (await lookupAl2023Ami({ ...(opts?.provider !== undefined ? { provider: opts.provider } : {}) }));
    return new AwsBastion(name, { ...args, amiId }, opts);
  }

  constructor(name: string, args: AwsBastionArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate -> defaults -> plan, all before anything is registered.
    const problems = [...checkAccessHostArgs(args), ...checkAwsArgs(args)];
    const logGroupName = args.logGroupName ?? `/pfv5/${name}`;
    if (problems.length === 0) problems.push(...checkUserDataSize(args, (p) => userDataSize(p, "al2023", { logGroupName }), EC2_USER_DATA));
    const plan = problems.length === 0 ? planAccessHost(args) : undefined;
    throwIfProblems(`AwsBastion "${name}"`, problems);
    if (plan === undefined || args.amiId === undefined) throw new Error("unreachable: validation passed without a plan");
    super("pfv5:access:AwsBastion", name, {}, opts);

    this.roles = plan.roles;
    this.amiId = args.amiId;
    this.nftablesRuleset = plan.nftables;
    const tags = { ...args.tags, Name: args.nameTag ?? name, Role: plan.roles.length > 0 ? plan.roles.join("+") : "bastion-ssm" };

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, tags },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Instance role of the access host ${name}: Session Manager and the CloudWatch agent`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
      },
      { parent: this },
    );
    const attachments = BASTION_MANAGED_POLICIES.map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop() ?? "policy"}`, { role: role.id, policyArn }, { parent: this }),
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.id, tags }, { parent: this });

    // Source/destination checking stays on: VPN traffic leaves masqueraded to this
    // interface's own address, so the host never forwards packets it does not own.
    const eni = new aws.ec2.NetworkInterface(
      `${name}-eni`,
      { subnetId: args.subnetId, securityGroups: [args.securityGroupId], description: `Primary interface of ${name}`, tags },
      { parent: this },
    );
    const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", networkInterface: eni.id, tags }, { parent: this });

    if (args.vpn !== undefined) {
      this.vpn = new WireGuardServer(`${name}-vpn`, { ...args.vpn, endpoint: eip.publicIp, vpcCidr: args.vpcCidr }, { parent: this });
    }
    const vpn = this.vpn;
    this.userData =
      vpn === undefined
        ? pulumi.output(renderHostUserData(plan, "al2023", { logGroupName }))
        : pulumi.secret(vpn.serverConfig.apply((serverConfig) => renderHostUserData(plan, "al2023", { logGroupName, serverConfig })));

    const instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: args.amiId,
        instanceType: args.instanceType ?? DEFAULT_INSTANCE_TYPE,
        primaryNetworkInterface: { networkInterfaceId: eni.id },
        iamInstanceProfile: profile.id,
        monitoring: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: args.metadataHopLimit ?? DEFAULT_METADATA_HOP_LIMIT,
          instanceMetadataTags: "disabled",
        },
        rootBlockDevice: {
          encrypted: true,
          volumeType: "gp3",
          volumeSize: args.rootVolumeSizeGib ?? DEFAULT_ROOT_VOLUME_GIB,
          deleteOnTermination: true,
          ...(args.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
        },
        userData: this.userData,
        userDataReplaceOnChange: true,
        tags,
      },
      {
        parent: this,
        // The log group and the role's policies exist before the agents start at boot.
        dependsOn: [logGroup, ...attachments],
        // The interface can hold one instance: the old one goes before the new one comes.
        deleteBeforeReplace: true,
        ignoreChanges: args.pinAmi === false ? [] : ["ami"],
        additionalSecretOutputs: vpn === undefined ? [] : ["userData"],
      },
    );

    this.instanceId = instance.id;
    this.networkInterfaceId = eni.id;
    this.publicIp = eip.publicIp;
    this.privateIp = eni.privateIp;
    this.roleName = role.id;
    this.logGroupName = logGroup.name;
    this.clientConfigs = vpn?.clientConfigs ?? pulumi.secret(pulumi.output<Record<string, string>>({}));
    this.registerOutputs({
      roles: this.roles,
      amiId: this.amiId,
      nftablesRuleset: this.nftablesRuleset,
      instanceId: this.instanceId,
      networkInterfaceId: this.networkInterfaceId,
      publicIp: this.publicIp,
      privateIp: this.privateIp,
      roleName: this.roleName,
      logGroupName: this.logGroupName,
      userData: this.userData,
      clientConfigs: this.clientConfigs,
    });
  }
}
