/**
 * `AwsNetwork`: a VPC laid out by security zone. Per availability zone a DMZ (public),
 * app and mgmt (private, through NAT) and data (isolated, no route out) subnet; an
 * internet gateway; NAT gateways per AZ or one; a route table per subnet; a network ACL
 * per tier with the incident blocklist first and then only what the zone model lets across
 * the VPC's edge (see `network-acl.ts`); the default security group stripped of its rules;
 * VPC flow logs to CloudWatch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TIERS, throwIfProblems, type AddressPlan, type Tier } from "@pfv5/zones";
import {
  AWS_DEFAULT_ADDRESS_PLAN,
  AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS,
  AWS_DEFAULT_NAT_STRATEGY,
  type AwsNatStrategy,
} from "./defaults";
import { createFlowLog } from "./flow-logs";
import { planAwsNetwork, type AwsNetworkPlan, type AwsSubnetPlan } from "./plan";
import { checkAwsNetworkArgs } from "./validate";

export interface AwsNetworkArgs {
  /**
   * The availability zones, as plain names in order (config, or the names from an
   * awaited `aws.getAvailabilityZones`). Never an Output: the zones shape the resource
   * graph, which must be known at preview.
   */
  readonly availabilityZones: readonly string[];
  /**
   * How many of `availabilityZones` to use, from the first. More than the address plan
   * has subnets per tier is an error.
   * @default availabilityZones.length
   */
  readonly azCount?: number;
  /**
   * The VPC block and, per tier, one subnet block per zone in order.
   * @default AWS_DEFAULT_ADDRESS_PLAN (10.0.0.0/16; dmz 10.0.1-3.0/24, app 10.0.10-12.0/24, data 10.0.20-22.0/24, mgmt 10.0.30-32.0/24)
   */
  readonly addressPlan?: AddressPlan;
  /**
   * `perAz`: a NAT gateway in each zone's DMZ subnet, each private subnet using its own
   * zone's. `single`: one NAT gateway in the first zone for all (cheaper, not zone-resilient).
   * @default AWS_DEFAULT_NAT_STRATEGY ("perAz")
   */
  readonly natStrategy?: AwsNatStrategy;
  /**
   * Days CloudWatch keeps the VPC flow logs; one of the values CloudWatch accepts.
   * @default AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS (365)
   */
  readonly flowLogRetentionDays?: number;
  /**
   * A KMS key ARN to encrypt the flow log group with (its key policy must let CloudWatch
   * Logs use it).
   * @default none: CloudWatch's own encryption
   */
  readonly flowLogKmsKeyArn?: pulumi.Input<string>;
  /**
   * Source CIDRs to deny in and out on every tier (incident response): network ACL deny
   * entries ahead of every allow entry. IPv4 only; none may overlap the VPC or `adminCidrs`.
   * @default []
   */
  readonly blockedCidrs?: readonly string[];
  /**
   * The authorized administrator CIDRs (the same list the firewall opens SSH to). The
   * DMZ's network ACL lets each in on the zone model's admin flows (tcp 22 to the bastion),
   * one entry per CIDR; no other source reaches port 22 through it. A blocklist entry
   * overlapping them is refused. Pass none when bastion SSH is off, so the ACL opens nothing.
   * @default []
   */
  readonly adminCidrs?: readonly string[];
  /**
   * The account's quota of rules per network ACL and direction. Every entry of the busiest
   * ACL must fit: in the DMZ's inbound side the blocklist, eight entries of the zone model
   * (six allows and two RDP denies) and one entry per admin CIDR. At AWS's default of 20
   * that leaves room for 12 blocked CIDRs, or 10 beside two admin CIDRs.
   * @default AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT (20)
   */
  readonly networkAclRuleLimit?: number;
  /**
   * An EKS cluster that shares the subnets: adds `kubernetes.io/cluster/<name>=shared`
   * to the DMZ and app subnets. The load-balancer role tags are always set.
   * @default none
   */
  readonly kubernetesClusterName?: string;
  /**
   * Prefix of the `Name` tags, apart from the logical names so a new prefix retags
   * without replacing anything.
   * @default the component name
   */
  readonly nameTagPrefix?: string;
  /**
   * Tags merged onto every resource that takes tags. The keys the component sets itself
   * (`Name`, `pfv5:tier`, `pfv5:egress`, the Kubernetes role tags) are refused.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One subnet as other components see it. */
