/**
 * The NSG rule planner: zone flows in, one ordered rule list per tier out. Pure and
 * deterministic; it assumes input that passed `checkAzureZoneFirewall`.
 */
import { ALL_PORTS, TIERS, zoneOf } from "@pfv5/zones";
import type { PortRange, Protocol, Role, Tier } from "@pfv5/zones";
import {
  NSG_EGRESS_LOCKED_TIERS,
  MAX_DESCRIPTION_LENGTH,
  NSG_PRIORITY,
  SERVICE_ENDPOINT_EGRESS,
} from "./model";
import type { AzureFlow, AzureFlowSource, NsgPlan, NsgPlanInput, NsgRule, RuleProtocol } from "./model";

/** Whether a zone name is one of the tiers that get a subnet. */
export function isTier(zone: string): zone is Tier {
  return (TIERS as readonly string[]).includes(zone);
}

/** The tier a role lives in, or `undefined` for roles outside the VNet. */
export function tierOfRole(role: Role): Tier | undefined {
  const zone = zoneOf(role);
  return isTier(zone) ? zone : undefined;
}

/** Whether a flow source is a role (rather than explicit CIDRs). */
export function isRoleSource(source: AzureFlowSource): source is Role {
  return typeof source === "string";
}

/**
 * The address prefixes a source stands for. Roles in the DMZ (edge, bastion, VPN server)
 * share the DMZ subnet, so a subnet NSG can tell them apart only by that subnet's block.
 */
export function sourcePrefixes(source: AzureFlowSource, input: NsgPlanInput): readonly string[] {
  if (!isRoleSource(source)) return source.cidrs;
  if (source === "internet") return ["Internet"];
  if (source === "admins") return input.adminCidrs;
  if (source === "vpn-clients") return [input.vpnCidr];
  const tier = tierOfRole(source);
  return tier === undefined ? [] : [input.tierCidrs[tier]];
}

const PROTOCOLS: Record<Protocol, RuleProtocol> = { tcp: "Tcp", udp: "Udp", icmp: "Icmp", all: "*" };

export function ruleProtocol(protocol: Protocol): RuleProtocol {
  return PROTOCOLS[protocol];
}

function isAllPorts(p: PortRange): boolean {
  return p.from === ALL_PORTS.from && p.to === ALL_PORTS.to;
}

