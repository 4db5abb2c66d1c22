/**
 * The normalized AWS network an analysis reads: plain values, every reference an id.
 * Build it from stack resources with `awsModelFromResources`, or by hand in tests.
 */
import type { RuleRef } from "../grants";
import type { Span } from "../intervals";
import type { RuleTraffic } from "../rules";

export type AwsPeer =
  /** An IPv4 or IPv6 block (`cidrIpv4`, `cidrIpv6`). */
  | { readonly kind: "cidr"; readonly block: string }
  /** Another group or the group itself (`referencedSecurityGroupId`, `self`). */
  | { readonly kind: "group"; readonly groupId: string };

/** One security group rule: an allow (security groups cannot deny). */
export interface AwsSgRule {
  readonly ref: RuleRef;
  readonly traffic: RuleTraffic;
  readonly peer: AwsPeer;
}

export interface AwsSecurityGroup {
  readonly id: string;
  readonly label: string;
  readonly ingress: readonly AwsSgRule[];
  readonly egress: readonly AwsSgRule[];
}

/** One network ACL entry; `block` is an IPv4 or IPv6 block. */
export interface AwsAclEntry {
  readonly ref: RuleRef;
  readonly ruleNumber: number;
  readonly allow: boolean;
  readonly traffic: RuleTraffic;
  readonly block: string;
}

export interface AwsNetworkAcl {
  readonly id: string;
  readonly label: string;
  readonly ingress: readonly AwsAclEntry[];
  readonly egress: readonly AwsAclEntry[];
}

export type AwsRouteTarget =
  | { readonly kind: "local" }
  | { readonly kind: "internet-gateway" }
  /** IPv6 only, outbound only. */
  | { readonly kind: "egress-only-gateway" }
  | { readonly kind: "nat-gateway"; readonly natId: string }
  /** Anything else (peering, transit gateway, an instance): leaves the analysis. */
  | { readonly kind: "other"; readonly what: string };

export interface AwsRoute {
  readonly ref: RuleRef;
  readonly destination: string;
  readonly target: AwsRouteTarget;
}

export interface AwsRouteTable {
  readonly id: string;
  readonly label: string;
  /** Without the implicit local routes of the VPC blocks, which the analysis adds. */
  readonly routes: readonly AwsRoute[];
}

export interface AwsSubnet {
  readonly id: string;
  readonly label: string;
  readonly cidr: string;
  readonly ipv6Cidr?: string;
  readonly networkAclId: string;
  readonly routeTableId: string;
  /** Whether instances launched here get a public IPv4 address (`mapPublicIpOnLaunch`). */
  readonly publicIp: boolean;
}

export interface AwsNatGateway {
  readonly id: string;
  readonly label: string;
  readonly subnetId: string;
  /** A public NAT gateway (`connectivityType: public`, the default) translates to the internet. */
  readonly public: boolean;
}

/**
 * Network interfaces of one kind: the security groups they carry and the subnets they
 * may sit in. A zone of the matrix is the union of its workloads.
 */
export interface AwsWorkload {
  /** The matrix zone, e.g. `app`, `edge`, `vpn-server`. */
  readonly zone: string;
  readonly label: string;
  readonly groupIds: readonly string[];
  readonly subnetIds: readonly string[];
  /**
   * Whether the interfaces have public IPv4 addresses (an internet-facing load balancer,
   * an instance with one). Default: the subnet's `publicIp`.
   */
  readonly public?: boolean;
}

export interface AwsModel {
  /** The VPC's IPv4 and IPv6 blocks: their routes are local. */
  readonly vpcCidrs: readonly string[];
  readonly subnets: readonly AwsSubnet[];
  readonly securityGroups: readonly AwsSecurityGroup[];
  readonly networkAcls: readonly AwsNetworkAcl[];
  readonly routeTables: readonly AwsRouteTable[];
  readonly natGateways: readonly AwsNatGateway[];
  readonly workloads: readonly AwsWorkload[];
}

export interface AwsAnalysisOptions {
  /** The authorized administrator CIDRs: the `admins` zone, carved out of the internet. */
  readonly adminCidrs: readonly string[];
  /** The WireGuard client range: the `vpn` zone. */
  readonly vpnCidr: string;
  /** The zone whose interfaces forward VPN clients' packets. @default "vpn-server" */
  readonly vpnServerZone?: string;
  /**
   * Whether the VPN server masquerades its clients (their packets carry its address inside
   * the VPC, as the shipped WireGuard server's nftables do). Otherwise they keep their own
   * addresses, which rules must name by the VPN range.
   * @default true
   */
  readonly vpnMasquerade?: boolean;
  /**
   * The ports clients pick as source ports: network ACLs are stateless, so replies to them
   * need rules of their own. @default AWS_EPHEMERAL_PORTS (1024-65535, as AWS advises)
   */
  readonly ephemeralPorts?: readonly Span[];
}

/** The ephemeral range AWS documents for network ACL reply rules. */
export const AWS_EPHEMERAL_PORTS: readonly Span[] = [{ from: 1024, to: 65535 }];
