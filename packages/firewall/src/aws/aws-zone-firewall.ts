/**
 * `AwsZoneFirewall`: one security group per role, every rule generated from the zone
 * flows as a separate rule resource.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FLOWS, ROLES, VPN_CIDR, throwIfProblems, zoneOf, type Flow } from "@pfv5/zones";
import { AWS_DEFAULT_BASTION_SSH, AWS_GROUP_ROLES, type AwsGroupRole } from "./defaults";
import { planAwsFirewallRules, type AwsRuleSpec } from "./plan";
import { checkAwsZoneFirewallArgs } from "./validate";

export interface AwsZoneFirewallArgs {
  /** The VPC the groups belong to (e.g. `AwsNetwork.vpcId`). */
  readonly vpcId: pulumi.Input<string>;
  /**
   * The VPC's block, plain (e.g. `AwsNetwork.vpcCidr`): checked against the VPN range.
   */
  readonly vpcCidr: string;
  /**
   * The authorized administrator CIDRs: the `admins` role, one SSH rule each on the
   * bastion. Never the whole internet; empty only with `enableBastionSsh: false`.
   */
  readonly adminCidrs: readonly string[];
  /**
   * The addresses WireGuard hands to clients: the `vpn-clients` role. The VPN server
   * must forward their packets without masquerading, or the targets see its own address.
   * @default VPN_CIDR (10.100.0.0/24)
   */
  readonly vpnCidr?: string;
  /**
   * The allowed flows, replacing the zone model's. Prefer `extraFlows` to add to it.
   * @default FLOWS
   */
  readonly flows?: readonly Flow[];
  /**
   * Flows added to `flows`. Checked like the rest: a bad one fails construction, naming it.
   * @default []
   */
  readonly extraFlows?: readonly Flow[];
  /**
   * Whether `admins` may reach the bastion on SSH. Off drops every `admins -> bastion`
   * flow (for a bastion reached through SSM Session Manager instead).
   * @default AWS_DEFAULT_BASTION_SSH (true)
   */
  readonly enableBastionSsh?: boolean;
  /**
   * Prefix of the `Name` tags, apart from the logical names.
   * @default the component name
   */
  readonly nameTagPrefix?: string;
  /**
   * Tags merged onto every group and rule. `Name`, `pfv5:role`, `pfv5:zone` and
   * `pfv5:flow` are set by the firewall and refused here.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class AwsZoneFirewall extends pulumi.ComponentResource {
  /** The security group of each role. */
  readonly securityGroupIds: Record<AwsGroupRole, pulumi.Output<string>>;
  /** Rule ids by rule key (`<flow id>-<in|out>-<ports>[-<cidr>]`). */
  readonly ruleIds: Record<string, pulumi.Output<string>>;
  /** The planned rules, plain, in creation order. */
  readonly rules: readonly AwsRuleSpec[];

  constructor(name: string, args: AwsZoneFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`AwsZoneFirewall "${name}"`, checkAwsZoneFirewallArgs(args));
    super("pfv5:firewall:AwsZoneFirewall", name, {}, opts);

    const bastionSsh = args.enableBastionSsh ?? AWS_DEFAULT_BASTION_SSH;
    const flows = [...(args.flows ?? FLOWS), ...(args.extraFlows ?? [])].filter(
      (f) => bastionSsh || !(f.from === "admins" && f.to === "bastion"),
    );
    const rules = planAwsFirewallRules({ flows, adminCidrs: args.adminCidrs, vpnCidr: args.vpnCidr ?? VPN_CIDR });
    const tagPrefix = args.nameTagPrefix ?? name;

    const groups = {} as Record<AwsGroupRole, aws.ec2.SecurityGroup>;
    for (const role of AWS_GROUP_ROLES) {
      const zone = zoneOf(role);
      const about = ROLES.find((r) => r.role === role)?.description ?? role;
      // No inline ingress/egress, not even empty lists: inline rules and rule resources
      // overwrite each other on the next update. The provider revokes AWS's default
      // allow-all egress when it creates a group, so a group starts with no rules.
      groups[role] = new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        {
          vpcId: args.vpcId,
          description: `pfv5 ${role} (${zone} zone): ${about}`,
          // Rules referencing this group from others would block its deletion otherwise.
          revokeRulesOnDelete: true,
          tags: { ...args.tags, Name: `${tagPrefix}-${role}`, "pfv5:role": role, "pfv5:zone": zone },
        },
        { parent: this },
      );
    }

    const ruleIds: Record<string, pulumi.Output<string>> = {};
    for (const spec of rules) {
      const ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs = {
        securityGroupId: groups[spec.group].id,
        ipProtocol: spec.ipProtocol,
        ...(spec.fromPort !== undefined ? { fromPort: spec.fromPort, toPort: spec.toPort } : {}),
        ...(spec.peer.kind === "group"
          ? { referencedSecurityGroupId: groups[spec.peer.role].id }
          : spec.peer.ipVersion === 4
            ? { cidrIpv4: spec.peer.cidr }
            : { cidrIpv6: spec.peer.cidr }),
        description: spec.description,
        tags: { ...args.tags, Name: `${tagPrefix}-${spec.key}`, "pfv5:flow": spec.flowId },
      };
      const rule =
        spec.direction === "ingress"
          ? new aws.vpc.SecurityGroupIngressRule(`${name}-${spec.key}`, ruleArgs, { parent: this })
          : new aws.vpc.SecurityGroupEgressRule(`${name}-${spec.key}`, ruleArgs, { parent: this });
      ruleIds[spec.key] = rule.id;
    }

    this.securityGroupIds = Object.fromEntries(AWS_GROUP_ROLES.map((r) => [r, groups[r].id])) as Record<AwsGroupRole, pulumi.Output<string>>;
    this.ruleIds = ruleIds;
    this.rules = rules;
    this.registerOutputs({ securityGroupIds: this.securityGroupIds, ruleIds: this.ruleIds, rules: this.rules });
  }
}
