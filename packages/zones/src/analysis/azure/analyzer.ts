/**
 * `AzureAnalyzer`: what can reach what in an Azure VNet. NSGs sit on subnets and NICs;
 * inbound traffic passes the subnet's NSG then the NIC's, outbound the NIC's then the
 * subnet's; each evaluates its rules and Azure's defaults by priority, first match wins,
 * and is stateful (replies pass). Outbound internet access comes from a NAT gateway, a
 * public address or the implicit default outbound access; inbound from the internet
 * needs a public address or a public load balancer.
 */
import {
  addressFamily,
  addressesOf,
  addressesOverlap,
  intersectAddresses,
  isEmptySet,
  subtractAddresses,
  unionAddresses,
  type AddressSet,
} from "../addresses";
import { allGrant, hasPorts, intersectTraffic, NO_TRAFFIC, restrictGrants, trafficOf, unionAllTraffic, unionTraffic, withRules, type RuleRef, type Traffic } from "../grants";
import type { BigSpan } from "../intervals";
import { allows, buildMatrix, rulesFor, type Query, type QueryAnswer, type ZoneAnalyzer, type ZoneMatrix } from "../matrix";
import { firstMatch, type OrderedRule } from "../rules";
import { ADMINS, AZURE_MATRIX_ZONES, INTERNET, outsideZones, REACH, ROUTES_ONLY, SERVICES, VPN, type Layers } from "../zones";
import { SERVICE_ENDPOINT_OF_TAG, type AzureAnalysisOptions, type AzureModel, type AzureSubnet } from "./model";
import { parseNsg, TagSpace, type ParsedNsg, type ParsedNsgRule } from "./nsg";
import type { NsgView } from "./view";

interface Attachment {
  readonly label: string;
  readonly subnet: AzureSubnet;
  readonly addresses: AddressSet;
  /** NIC's NSG then the subnet's. */
  readonly out: readonly ParsedNsg[];
  /** Subnet's NSG then the NIC's. */
  readonly in: readonly ParsedNsg[];
  readonly public: boolean;
  /** How the attachment reaches the internet, as a rule-like reason; none without a way out. */
  readonly egress?: RuleRef;
  readonly ingress?: RuleRef;
}

type End =
  | { readonly kind: "outside"; readonly addresses: AddressSet }
  | { readonly kind: "services" }
  | { readonly kind: "vpn"; readonly addresses: AddressSet }
  | { readonly kind: "workload"; readonly attachments: readonly Attachment[] };

const ALL_NO_RULES: Traffic = trafficOf(() => allGrant([]));

/** Cuts sorted disjoint ranges at sorted edges. */
function cutAt(q: readonly BigSpan[], marks: readonly bigint[]): BigSpan[] {
  const out: BigSpan[] = [];
  let m = 0;
  for (const r of q) {
    let from = r.from;
    while (m < marks.length && (marks[m] as bigint) <= from) m += 1;
    let k = m;
    while (k < marks.length && (marks[k] as bigint) <= r.to) {
      const mark = marks[k] as bigint;
      if (mark > from) {
        out.push({ from, to: mark - 1n });
        from = mark;
      }
      k += 1;
    }
    out.push({ from, to: r.to });
  }
  return out;
}

