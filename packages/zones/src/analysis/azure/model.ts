/**
 * The normalized Azure network an analysis reads. Build it from stack resources with
 * `azureModelFromResources`, or by hand in tests.
 */
import type { RuleRef } from "../grants";
import type { Span } from "../intervals";
import type { RuleTraffic } from "../rules";

/** An address prefix of a security rule: `*`, a block or address, or a service tag. */
export type AzurePrefix = { readonly kind: "any" } | { readonly kind: "cidr"; readonly block: string } | { readonly kind: "tag"; readonly tag: string };

export interface AzureSecurityRule {
  readonly ref: RuleRef;
  /** 100 to 4096 for custom rules; lower wins. */
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly allow: boolean;
  readonly traffic: RuleTraffic;
  readonly sources: readonly AzurePrefix[];
  readonly destinations: readonly AzurePrefix[];
  /** Source ports; every port unless the rule names some. */
  readonly sourcePorts: readonly Span[];
}

export interface AzureNsg {
  readonly id: string;
  readonly label: string;
  /** The custom rules; the analysis appends Azure's default rules. */
  readonly rules: readonly AzureSecurityRule[];
}

export interface AzureSubnet {
  readonly id: string;
  readonly label: string;
  readonly prefixes: readonly string[];
  readonly nsgId?: string;
  /** A NAT gateway gives the subnet outbound internet access. */
  readonly natGateway: boolean;
  /** Azure's implicit outbound access (retired for new subnets when set to false). */
  readonly defaultOutboundAccess: boolean;
  /** Service endpoints, e.g. `Microsoft.Storage`: a route to the service's tag. */
  readonly serviceEndpoints: readonly string[];
}

/**
 * Network interfaces of one kind in one subnet: a NIC-level NSG filters them after the
 * subnet's (inbound) and before it (outbound).
 */
export interface AzureWorkload {
  readonly zone: string;
  readonly label: string;
  readonly subnetId: string;
  readonly nicNsgId?: string;
  /** A public IP address or a public load balancer in front: reachable from the internet. */
  readonly public: boolean;
}

export interface AzureModel {
  /** The VNet's address space: the `VirtualNetwork` tag. */
  readonly vnetPrefixes: readonly string[];
  readonly subnets: readonly AzureSubnet[];
  readonly nsgs: readonly AzureNsg[];
  readonly workloads: readonly AzureWorkload[];
}

export interface AzureAnalysisOptions {
  readonly adminCidrs: readonly string[];
  readonly vpnCidr: string;
  /** The zone whose interfaces forward VPN clients (on Azure the DMZ subnet). @default "dmz" */
  readonly vpnServerZone?: string;
  /**
   * Whether the VPN server masquerades its clients. When it does not, their range counts
   * as part of the `VirtualNetwork` tag (the route to it through the server, which a
   * deployment must add, puts it there).
   * @default true
   */
  readonly vpnMasquerade?: boolean;
}

/**
 * Azure's default security rules, in every NSG below the custom ones
 * (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules).
 */
export const AZURE_DEFAULT_RULES: readonly { name: string; priority: number; direction: "Inbound" | "Outbound"; allow: boolean; source: string; destination: string }[] = [
  { name: "AllowVnetInBound", priority: 65000, direction: "Inbound", allow: true, source: "VirtualNetwork", destination: "VirtualNetwork" },
  { name: "AllowAzureLoadBalancerInBound", priority: 65001, direction: "Inbound", allow: true, source: "AzureLoadBalancer", destination: "*" },
  { name: "DenyAllInBound", priority: 65500, direction: "Inbound", allow: false, source: "*", destination: "*" },
  { name: "AllowVnetOutBound", priority: 65000, direction: "Outbound", allow: true, source: "VirtualNetwork", destination: "VirtualNetwork" },
  { name: "AllowInternetOutBound", priority: 65001, direction: "Outbound", allow: true, source: "*", destination: "Internet" },
  { name: "DenyAllOutBound", priority: 65500, direction: "Outbound", allow: false, source: "*", destination: "*" },
];

/** The address of Azure's host: load balancer probes and platform DNS come from it. */
export const AZURE_LOAD_BALANCER_ADDRESS = "168.63.129.16/32";

/**
 * Service tags name public ranges Microsoft publishes and changes; the analysis gives each
 * tag it meets a block of its own in 240.0.0.0/8 (reserved space no rule names by
 * accident), inside `Internet` and `*` but apart from the internet zone: the matrix shows
 * traffic to them under `services`.
 */
export const SERVICE_TAG_SPACE = "240.0.0.0/8";

/** Service tags and the service endpoint that routes to them from a subnet. */
export const SERVICE_ENDPOINT_OF_TAG: Readonly<Record<string, string>> = {
  storage: "Microsoft.Storage",
  sql: "Microsoft.Sql",
  azurekeyvault: "Microsoft.KeyVault",
  azurecosmosdb: "Microsoft.AzureCosmosDB",
  eventhub: "Microsoft.EventHub",
  servicebus: "Microsoft.ServiceBus",
  azureactivedirectory: "Microsoft.AzureActiveDirectory",
};
