/**
 * Builds the Azure model from a stack's resources: NSGs with their inline rules and
 * `SecurityRule` resources, subnets with the NSG and NAT gateway they carry (followed
 * through property dependencies), NICs with their own NSGs. A subnet's zone is its NSG's
 * `pfv5:tier` tag, or else the tier its logical name ends with (`<name>-app`).
 */
import { TIERS } from "../../plan";
import { parseBlock } from "../addresses";
import type { RuleRef } from "../grants";
import { ALL_PORT_SPANS, normalizeSpans, type Span } from "../intervals";
import { azureProtocol, ruleTraffic } from "../rules";
import type { AzureModel, AzureNsg, AzurePrefix, AzureSecurityRule, AzureSubnet, AzureWorkload } from "../azure/model";
import { TIER_TAG, type AdaptedModel } from "./aws";
import { isFound, isUnknown, labelOf, Reader, ResourceIndex, type AnalysisProblem, type StackResource } from "./resources";

export const AZURE_TYPES = {
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  natGateway: "azure-native:network:NatGateway",
  networkInterface: "azure-native:network:NetworkInterface",
  routeTable: "azure-native:network:RouteTable",
} as const;
const T = AZURE_TYPES;

export interface AzureAdapterOptions {
  /**
   * Zones whose workloads have public addresses or sit behind a public load balancer. The
   * network stack creates no hosts; the DMZ is the zone built to face the internet.
   * @default AZURE_PUBLIC_ZONES (["dmz"])
   */
  readonly publicZones?: readonly string[];
}

export const AZURE_PUBLIC_ZONES: readonly string[] = ["dmz"];

function portRanges(rd: Reader, where: string, single: string | undefined, list: readonly string[]): Span[] | undefined {
  const texts = [...(single !== undefined ? [single] : []), ...list];
  if (texts.length === 0 || texts.includes("*")) return [...ALL_PORT_SPANS];
  const spans: Span[] = [];
  for (const t of texts) {
    const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(t);
    const from = m === null ? NaN : Number(m[1]);
    const to = m === null ? NaN : m[2] === undefined ? from : Number(m[2]);
    if (!(from >= 0 && to <= 65535 && from <= to)) {
      rd.problem(`${where}: port range "${t}" is not *, a port or a range such as 8000-9000`);
      return undefined;
    }
    spans.push({ from, to });
  }
  return normalizeSpans(spans);
}

function prefixes(rd: Reader, where: string, single: string | undefined, list: readonly string[]): AzurePrefix[] {
  return [...(single !== undefined && single !== "" ? [single] : []), ...list].flatMap((t): AzurePrefix[] => {
    if (t === "*" || t.toLowerCase() === "any") return [{ kind: "any" }];
    if (parseBlock(t) !== undefined) return [{ kind: "cidr", block: t }];
    if (/^[A-Za-z][A-Za-z0-9.]*$/.test(t)) return [{ kind: "tag", tag: t }];
    rd.problem(`${where}: "${t}" is not *, an address, a CIDR block or a service tag`);
    return [];
  });
}

/** One security rule, inline (`from` an entry of `securityRules`) or a resource. */
function readRule(rd: Reader, where: string, from: unknown, ref: RuleRef): AzureSecurityRule | undefined {
  const priority = rd.number("priority", from);
  const direction = rd.string("direction", from);
  const access = rd.string("access", from);
  const protocolText = rd.string("protocol", from);
  if (priority === undefined || direction === undefined || access === undefined || protocolText === undefined) {
    rd.problem(`${where}: priority, direction, access and protocol are required`);
    return undefined;
  }
  const protocol = azureProtocol(protocolText);
  if (protocol === undefined) {
    rd.problem(`${where}: protocol "${protocolText}" is not *, Tcp, Udp, Icmp, Esp or Ah`);
    return undefined;
  }
  for (const k of ["sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"]) {
    if (rd.list(k, from).length > 0) rd.problem(`${where}: ${k} are not analyzed (their members are NICs the matrix does not place); name address prefixes`);
  }
  const ports = portRanges(rd, where, rd.string("destinationPortRange", from), rd.strings("destinationPortRanges", from));
  const sourcePorts = portRanges(rd, where, rd.string("sourcePortRange", from), rd.strings("sourcePortRanges", from));
  if (ports === undefined || sourcePorts === undefined) return undefined;
  const dir = direction.toLowerCase() === "outbound" ? "Outbound" : "Inbound";
  return {
    ref: { ...ref, label: `${ref.label} (${dir.toLowerCase()}, priority ${priority})`, direction: dir === "Inbound" ? "in" : "out" },
    priority,
    direction: dir,
    allow: access.toLowerCase() === "allow",
    traffic: ruleTraffic(protocol, ports),
    sources: prefixes(rd, `${where} source`, rd.string("sourceAddressPrefix", from), rd.strings("sourceAddressPrefixes", from)),
    destinations: prefixes(rd, `${where} destination`, rd.string("destinationAddressPrefix", from), rd.strings("destinationAddressPrefixes", from)),
    sourcePorts,
  };
}

function tierOf(rd: Reader): string | undefined {
  const t = rd.tag(TIER_TAG);
  return t !== undefined && (TIERS as readonly string[]).includes(t) ? t : undefined;
}