export interface AwsSubnetInfo {
  readonly id: pulumi.Output<string>;
  readonly az: string;
  readonly cidr: string;
}

export class AwsNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** Per tier, one subnet per zone in zone order. */
  readonly subnets: Record<Tier, AwsSubnetInfo[]>;
  /** Per tier, the subnet ids in zone order. */
  readonly subnetIds: Record<Tier, pulumi.Output<string>[]>;
  /** Per tier, the route table ids in zone order (each subnet has its own table). */
  readonly routeTableIds: Record<Tier, pulumi.Output<string>[]>;
  /** In zone order: one per zone (`perAz`) or one (`single`). */
  readonly natGatewayIds: pulumi.Output<string>[];
  /** The NAT gateways' public addresses, for partners' allowlists. */
  readonly natPublicIps: pulumi.Output<string>[];
  readonly internetGatewayId: pulumi.Output<string>;
  readonly defaultSecurityGroupId: pulumi.Output<string>;
  /** Per tier, the network ACL: the blocklist, then the zone model's allows. */
  readonly networkAclIds: Record<Tier, pulumi.Output<string>>;
  readonly flowLogId: pulumi.Output<string>;
  readonly flowLogGroupName: pulumi.Output<string>;
  /** The blocklist in force (plain, as given). */
  readonly blockedCidrs: readonly string[];

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a bad argument leaves no trace in the stack.
    throwIfProblems(`AwsNetwork "${name}"`, checkAwsNetworkArgs(args));
    super("pfv5:network:AwsNetwork", name, {}, opts);

    const azCount = args.azCount ?? args.availabilityZones.length;
    const plan = planAwsNetwork({
      addressPlan: args.addressPlan ?? AWS_DEFAULT_ADDRESS_PLAN,
      availabilityZones: args.availabilityZones.slice(0, azCount),
      natStrategy: args.natStrategy ?? AWS_DEFAULT_NAT_STRATEGY,
      blockedCidrs: args.blockedCidrs ?? [],
      adminCidrs: args.adminCidrs ?? [],
    });
    const tagPrefix = args.nameTagPrefix ?? name;
    const tags = (suffix: string, extra: Record<string, string> = {}): Record<string, string> => ({
      ...args.tags,
      ...extra,
      Name: `${tagPrefix}-${suffix}`,
    });
    const child = { parent: this };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: plan.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tags("vpc") },
      child,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, child);

    // Adopting the default group revokes every rule it has (AWS creates allow-from-self
    // in and allow-all out). No ingress/egress keys: the provider treats them as
    // "unmanaged" when absent, and an empty list is not honoured either
    // (hashicorp/terraform-provider-aws#20697), so drift is left to the policy pack.
    const defaultSg = new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: tags("default-sg") },
      child,
    );

    const subnets = this.createSubnets(name, plan, vpc, args, tags);
    const nats = this.createNatGateways(name, plan, subnets, igw, tags);
    const routeTables = this.createRouting(name, plan, vpc, subnets, igw, nats.gateways, tags);
    const networkAcls = this.createNetworkAcls(name, plan, vpc, subnets, tags);
    const flowLog = createFlowLog(
      name,
      {
        vpc,
        retentionInDays: args.flowLogRetentionDays ?? AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS,
        kmsKeyArn: args.flowLogKmsKeyArn,
        tags,
      },
      this,
    );

    const byTier = <T>(pick: (s: AwsSubnetPlan) => T): Record<Tier, T[]> =>
      Object.fromEntries(TIERS.map((t) => [t, plan.subnets.filter((s) => s.tier === t).map(pick)])) as Record<Tier, T[]>;
    const subnetOf = (s: AwsSubnetPlan): aws.ec2.Subnet => must(subnets.get(s.key), s.key);

    this.vpcId = vpc.id;
    this.vpcCidr = plan.cidr;
    this.availabilityZones = plan.availabilityZones;
    this.subnets = byTier((s) => ({ id: subnetOf(s).id, az: s.az, cidr: s.cidr }));
    this.subnetIds = byTier((s) => subnetOf(s).id);
    this.routeTableIds = byTier((s) => must(routeTables.get(s.key), s.key).id);
    this.natGatewayIds = nats.gateways.map((n) => n.id);
    this.natPublicIps = nats.eips.map((e) => e.publicIp);
    this.internetGatewayId = igw.id;
    this.defaultSecurityGroupId = defaultSg.id;
    this.networkAclIds = Object.fromEntries(TIERS.map((t) => [t, must(networkAcls.get(t), t).id])) as Record<Tier, pulumi.Output<string>>;
    this.flowLogId = flowLog.flowLog.id;
    this.flowLogGroupName = flowLog.logGroup.name;
    this.blockedCidrs = [...(args.blockedCidrs ?? [])];

    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      availabilityZones: this.availabilityZones,
      subnets: this.subnets,
      subnetIds: this.subnetIds,
      routeTableIds: this.routeTableIds,
      natGatewayIds: this.natGatewayIds,
      natPublicIps: this.natPublicIps,
      internetGatewayId: this.internetGatewayId,
      defaultSecurityGroupId: this.defaultSecurityGroupId,
      networkAclIds: this.networkAclIds,
      flowLogId: this.flowLogId,
      flowLogGroupName: this.flowLogGroupName,
      blockedCidrs: this.blockedCidrs,
    });
  }

  private createSubnets(name: string, plan: AwsNetworkPlan, vpc: aws.ec2.Vpc, args: AwsNetworkArgs, tags: TagFn): Map<string, aws.ec2.Subnet> {
    const out = new Map<string, aws.ec2.Subnet>();
    for (const s of plan.subnets) {
      const extra: Record<string, string> = { "pfv5:tier": s.tier, "pfv5:egress": s.egress };
      if (s.kubernetesRole !== undefined) {
        extra[`kubernetes.io/role/${s.kubernetesRole}`] = "1";
        if (args.kubernetesClusterName !== undefined) extra[`kubernetes.io/cluster/${args.kubernetesClusterName}`] = "shared";
      }
      out.set(
        s.key,
        new aws.ec2.Subnet(
          `${name}-${s.key}`,
          {
            vpcId: vpc.id,
            cidrBlock: s.cidr,
            availabilityZone: s.az,
            mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
            tags: tags(s.key, extra),
          },
          { parent: this },
        ),
      );
    }
    return out;
  }

  private createNatGateways(
    name: string,
    plan: AwsNetworkPlan,
    subnets: Map<string, aws.ec2.Subnet>,
    igw: aws.ec2.InternetGateway,
    tags: TagFn,
  ): { gateways: aws.ec2.NatGateway[]; eips: aws.ec2.Eip[] } {
    const gateways: aws.ec2.NatGateway[] = [];
    const eips: aws.ec2.Eip[] = [];
    for (const n of plan.natGateways) {
      const eip = new aws.ec2.Eip(`${name}-${n.key}-eip`, { domain: "vpc", tags: tags(`${n.key}-eip`) }, { parent: this });
      // A public NAT gateway needs the internet gateway attached before it can pass
      // traffic; nothing in its inputs says so, hence the explicit dependency.
      gateways.push(
        new aws.ec2.NatGateway(
          `${name}-${n.key}`,
          {
            connectivityType: "public",
            allocationId: eip.allocationId,
            subnetId: must(subnets.get(n.subnetKey), n.subnetKey).id,
            tags: tags(n.key, { "pfv5:tier": "dmz" }),
          },
          { parent: this, dependsOn: [igw] },
        ),
      );
      eips.push(eip);
    }
    return { gateways, eips };
  }

  private createRouting(
    name: string,
    plan: AwsNetworkPlan,
    vpc: aws.ec2.Vpc,
    subnets: Map<string, aws.ec2.Subnet>,
    igw: aws.ec2.InternetGateway,
    gateways: aws.ec2.NatGateway[],
    tags: TagFn,
  ): Map<string, aws.ec2.RouteTable> {
    const natByKey = new Map(plan.natGateways.map((n, i) => [n.key, gateways[i]]));
    const tables = new Map<string, aws.ec2.RouteTable>();
    for (const s of plan.subnets) {
      // Routes are separate resources, never the table's inline `routes`: the two forms
      // overwrite each other.
      const table = new aws.ec2.RouteTable(
        `${name}-${s.key}-rt`,
        { vpcId: vpc.id, tags: tags(`${s.key}-rt`, { "pfv5:tier": s.tier, "pfv5:egress": s.egress }) },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-${s.key}-rta`,
        { routeTableId: table.id, subnetId: must(subnets.get(s.key), s.key).id },
        { parent: this },
      );
      tables.set(s.key, table);
    }
    for (const r of plan.routes) {
      const routeTableId = must(tables.get(r.routeTableKey), r.routeTableKey).id;
      const target =
        r.target.kind === "internet-gateway"
          ? { gatewayId: igw.id }
          : { natGatewayId: must(natByKey.get(r.target.natKey), r.target.natKey).id };
      new aws.ec2.Route(
        `${name}-${r.routeTableKey}-default-route`,
        { routeTableId, destinationCidrBlock: r.destinationCidrBlock, ...target },
        { parent: this },
      );
    }
    return tables;
  }

  /**
   * A network ACL per tier rather than the VPC's default ACL: the default ACL can only
   * be managed with inline rules (its resource is incompatible with separate
   * NetworkAclRule resources), and our subnets would still share it with any subnet
   * created outside this component. Subnets are attached with separate associations.
   * The entries' reasons are in the plan (`reason`); EC2 entries have no description.
   */
  private createNetworkAcls(
    name: string,
    plan: AwsNetworkPlan,
    vpc: aws.ec2.Vpc,
    subnets: Map<string, aws.ec2.Subnet>,
    tags: TagFn,
  ): Map<Tier, aws.ec2.NetworkAcl> {
    const acls = new Map<Tier, aws.ec2.NetworkAcl>();
    for (const a of plan.networkAcls) {
      const acl = new aws.ec2.NetworkAcl(`${name}-${a.tier}-nacl`, { vpcId: vpc.id, tags: tags(`${a.tier}-nacl`, { "pfv5:tier": a.tier }) }, { parent: this });
      for (const r of a.rules) {
        // Every rule property forces replacement; replacing in place (delete first)
        // keeps two entries from claiming one rule number during an update.
        new aws.ec2.NetworkAclRule(
          `${name}-${a.tier}-nacl-${r.key}`,
          {
            networkAclId: acl.id,
            ruleNumber: r.ruleNumber,
            egress: r.egress,
            protocol: r.protocol,
            ruleAction: r.ruleAction,
            cidrBlock: r.cidrBlock,
            fromPort: r.fromPort,
            toPort: r.toPort,
            icmpType: r.icmpType,
            icmpCode: r.icmpCode,
          },
          { parent: this, deleteBeforeReplace: true },
        );
      }
      for (const key of a.subnetKeys) {
        new aws.ec2.NetworkAclAssociation(
          `${name}-${key}-nacl-assoc`,
          { networkAclId: acl.id, subnetId: must(subnets.get(key), key).id },
          { parent: this },
        );
      }
      acls.set(a.tier, acl);
    }
    return acls;
  }
}

type TagFn = (suffix: string, extra?: Record<string, string>) => Record<string, string>;

function must<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new Error(`AwsNetwork: no resource planned for "${key}" (a planner defect)`);
  return value;
}
