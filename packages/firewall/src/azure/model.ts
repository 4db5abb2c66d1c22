/**
 * Types and defaults of the Azure NSG planner. Plain data, no Pulumi.
 */
import { INTERNET_EDGE_PORTS, TIERS, VPN_CIDR, ZONES } from "@pfv5/zones";
import type { Flow, PortRange, Role, Tier } from "@pfv5/zones";

/**
 * Where an extra flow may come from: a role of the zone model, or explicit CIDR blocks
 * (a partner's range, say). A block that covers public address space counts as the
 * internet and may only reach the DMZ.
 */
export type AzureFlowSource = Role | { readonly cidrs: readonly string[] };

/** A flow as the Azure firewall accepts it: a zone flow whose source may also be CIDRs. */
export interface AzureFlow extends Omit<Flow, "from"> {
  readonly from: AzureFlowSource;
}

export type RuleDirection = "Inbound" | "Outbound";
export type RuleAccess = "Allow" | "Deny";
export type RuleProtocol = "Tcp" | "Udp" | "Icmp" | "*";

/**
 * One planned NSG security rule. Address lists hold CIDR blocks, or exactly one service
 * tag (`Internet`, `AzureLoadBalancer`, `Storage`, ...) or `*`: Azure accepts service tags
 * only in the single-prefix fields.
 */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: RuleDirection;
  readonly access: RuleAccess;
  readonly protocol: RuleProtocol;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  /** `*`, a port such as `443`, or a range such as `8000-9000`. */
  readonly ports: readonly string[];
  /** At most {@link MAX_DESCRIPTION_LENGTH} characters (an Azure limit). */
  readonly description: string;
}

/** The planned rules of every tier's NSG, each list in priority order. */
export type NsgPlan = Readonly<Record<Tier, readonly NsgRule[]>>;

/**
 * Priority bands. Lower numbers win. Every band has a fixed start so that adding a flow
 * never moves the blocklist, the platform rules or the final denies.
 *
 * - 100, 101: the incident-response blocklist, inbound and outbound, ahead of everything.
 * - 500-590: platform inbound (Azure Load Balancer health probes).
 * - 600-990: platform outbound of egress-locked tiers (the VNet, service endpoints).
 * - 1000-1990: inbound allows generated from the flows.
 * - 2000-2990: outbound allows generated from the flows (egress-locked tiers only).
 * - 4094-4096: the final denies. Azure's own defaults sit at 65000 and above, so these
 *   take effect before AllowVnetInBound (65000) and AllowInternetOutBound (65001).
 */
export const NSG_PRIORITY = {
  blocklistInbound: 100,
  blocklistOutbound: 101,
  platformInbound: { first: 500, last: 590 },
  platformOutbound: { first: 600, last: 990 },
  flowInbound: { first: 1000, last: 1990 },
  flowOutbound: { first: 2000, last: 2990 },
  step: 10,
  denyInternetOutbound: 4094,
  denyAllOutbound: 4095,
  denyAllInbound: 4096,
} as const;

/** Azure's lowest-priority custom rule number; its defaults start at 65000. */
export const AZURE_MAX_CUSTOM_PRIORITY = 4096;
/** Azure's default rule that lets every subnet of a VNet reach every other. */
export const AZURE_ALLOW_VNET_INBOUND_PRIORITY = 65000;

/** Azure limits a rule description to 140 characters. */
export const MAX_DESCRIPTION_LENGTH = 140;
/** Azure limits a rule name to 80 characters. */
export const MAX_RULE_NAME_LENGTH = 80;

/**
 * Tiers whose zone has no internet egress (the data tier). Their NSG allows outbound
 * traffic only to the VNet and to the service tags of their service endpoints, denies the
 * Internet explicitly, then denies everything else.
 */
export const NSG_EGRESS_LOCKED_TIERS: readonly Tier[] = TIERS.filter(
  (t) => ZONES.find((z) => z.name === t)?.egressToInternet === false,
);

/** What an egress-locked tier needs open to use one service endpoint. */
export interface ServiceEgress {
  /** The Azure service tag of the service, e.g. `Storage`. */
  readonly serviceTag: string;
  readonly ports: readonly PortRange[];
}

/**
 * The egress each known service endpoint needs. Service tags lie inside the `Internet`
 * tag, so the data tier's Internet deny would otherwise cut it off from the services its
 * endpoints exist for. Azure SQL from inside Azure uses the redirect policy by default:
 * after the 1433 gateway handshake the client talks to the database node on 11000-11999.
 */
export const SERVICE_ENDPOINT_EGRESS: Readonly<Record<string, ServiceEgress>> = {
  "Microsoft.Storage": { serviceTag: "Storage", ports: [{ from: 443, to: 443 }] },
  "Microsoft.Sql": {
    serviceTag: "Sql",
    ports: [
      { from: 1433, to: 1433 },
      { from: 11000, to: 11999 },
    ],
  },
  "Microsoft.KeyVault": { serviceTag: "AzureKeyVault", ports: [{ from: 443, to: 443 }] },
};

/**
 * The defaults of the Azure firewall's optional args (and of the network's, which passes
 * them on). Closed by default: no administrator may SSH in until the stack lists them.
 */
export const AZURE_FIREWALL_DEFAULTS = {
  /** No administrator CIDRs: the bastion accepts no SSH. */
  adminCidrs: [] as readonly string[],
  /** The WireGuard client block of the zone model. */
  vpnCidr: VPN_CIDR,
  /** Nothing blocked until an incident adds a block. */
  blockedCidrs: [] as readonly string[],
  /** No flows beyond the zone model's. */
  extraFlows: [] as readonly AzureFlow[],
  /**
   * Where Azure Load Balancer health probes (source tag `AzureLoadBalancer`,
   * 168.63.129.16) may reach: the DMZ edge ports. Azure's own
   * AllowAzureLoadBalancerInBound (65001) sits behind our deny-all at 4096, so without
   * this rule a public load balancer in front of the edge marks every backend down. Add a
   * tier when an internal load balancer fronts it (e.g. `app: [{ from: 3000, to: 3000 }]`).
   */
  loadBalancerProbes: { dmz: INTERNET_EDGE_PORTS } as Readonly<Partial<Record<Tier, readonly PortRange[]>>>,
  /** The data subnet's service endpoints (the architecture's choice). */
  dataServiceEndpoints: ["Microsoft.Sql", "Microsoft.Storage"] as readonly string[],
} as const;

/** The plain inputs of the planner, every default resolved. */
export interface NsgPlanInput {
  readonly tierCidrs: Readonly<Record<Tier, string>>;
  readonly vnetCidr: string;
  readonly adminCidrs: readonly string[];
  readonly vpnCidr: string;
  readonly blockedCidrs: readonly string[];
  /** The zone flows followed by any extra flows. */
  readonly flows: readonly AzureFlow[];
  readonly loadBalancerProbes: Readonly<Partial<Record<Tier, readonly PortRange[]>>>;
  readonly dataServiceEndpoints: readonly string[];
}