/** The combinations of classes (one per view) the pieces of `q` fall in. */
function combos(q: readonly BigSpan[], views: readonly NsgView[], side: "sources" | "destinations", v: 4 | 6): number[][] {
  const marks = [...new Set(views.flatMap((w) => w.edges(side, v)))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const seen = new Map<string, number[]>();
  for (const piece of cutAt(q, marks)) {
    const ids = views.map((w) => w.classOf(side, v, piece));
    const key = ids.join(",");
    if (!seen.has(key)) seen.set(key, ids);
  }
  return [...seen.values()];
}

/**
 * The traffic from `src` to `dst` that every NSG of `out` (outbound) and `into` (inbound)
 * lets through, with the deciding rules.
 */
export function throughNsgs(src: AddressSet, dst: AddressSet, out: readonly ParsedNsg[], into: readonly ParsedNsg[], layers: Layers): Traffic {
  if (isEmptySet(src) || isEmptySet(dst)) return NO_TRAFFIC;
  if (!layers.groups) return ALL_NO_RULES;
  const views = [...out.map((n) => n.views.outbound), ...into.map((n) => n.views.inbound)];
  const parts: Traffic[] = [];
  for (const v of [4, 6] as const) {
    const s = addressFamily(src, v);
    const d = addressFamily(dst, v);
    if (s.length === 0 || d.length === 0) continue;
    const srcCombos = combos(s, views, "sources", v);
    const dstCombos = combos(d, views, "destinations", v);
    for (const sc of srcCombos) {
      for (const dc of dstCombos) {
        let t = ALL_NO_RULES;
        views.forEach((w, k) => {
          t = intersectTraffic(t, w.verdict(v, sc[k] ?? 0, dc[k] ?? 0));
        });
        parts.push(t);
      }
    }
  }
  return unionAllTraffic(parts);
}

export class AzureAnalyzer implements ZoneAnalyzer {
  readonly cloud = "azure" as const;
  readonly zones: readonly string[];
  private readonly tags: TagSpace;
  private readonly attachments = new Map<string, Attachment[]>();
  private readonly internet: AddressSet;
  private readonly admins: AddressSet;
  private readonly vpn: AddressSet;
  private readonly masquerade: boolean;
  private readonly vpnServerZone: string;

  constructor(model: AzureModel, options: AzureAnalysisOptions, zones: readonly string[] = AZURE_MATRIX_ZONES) {
    this.zones = zones;
    this.masquerade = options.vpnMasquerade ?? true;
    this.vpnServerZone = options.vpnServerZone ?? "dmz";
    this.tags = new TagSpace(model.vnetPrefixes, this.masquerade ? [] : [options.vpnCidr]);
    const nsgs = new Map(model.nsgs.map((n) => [n.id, parseNsg(n, this.tags)]));
    const outside = outsideZones(options.adminCidrs, options.vpnCidr, model.vnetPrefixes);
    const platform = unionAddresses(this.tags.serviceSpace(), this.tags.loadBalancer);
    this.internet = subtractAddresses(outside.internet, platform);
    this.admins = outside.admins;
    this.vpn = outside.vpn;
    const subnets = new Map(model.subnets.map((s) => [s.id, s]));
    const groups = new Map<string, { zone: string; attachment: Attachment }>();
    for (const w of model.workloads) {
      const subnet = subnets.get(w.subnetId);
      if (subnet === undefined) throw new Error(`workload "${w.label}" names subnet "${w.subnetId}", which the model does not have`);
      const subnetNsg = subnet.nsgId !== undefined ? nsgs.get(subnet.nsgId) : undefined;
      const nicNsg = w.nicNsgId !== undefined ? nsgs.get(w.nicNsgId) : undefined;
      const ref = (what: string): RuleRef => ({ id: `${subnet.id}#${what}`, label: `${subnet.label} ${what}`, layer: "route", urn: subnet.id });
      const egress = subnet.natGateway
        ? ref("NAT gateway")
        : w.public
          ? ref("public address")
          : subnet.defaultOutboundAccess
            ? ref("default outbound access")
            : undefined;
      const attachment: Attachment = {
        label: w.label,
        subnet,
        addresses: addressesOf(subnet.prefixes),
        out: [nicNsg, subnetNsg].filter((n) => n !== undefined),
        in: [subnetNsg, nicNsg].filter((n) => n !== undefined),
        public: w.public,
        ...(egress !== undefined ? { egress } : {}),
        ...(w.public ? { ingress: ref("public address") } : {}),
      };
      // Interfaces behind the same NSGs, with the same ways in and out, evaluate alike:
      // one attachment holds all their addresses (NSGs judge every address on its own).
      const key = [w.zone, attachment.out.map((n) => n.id).join(","), attachment.in.map((n) => n.id).join(","), w.public, egress?.label.slice(subnet.label.length) ?? "", [...subnet.serviceEndpoints].sort().join(",")].join("|");
      const same = groups.get(key);
      if (same === undefined) groups.set(key, { zone: w.zone, attachment });
      else groups.set(key, { zone: w.zone, attachment: { ...same.attachment, addresses: unionAddresses(same.attachment.addresses, attachment.addresses) } });
    }
    for (const { zone, attachment } of groups.values()) {
      const list = this.attachments.get(zone) ?? [];
      list.push(attachment);
      this.attachments.set(zone, list);
    }
  }

  private end(zone: string): End {
    if (zone === INTERNET) return { kind: "outside", addresses: this.internet };
    if (zone === ADMINS) return { kind: "outside", addresses: this.admins };
    if (zone === VPN) return { kind: "vpn", addresses: this.vpn };
    if (zone === SERVICES) return { kind: "services" };
    return { kind: "workload", attachments: this.attachments.get(zone) ?? [] };
  }

  private pair(from: End, to: End, layers: Layers): Traffic {
    let out = NO_TRAFFIC;
    const add = (t: Traffic): void => {
      out = unionTraffic(out, t);
    };
    const routed = (t: Traffic, ref: RuleRef | undefined): Traffic => (layers.routes ? (ref === undefined ? NO_TRAFFIC : trafficOf((p) => withRules(t[p], [ref]))) : t);
    if (from.kind === "workload" && to.kind === "workload") {
      for (const a of from.attachments) for (const b of to.attachments) add(throughNsgs(a.addresses, b.addresses, a.out, b.in, layers));
    } else if (from.kind === "outside" && to.kind === "workload") {
      for (const b of to.attachments) add(routed(throughNsgs(from.addresses, b.addresses, [], b.in, layers), b.ingress));
    } else if (from.kind === "workload" && to.kind === "outside") {
      for (const a of from.attachments) add(routed(throughNsgs(a.addresses, to.addresses, a.out, [], layers), a.egress));
    } else if (from.kind === "workload" && to.kind === "services") {
      for (const a of from.attachments) {
        for (const [tag, block] of this.tags.serviceTags()) {
          const endpoint = SERVICE_ENDPOINT_OF_TAG[tag];
          const via: RuleRef | undefined =
            endpoint !== undefined && a.subnet.serviceEndpoints.includes(endpoint)
              ? { id: `${a.subnet.id}#endpoint-${endpoint}`, label: `${a.subnet.label} service endpoint ${endpoint}`, layer: "route", urn: a.subnet.id }
              : a.egress;
          add(routed(throughNsgs(a.addresses, block, a.out, [], layers), via));
        }
      }
    } else if (from.kind === "services" && to.kind === "workload") {
      // Only the host's address (load balancer probes) starts connections into a VNet.
      const src = layers.routes ? this.tags.loadBalancer : unionAddresses(this.tags.loadBalancer, this.tags.serviceSpace());
      for (const b of to.attachments) add(throughNsgs(src, b.addresses, [], b.in, layers));
    } else if (from.kind === "vpn" && to.kind === "workload") {
      for (const server of this.attachments.get(this.vpnServerZone) ?? []) {
        for (const b of to.attachments) add(throughNsgs(this.masquerade ? server.addresses : from.addresses, b.addresses, server.out, b.in, layers));
      }
    }
    return out;
  }

  evaluate(from: string, to: string, layers: Layers = REACH): Traffic {
    return this.pair(this.end(from), this.end(to), layers);
  }

  matrix(layers: Layers = REACH): ZoneMatrix {
    return buildMatrix("azure", this.zones, (f, t) => this.evaluate(f, t, layers));
  }

  private resolve(text: string): End {
    if (this.zones.includes(text) || this.attachments.has(text)) return this.end(text);
    const addr = addressesOf([text]);
    if (addressesOverlap(addr, this.tags.vnet)) {
      const attachments = [...this.attachments.values()].flat().filter((a) => addressesOverlap(a.addresses, addr)).map((a) => ({ ...a, addresses: intersectAddresses(a.addresses, addr) }));
      return { kind: "workload", attachments };
    }
    if (addressesOverlap(addr, this.vpn)) return { kind: "vpn", addresses: addr };
    // The host address is the platform (probes), not the internet.
    if (addressesOverlap(addr, this.tags.loadBalancer)) return { kind: "services" };
    return { kind: "outside", addresses: addr };
  }

  query(q: Query): QueryAnswer {
    const from = this.resolve(q.from);
    const to = this.resolve(q.to);
    const only = (t: Traffic): Traffic =>
      trafficOf((p) => (p !== q.protocol ? [] : hasPorts(p) && q.port !== undefined ? restrictGrants(t[p], [{ from: q.port, to: q.port }]) : t[p]));
    const reach = only(this.pair(from, to, REACH));
    if (allows(reach, q.protocol, q.port)) return { allowed: true, allowedBy: rulesFor(reach, q.protocol, q.port), deniedBy: [] };
    const deniedBy: string[] = [];
    if (!allows(only(this.pair(from, to, ROUTES_ONLY)), q.protocol, q.port)) {
      deniedBy.push("routing: no way between them (no public address for inbound internet traffic, no NAT gateway or default outbound access for outbound)");
    }
    const nsg = only(this.pair(from, to, { groups: true, acls: false, routes: false }));
    if (!allows(nsg, q.protocol, q.port)) deniedBy.push(...this.denials(from, to, q));
    return { allowed: false, allowedBy: [], deniedBy };
  }

  /** The rules that deny the query's packet, for one representative source and destination. */
  private denials(from: End, to: End, q: Query): string[] {
    const first = (set: AddressSet): AddressSet => {
      const r4 = set.v4[0];
      return r4 !== undefined ? { v4: [{ from: r4.from, to: r4.from }], v6: [] } : { v4: [], v6: set.v6[0] !== undefined ? [{ from: set.v6[0].from, to: set.v6[0].from }] : [] };
    };
    const ends = (e: End): { addresses: AddressSet; out: readonly ParsedNsg[]; in: readonly ParsedNsg[] }[] =>
      e.kind === "workload" ? e.attachments.map((a) => ({ addresses: a.addresses, out: a.out, in: a.in })) : e.kind === "services" ? [] : [{ addresses: e.addresses, out: [], in: [] }];
    const out: string[] = [];
    for (const a of ends(from)) {
      for (const b of ends(to)) {
        const src = first(a.addresses);
        const dst = first(b.addresses);
        for (const [nsg, rules, fallback] of [...a.out.map((n) => [n, n.outbound, n.fallbackOut] as const), ...b.in.map((n) => [n, n.inbound, n.fallbackIn] as const)]) {
          const coverage = (r: OrderedRule) => {
            const rule = r as ParsedNsgRule;
            const inS = addressesOverlap(rule.sources, src) && addressesOverlap(rule.destinations, dst);
            return inS ? (rule.everySourcePort ? ("all" as const) : ("some" as const)) : ("none" as const);
          };
          const res = firstMatch(rules, q.protocol, coverage, fallback);
          const denied = res.denied.filter((g) => q.port === undefined || (g.from <= q.port && q.port <= g.to));
          for (const g of denied) for (const r of g.rules) out.push(`${nsg.label}: ${r.label} denies it`);
        }
      }
    }
    return out.length > 0 ? [...new Set(out)] : ["NSGs: each allows it for some addresses, but not for the same ones"];
  }
}