/** Reads an Azure stack's network into the analysis model. */
export function azureModelFromResources(resources: readonly StackResource[], options: AzureAdapterOptions = {}): AdaptedModel<AzureModel> {
  const index = new ResourceIndex(resources);
  const problems: AnalysisProblem[] = [];
  const publicZones = options.publicZones ?? AZURE_PUBLIC_ZONES;
  const vnetPrefixes: string[] = [];
  for (const v of index.ofType(T.virtualNetwork)) {
    const rd = new Reader(v, problems);
    vnetPrefixes.push(...rd.strings("addressSpace.addressPrefixes"));
    if (rd.list("subnets").length > 0) rd.problem("inline subnets are not analyzed: declare each subnet as a Subnet resource");
  }

  const nsgs = new Map<string, { id: string; label: string; rules: AzureSecurityRule[]; zone?: string }>();
  for (const n of index.ofType(T.nsg)) {
    const rd = new Reader(n, problems);
    const rules = rd.list("securityRules").flatMap((entry, i) => {
      const name = rd.string("name", entry) ?? `[${i}]`;
      const ref: RuleRef = { id: `${n.urn}#${name}`, label: `${labelOf(n)} rule "${name}"`, layer: "nsg", urn: n.urn };
      return readRule(rd, `securityRules "${name}"`, entry, ref) ?? [];
    });
    const zone = tierOf(rd);
    nsgs.set(n.urn, { id: n.urn, label: labelOf(n), rules, ...(zone !== undefined ? { zone } : {}) });
  }
  for (const r of index.ofType(T.securityRule)) {
    const rd = new Reader(r, problems);
    const nsg = index.follow(r, "networkSecurityGroupName", [T.nsg]);
    if (!isFound(nsg)) {
      rd.problem(`cannot tell which NSG the rule belongs to: ${nsg.reason}`);
      continue;
    }
    const rule = readRule(rd, "the rule", r.props, { id: r.urn, label: labelOf(r), layer: "nsg", urn: r.urn });
    if (rule !== undefined) nsgs.get(nsg.resource.urn)?.rules.push(rule);
  }

  const nsgOf = (rd: Reader, property: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    const id = typeof value === "object" ? (value as Record<string, unknown>)["id"] : undefined;
    const f = index.follow(rd.resource, property, [T.nsg], isUnknown(id) ? undefined : id);
    if (isFound(f)) return f.resource.urn;
    rd.problem(`cannot tell which NSG ${property} names: ${f.reason}`);
    return undefined;
  };

  const subnets: AzureSubnet[] = [];
  const workloads: AzureWorkload[] = [];
  for (const s of index.ofType(T.subnet)) {
    const rd = new Reader(s, problems);
    const list = [rd.string("addressPrefix"), ...rd.strings("addressPrefixes")].filter((p): p is string => p !== undefined && p !== "");
    if (list.length === 0) continue;
    const nsgId = nsgOf(rd, "networkSecurityGroup", s.props["networkSecurityGroup"]);
    if (rd.has("routeTable")) rd.problem("routeTable: user-defined routes are not analyzed, so where this subnet's traffic goes is not known to the matrix");
    const nameTier = TIERS.find((t) => s.name.endsWith(`-${t}`));
    const zone = (nsgId !== undefined ? nsgs.get(nsgId)?.zone : undefined) ?? nameTier;
    subnets.push({
      id: s.urn,
      label: labelOf(s),
      prefixes: list,
      ...(nsgId !== undefined ? { nsgId } : {}),
      natGateway: rd.has("natGateway"),
      // Unset means Azure's implicit outbound access, still the default for older API versions.
      defaultOutboundAccess: rd.bool("defaultOutboundAccess") ?? true,
      serviceEndpoints: rd.list("serviceEndpoints").flatMap((e) => {
        const service = rd.string("service", e);
        return service !== undefined ? [service] : [];
      }),
    });
    if (zone === undefined) rd.problem(`neither its NSG's ${TIER_TAG} tag nor its name says which zone it belongs to`);
    else workloads.push({ zone, label: `interfaces in ${labelOf(s)}`, subnetId: s.urn, public: publicZones.includes(zone) });
  }

  for (const nic of index.ofType(T.networkInterface)) {
    const rd = new Reader(nic, problems);
    const subnet = index.follow(nic, "ipConfigurations", [T.subnet]);
    if (!isFound(subnet)) {
      rd.problem(`cannot tell which subnet the NIC sits in: ${subnet.reason}`);
      continue;
    }
    const zone = workloads.find((w) => w.subnetId === subnet.resource.urn)?.zone;
    if (zone === undefined) continue;
    const nicNsgId = nsgOf(rd, "networkSecurityGroup", nic.props["networkSecurityGroup"]);
    const hasPublic = rd.list("ipConfigurations").some((c) => typeof c === "object" && c !== null && (c as Record<string, unknown>)["publicIPAddress"] !== undefined);
    workloads.push({
      zone,
      label: labelOf(nic),
      subnetId: subnet.resource.urn,
      ...(nicNsgId !== undefined ? { nicNsgId } : {}),
      public: hasPublic || publicZones.includes(zone),
    });
  }
  const model: AzureModel = { vnetPrefixes, subnets, nsgs: [...nsgs.values()].map(({ id, label, rules }): AzureNsg => ({ id, label, rules })), workloads };
  return { model, problems };
}
