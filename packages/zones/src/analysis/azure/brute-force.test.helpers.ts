/**
 * A brute-force reference for the Azure analyzer: one packet at a time through the NSGs
 * as the Azure documentation states it. Custom rules and the six default rules, lowest
 * priority number first; the first rule whose protocol, source, source port, destination
 * and destination port all match decides. Inbound: the subnet's NSG, then the NIC's;
 * outbound: the NIC's, then the subnet's. Stateful: replies pass.
 */
import { parseCidr } from "../../cidr";
import type { Proto } from "../grants";
import type { AzureModel, AzureNsg, AzurePrefix, AzureSecurityRule, AzureSubnet } from "./model";

const ranges = new Map<string, { first: bigint; last: bigint }>();

/** A block's first and last address, memoized (the reference checks many packets). */
function range(block: string): { first: bigint; last: bigint } {
  let r = ranges.get(block);
  if (r === undefined) {
    const c = parseCidr(block.includes("/") ? block : `${block}/32`);
    r = { first: c.network, last: c.network + (1n << BigInt(32 - c.prefix)) - 1n };
    ranges.set(block, r);
  }
  return r;
}

function inBlock(address: string, block: string): boolean {
  const a = range(address).first;
  const b = range(block);
  return b.first <= a && a <= b.last;
}

export interface Site {
  readonly vnet: readonly string[];
}

/** Whether an address matches a prefix: `*`, a block, or one of the tags the generator uses. */
function matches(p: AzurePrefix, address: string, site: Site): boolean {
  if (p.kind === "any") return true;
  if (p.kind === "cidr") return inBlock(address, p.block);
  const inVnet = site.vnet.some((v) => inBlock(address, v));
  switch (p.tag.toLowerCase()) {
    case "virtualnetwork":
      return inVnet;
    case "internet":
      // Public addresses outside the VNet; the generator's outside addresses are all public.
      return !inVnet && !inBlock(address, "10.0.0.0/8") && address !== "168.63.129.16";
    case "azureloadbalancer":
      return address === "168.63.129.16";
    default:
      return false;
  }
}

const DEFAULTS: readonly { name: string; priority: number; direction: "Inbound" | "Outbound"; allow: boolean; src: AzurePrefix; dst: AzurePrefix }[] = [
  { name: "AllowVnetInBound", priority: 65000, direction: "Inbound", allow: true, src: { kind: "tag", tag: "VirtualNetwork" }, dst: { kind: "tag", tag: "VirtualNetwork" } },
  { name: "AllowAzureLoadBalancerInBound", priority: 65001, direction: "Inbound", allow: true, src: { kind: "tag", tag: "AzureLoadBalancer" }, dst: { kind: "any" } },
  { name: "DenyAllInBound", priority: 65500, direction: "Inbound", allow: false, src: { kind: "any" }, dst: { kind: "any" } },
  { name: "AllowVnetOutBound", priority: 65000, direction: "Outbound", allow: true, src: { kind: "tag", tag: "VirtualNetwork" }, dst: { kind: "tag", tag: "VirtualNetwork" } },
  { name: "AllowInternetOutBound", priority: 65001, direction: "Outbound", allow: true, src: { kind: "any" }, dst: { kind: "tag", tag: "Internet" } },
  { name: "DenyAllOutBound", priority: 65500, direction: "Outbound", allow: false, src: { kind: "any" }, dst: { kind: "any" } },
];

export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto: Proto;
  readonly port: number;
  readonly srcPort: number;
}

function ruleMatches(r: AzureSecurityRule, p: Packet, site: Site): boolean {
  if (!r.traffic.protocol.protos.includes(p.proto)) return false;
  if ((p.proto === "tcp" || p.proto === "udp") && !r.traffic.ports.some((s) => s.from <= p.port && p.port <= s.to)) return false;
  if (!r.sourcePorts.some((s) => s.from <= p.srcPort && p.srcPort <= s.to)) return false;
  return r.sources.some((x) => matches(x, p.src, site)) && r.destinations.some((x) => matches(x, p.dst, site));
}

/** One NSG's verdict on a packet in one direction. */
export function nsgAllows(nsg: AzureNsg, direction: "Inbound" | "Outbound", p: Packet, site: Site): boolean {
  const custom = nsg.rules.filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority);
  for (const r of custom) if (ruleMatches(r, p, site)) return r.allow;
  for (const d of DEFAULTS.filter((x) => x.direction === direction)) {
    if (matches(d.src, p.src, site) && matches(d.dst, p.dst, site)) return d.allow;
  }
  return false;
}

export interface End {
  readonly address: string;
  readonly subnet?: AzureSubnet;
  readonly nicNsgId?: string;
  readonly public?: boolean;
}

/** Whether the packet passes every NSG on its way and a route exists for it. */
export function packetPasses(model: AzureModel, a: End, b: End, p: Packet): boolean {
  const site: Site = { vnet: model.vnetPrefixes };
  const nsg = (id: string | undefined) => (id === undefined ? undefined : model.nsgs.find((n) => n.id === id));
  const checks: { nsg: AzureNsg | undefined; direction: "Inbound" | "Outbound" }[] = [];
  if (a.subnet !== undefined) checks.push({ nsg: nsg(a.nicNsgId), direction: "Outbound" }, { nsg: nsg(a.subnet.nsgId), direction: "Outbound" });
  if (b.subnet !== undefined) checks.push({ nsg: nsg(b.subnet.nsgId), direction: "Inbound" }, { nsg: nsg(b.nicNsgId), direction: "Inbound" });
  if (!checks.every((c) => c.nsg === undefined || nsgAllows(c.nsg, c.direction, p, site))) return false;
  if (a.subnet !== undefined && b.subnet === undefined) return a.subnet.natGateway || a.public === true || a.subnet.defaultOutboundAccess;
  if (a.subnet === undefined && b.subnet !== undefined) return b.public === true;
  return a.subnet !== undefined && b.subnet !== undefined;
}
