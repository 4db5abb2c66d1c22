/**
 * The pure layout of the AWS network: which subnets, NAT gateways, routes and network ACL
 * entries exist, and how they refer to each other. Plain values in, plain specs out; the
 * component turns each spec into one resource. No Pulumi here, so the layout can be
 * tested exhaustively and read without a program.
 */
import { TIERS, tierSubnets, type AddressPlan, type Tier } from "@pfv5/zones";
import { AWS_NAT_GATEWAY_TIER, AWS_TIER_EGRESS, type AwsEgressPath, type AwsNatStrategy } from "./defaults";
import { planAwsNetworkAclRules, type AwsNetworkAclRulePlan } from "./network-acl";

export type { AwsEgressPath } from "./defaults";

export interface AwsSubnetPlan {
  /** Stable key, `<tier>-<az letter>`, e.g. `app-b`; child names derive from it. */
  readonly key: string;
  readonly tier: Tier;
  readonly az: string;
  readonly azIndex: number;
  readonly cidr: string;
  /** DMZ subnets hand out public addresses; every other tier is private. */
  readonly mapPublicIpOnLaunch: boolean;
  readonly egress: AwsEgressPath;
  /** The Kubernetes load-balancer role the subnet advertises, if any. */
  readonly kubernetesRole?: "elb" | "internal-elb";
}

export interface AwsNatGatewayPlan {
  /** `nat-<az letter>`. */
  readonly key: string;
  readonly az: string;
  readonly azIndex: number;
  /** The DMZ subnet of the same AZ that holds it. */
  readonly subnetKey: string;
}

export type AwsRouteTarget = { readonly kind: "internet-gateway" } | { readonly kind: "nat-gateway"; readonly natKey: string };

export interface AwsRoutePlan {
  /** The route table, keyed like its subnet (each subnet has its own table). */
  readonly routeTableKey: string;
  readonly destinationCidrBlock: string;
  readonly target: AwsRouteTarget;
}

export interface AwsNetworkAclPlan {
  readonly tier: Tier;
  /** Keys of the subnets associated with this ACL. */
  readonly subnetKeys: readonly string[];
  readonly rules: readonly AwsNetworkAclRulePlan[];
}

export interface AwsNetworkPlan {
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly AwsSubnetPlan[];
  readonly natGateways: readonly AwsNatGatewayPlan[];
  readonly routes: readonly AwsRoutePlan[];
  readonly networkAcls: readonly AwsNetworkAclPlan[];
}

export interface AwsNetworkPlanInput {
  readonly addressPlan: AddressPlan;
  /** Exactly the zones to use, in order; the first gets the `a` keys. */
  readonly availabilityZones: readonly string[];
  readonly natStrategy: AwsNatStrategy;
  readonly blockedCidrs: readonly string[];
  /** The authorized administrator CIDRs: the DMZ's ACL lets them in on the admins flows (SSH). */
  readonly adminCidrs: readonly string[];
}

/** `a` for the first zone, `b` for the second, and so on. */
export function azLetter(index: number): string {
  return String.fromCharCode("a".charCodeAt(0) + index);
}

const KUBERNETES_ROLE: Partial<Record<Tier, "elb" | "internal-elb">> = { dmz: "elb", app: "internal-elb" };

/**
 * Lays out the network. Assumes valid input (see `checkAwsNetworkArgs`): as many zones
 * as the plan has subnets for, at least one zone.
 */
export function planAwsNetwork(input: AwsNetworkPlanInput): AwsNetworkPlan {
  const azs = input.availabilityZones;
  const subnets: AwsSubnetPlan[] = [];
  for (const tier of TIERS) {
    tierSubnets(input.addressPlan, tier, azs.length).forEach((cidr, azIndex) => {
      const kubernetesRole = KUBERNETES_ROLE[tier];
      subnets.push({
        key: `${tier}-${azLetter(azIndex)}`,
        tier,
        az: azs[azIndex] ?? "",
        azIndex,
        cidr,
        mapPublicIpOnLaunch: tier === "dmz",
        egress: AWS_TIER_EGRESS[tier],
        ...(kubernetesRole !== undefined ? { kubernetesRole } : {}),
      });
    });
  }

  const natZones = input.natStrategy === "perAz" ? azs.map((_, i) => i) : [0];
  const natGateways: AwsNatGatewayPlan[] = natZones.map((azIndex) => ({
    key: `nat-${azLetter(azIndex)}`,
    az: azs[azIndex] ?? "",
    azIndex,
    subnetKey: `${AWS_NAT_GATEWAY_TIER}-${azLetter(azIndex)}`,
  }));
  // With one NAT gateway every zone uses it; otherwise each zone uses its own.
  const natFor = (azIndex: number): string => (input.natStrategy === "perAz" ? `nat-${azLetter(azIndex)}` : "nat-a");

  const routes: AwsRoutePlan[] = [];
  for (const s of subnets) {
    if (s.egress === "internet-gateway") {
      routes.push({ routeTableKey: s.key, destinationCidrBlock: "0.0.0.0/0", target: { kind: "internet-gateway" } });
    } else if (s.egress === "nat-gateway") {
      routes.push({ routeTableKey: s.key, destinationCidrBlock: "0.0.0.0/0", target: { kind: "nat-gateway", natKey: natFor(s.azIndex) } });
    }
    // Data subnets get no route at all: only the VPC's implicit local route.
  }

  const aclInput = { vpcCidr: input.addressPlan.cidr, blockedCidrs: input.blockedCidrs, adminCidrs: input.adminCidrs };
  const networkAcls: AwsNetworkAclPlan[] = TIERS.map((tier) => ({
    tier,
    subnetKeys: subnets.filter((s) => s.tier === tier).map((s) => s.key),
    rules: planAwsNetworkAclRules(tier, aclInput),
  }));

  return { cidr: input.addressPlan.cidr, availabilityZones: [...azs], subnets, natGateways, routes, networkAcls };
}