/** Azure port strings: `*` for every port (and for ICMP, which has none), else `443` or `8000-9000`. */
export function portStrings(protocol: Protocol, ports: readonly PortRange[]): string[] {
  if (protocol === "all" || protocol === "icmp" || ports.length === 0 || ports.some(isAllPorts)) return ["*"];
  return ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`));
}

/** Cuts a description to Azure's limit, marking the cut. */
export function describe(text: string): string {
  return text.length <= MAX_DESCRIPTION_LENGTH ? text : `${text.slice(0, MAX_DESCRIPTION_LENGTH - 3)}...`;
}

/** Hands out priorities within one band in steps. */
function counter(first: number): () => number {
  let next = first;
  return () => {
    const p = next;
    next += NSG_PRIORITY.step;
    return p;
  };
}

function blocklistRules(input: NsgPlanInput): NsgRule[] {
  if (input.blockedCidrs.length === 0) return [];
  const why = "incident-response blocklist: dropped before any allow";
  return [
    {
      name: "deny-in-blocklist",
      priority: NSG_PRIORITY.blocklistInbound,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sources: input.blockedCidrs,
      destinations: ["*"],
      ports: ["*"],
      description: why,
    },
    {
      name: "deny-out-blocklist",
      priority: NSG_PRIORITY.blocklistOutbound,
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sources: ["*"],
      destinations: input.blockedCidrs,
      ports: ["*"],
      description: why,
    },
  ];
}

function inboundRules(tier: Tier, input: NsgPlanInput): NsgRule[] {
  const cidr = input.tierCidrs[tier];
  const rules: NsgRule[] = [];
  const probes = input.loadBalancerProbes[tier] ?? [];
  if (probes.length > 0) {
    rules.push({
      name: "allow-in-lb-probes",
      priority: NSG_PRIORITY.platformInbound.first,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sources: ["AzureLoadBalancer"],
      destinations: [cidr],
      ports: portStrings("tcp", probes),
      description: "Azure Load Balancer health probes; the deny-all below would otherwise hide every backend",
    });
  }
  const next = counter(NSG_PRIORITY.flowInbound.first);
  for (const flow of input.flows) {
    if (tierOfRole(flow.to) !== tier) continue;
    const sources = sourcePrefixes(flow.from, input);
    // No administrator CIDRs configured means no administrator rule at all (closed).
    if (sources.length === 0) continue;
    rules.push(flowRule(flow, "Inbound", next(), sources, [cidr]));
  }
  return rules;
}

function flowRule(
  flow: AzureFlow,
  direction: "Inbound" | "Outbound",
  priority: number,
  sources: readonly string[],
  destinations: readonly string[],
): NsgRule {
  return {
    name: `allow-${direction === "Inbound" ? "in" : "out"}-${flow.id}`,
    priority,
    direction,
    access: "Allow",
    protocol: ruleProtocol(flow.protocol),
    sources,
    destinations,
    ports: portStrings(flow.protocol, flow.ports),
    description: describe(`${flow.id}: ${flow.reason}`),
  };
}

/**
 * Whether a tier's outbound traffic is narrowed to its flows: tiers with no internet
 * egress (data), and tiers whose internet flows are narrower than "everything" (the DMZ,
 * whose hosts reach the internet on tcp 443 only). Without explicit rules Azure's default
 * AllowInternetOutBound (65001) would let them reach the internet on every port.
 */
export function egressNarrowed(tier: Tier, input: NsgPlanInput): boolean {
  if (NSG_EGRESS_LOCKED_TIERS.includes(tier)) return true;
  return !input.flows.some((f) => isRoleSource(f.from) && tierOfRole(f.from) === tier && zoneOf(f.to) === "internet" && f.protocol === "all");
}

/**
 * Outbound rules of an egress-narrowed tier: the VNet, its service endpoints' tags and its
 * own flows (inside the VNet and to the internet), then an explicit Internet deny (what
 * policies and readers look for) and a deny-all that also closes peered networks and other
 * Azure public services.
 */
function narrowedOutboundRules(tier: Tier, input: NsgPlanInput): NsgRule[] {
  const cidr = input.tierCidrs[tier];
  const platform = counter(NSG_PRIORITY.platformOutbound.first);
  // A tier with no internet egress may answer and reach anything in the VNet (each
  // destination NSG still decides); a narrowed tier (the DMZ) only its own flows.
  const rules: NsgRule[] = !NSG_EGRESS_LOCKED_TIERS.includes(tier) ? [] : [
    {
      name: "allow-out-vnet",
      priority: platform(),
      direction: "Outbound",
      access: "Allow",
      protocol: "*",
      sources: [cidr],
      destinations: [input.vnetCidr],
      ports: ["*"],
      description: "egress stays inside the VNet; each destination NSG still decides what it accepts",
    },
  ];
  // Service endpoints sit on the data subnet only (dataServiceEndpoints).
  for (const endpoint of tier === "data" ? input.dataServiceEndpoints : []) {
    const egress = SERVICE_ENDPOINT_EGRESS[endpoint];
    if (egress === undefined) continue;
    rules.push({
      name: `allow-out-${egress.serviceTag.toLowerCase()}`,
      priority: platform(),
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sources: [cidr],
      destinations: [egress.serviceTag],
      ports: portStrings("tcp", egress.ports),
      description: describe(`service endpoint ${endpoint}: its service tag lies inside Internet, which is denied below`),
    });
  }
  const next = counter(NSG_PRIORITY.flowOutbound.first);
  for (const flow of input.flows) {
    if (!isRoleSource(flow.from) || tierOfRole(flow.from) !== tier) continue;
    const target = tierOfRole(flow.to);
    if (target !== undefined) rules.push(flowRule(flow, "Outbound", next(), [cidr], [input.tierCidrs[target]]));
    else if (zoneOf(flow.to) === "internet") rules.push(flowRule(flow, "Outbound", next(), [cidr], ["Internet"]));
  }
  rules.push(
    {
      name: "deny-out-internet",
      priority: NSG_PRIORITY.denyInternetOutbound,
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sources: ["*"],
      destinations: ["Internet"],
      ports: ["*"],
      description: "no internet egress beyond the flows above",
    },
    {
      name: "deny-out-all",
      priority: NSG_PRIORITY.denyAllOutbound,
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sources: ["*"],
      destinations: ["*"],
      ports: ["*"],
      description: "everything not allowed above, including peered networks (AllowVnetOutBound covers them)",
    },
  );
  return rules;
}

const DENY_ALL_INBOUND: NsgRule = {
  name: "deny-in-all",
  priority: NSG_PRIORITY.denyAllInbound,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sources: ["*"],
  destinations: ["*"],
  ports: ["*"],
  description: "everything not allowed above; Azure's AllowVnetInBound (65000) would open every subnet to every other",
};

/** The rules of one tier's NSG, in priority order. */
export function planTierRules(tier: Tier, input: NsgPlanInput): NsgRule[] {
  const rules = [
    ...blocklistRules(input),
    ...inboundRules(tier, input),
    ...(egressNarrowed(tier, input) ? narrowedOutboundRules(tier, input) : []),
    DENY_ALL_INBOUND,
  ];
  return rules.sort((a, b) => a.priority - b.priority);
}

/** The rules of every tier's NSG. */
export function planNsgRules(input: NsgPlanInput): NsgPlan {
  return {
    dmz: planTierRules("dmz", input),
    app: planTierRules("app", input),
    mgmt: planTierRules("mgmt", input),
    data: planTierRules("data", input),
  };
}
