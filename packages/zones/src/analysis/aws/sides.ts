/**
 * The two ends of an AWS flow. A packet from A to B leaves A's interface (its security
 * groups' egress), A's subnet (the ACL's outbound entries) and follows A's route table;
 * it enters B's subnet (the ACL's inbound entries) and B's interface (ingress). Security
 * groups are stateful, ACLs are not: the reply needs ACL entries of its own, on both
 * subnets, towards the client's ephemeral ports.
 *
 * What B's end decides depends only on A's address and what A's end decides only on B's,
 * so the ports open from a set of sources to a set of destinations are the ports B's end
 * opens for some source, intersected with those A's end opens for some destination. Each
 * end cuts its peer's addresses at every ACL entry's and route's edges and evaluates each
 * piece once.
 */
import type { IpVersion } from "../../cidr";
import { FAMILIES, addressFamily, type AddressSet } from "../addresses";
import {
  allGrant,
  collectGrants,
  grantRules,
  hasPorts,
  intersectTraffic,
  NO_TRAFFIC,
  PROTOS,
  restrictGrants,
  trafficOf,
  unionTraffic,
  withRules,
  type Grants,
  type Proto,
  type RuleRef,
  type Traffic,
  unionAllTraffic,
} from "../grants";
import { normalizeBig, overlapsBig, partitionBig, type BigSpan, type Span } from "../intervals";
import type { Layers } from "../zones";
import { aclDecision, anyOf, edges, longestMatch, type AwsContext, type IndexedRules, type ParsedAcl, type ParsedGroup, type RulePorts, type SubnetClass } from "./context";

/** The other end of a flow as one end sees it. */
export interface Peer {
  readonly addresses: AddressSet;
  /** Groups whose references match the peer: its interfaces' groups; none for outside addresses. */
  readonly groupIds: readonly string[];
}

/**
 * What the route table must do for the peer's addresses: `local` (inside the VPC),
 * `internet` (through an internet, egress-only or NAT gateway), or `skip` (VPN clients,
 * whose routes the VPN server installs with itself; see the declared matrix's notes).
 */
export type RouteNeed = "local" | "internet" | "skip";

export interface SideOptions {
  readonly layers: Layers;
  readonly route: RouteNeed;
  readonly ephemeral: readonly Span[];
}

/** The union of a direction's security group rules whose peer matches the addresses or groups. */
export function groupTraffic(groups: readonly ParsedGroup[], direction: "ingress" | "egress", version: IpVersion, addrs: readonly BigSpan[], peerGroups: readonly string[]): Traffic {
  if (addrs.length === 0) return NO_TRAFFIC;
  const items = new Map<Proto, RulePorts[]>();
  const add = (p: Proto, rp: RulePorts): void => {
    const list = items.get(p);
    if (list === undefined) items.set(p, [rp]);
    else list.push(rp);
  };
  for (const g of groups) {
    const index = g.indexed[direction];
    for (const peer of peerGroups) {
      const byProto = index.byGroup.get(peer);
      if (byProto !== undefined) for (const [p, list] of byProto) for (const rp of list) add(p, rp);
    }
    for (const { block, perProto } of index.cidr) {
      if (block.version !== version || !overlapsBig(addrs, block.span)) continue;
      for (const [p, rp] of perProto) add(p, rp);
    }
  }
  return trafficOf((p) => collectGrants(items.get(p) ?? []));
}

interface Bucket {
  readonly traffic: Traffic;
  readonly ranges: BigSpan[];
  readonly nat?: string;
}

function bucketKey(t: Traffic, nat: string | undefined): string {
  return `${nat ?? ""}#${PROTOS.map((p) => t[p].map((g) => `${g.from}-${g.to}:${g.rules.map((r) => r.id).join(",")}`).join(";")).join("/")}`;
}

/** Allowed in one direction of an ACL, if the reply passes the other direction. */
function aclPass(forward: ParsedAcl["ingress"], back: ParsedAcl["ingress"], acl: ParsedAcl, p: Proto, v: IpVersion, r: BigSpan, eph: readonly Span[]): Grants {
  const fwd = aclDecision(forward, acl.fallback, p, v, r).allowed;
  if (fwd.length === 0) return [];
  const ret = aclDecision(back, acl.fallback, p, v, r).allowed;
  const replies = hasPorts(p) ? restrictGrants(ret, eph) : ret;
  if (!anyOf(replies, hasPorts(p) ? eph : [{ from: 0, to: 65535 }])) return [];
  return withRules(fwd, grantRules(replies));
}

function addTo(buckets: Map<string, Bucket>, traffic: Traffic, ranges: readonly BigSpan[], nat?: string): void {
  const key = bucketKey(traffic, nat);
  const b = buckets.get(key);
  if (b === undefined) buckets.set(key, { traffic, ranges: [...ranges], ...(nat !== undefined ? { nat } : {}) });
  else b.ranges.push(...ranges);
}

const ALL_TRAFFIC_NO_RULES: Traffic = trafficOf(() => allGrant([]));

/**
 * The traffic B's end lets in from `from`: B's subnet ACL (inbound, and outbound for the
 * reply; skipped when `acl` is false, i.e. both ends share the subnet), B's route back to
 * the source, and B's security groups' ingress.
 */
export function inbound(ctx: AwsContext, cls: SubnetClass, groups: readonly ParsedGroup[], from: Peer, acl: boolean, o: SideOptions): Traffic {
  let out = NO_TRAFFIC;
  for (const v of FAMILIES) {
    const q = addressFamily(from.addresses, v);
    if (q.length === 0) continue;
    const own = addressFamily(cls.addresses, v).length > 0;
    // From outside, B needs an address the internet can reach: public IPv4, or any IPv6.
    if (o.layers.routes && o.route === "internet" && !(v === 4 ? cls.publicIp && own : own)) continue;
    const useAcl = acl && o.layers.acls;
    const useRoute = o.layers.routes && o.route !== "skip";
    const cuts = [
      ...(useAcl ? [...edges(v, cls.acl.ingress), ...edges(v, cls.acl.egress)] : []),
      ...(useRoute ? edges(v, cls.table.routes) : []),
    ];
    const buckets = new Map<string, Bucket>();
    for (const { probe: r, ranges } of partitionBig(q, cuts)) {
      let routeRefs: RuleRef[] = [];
      if (useRoute) {
        const back = longestMatch(cls.table, v, r);
        const want = o.route === "internet" ? "internet-gateway" : "local";
        if (back === undefined || back.target.kind !== want) continue;
        routeRefs = back.ref !== undefined ? [back.ref] : [];
      }
      const t = trafficOf((p) => withRules(useAcl ? aclPass(cls.acl.ingress, cls.acl.egress, cls.acl, p, v, r, o.ephemeral) : allGrant([]), routeRefs));
      addTo(buckets, t, ranges);
    }
    const parts: Traffic[] = [out];
    for (const b of buckets.values()) {
      const sg = o.layers.groups ? groupTraffic(groups, "ingress", v, normalizeBig(b.ranges), from.groupIds) : ALL_TRAFFIC_NO_RULES;
      parts.push(intersectTraffic(b.traffic, sg));
    }
    out = unionAllTraffic(parts);
  }
  return out;
}

/** What the NAT gateway's subnet lets through from A (inbound) and back to A (the reply). */
function natHop(ctx: AwsContext, natSubnetId: string, source: AddressSet, o: SideOptions): Traffic {
  const subnet = ctx.subnets.get(natSubnetId);
  if (subnet === undefined) return NO_TRAFFIC;
  const acl = ctx.acl(subnet.networkAclId);
  let out = NO_TRAFFIC;
  for (const { probe: r } of partitionBig(addressFamily(source, 4), [...edges(4, acl.ingress), ...edges(4, acl.egress)])) {
    out = unionTraffic(out, trafficOf((p) => aclPass(acl.ingress, acl.egress, acl, p, 4, r, o.ephemeral)));
  }
  return out;
}

/**
 * The traffic A's end lets out to `to`: A's security groups' egress, A's subnet ACL
 * (outbound, and inbound for the reply), and A's route to the destination. To the
 * internet that is an internet gateway (with a public IPv4 address, or IPv6), an
 * egress-only gateway (IPv6) or a public NAT gateway whose own subnet routes to an
 * internet gateway; the NAT's subnet ACL then filters the traffic on its way through.
 * `source` is A's addresses, for the NAT hop.
 */
export function outbound(ctx: AwsContext, cls: SubnetClass, groups: readonly ParsedGroup[], to: Peer, acl: boolean, source: AddressSet, o: SideOptions): Traffic {
  let out = NO_TRAFFIC;
  const natHops = new Map<string, Traffic>();
  for (const v of FAMILIES) {
    const q = addressFamily(to.addresses, v);
    const own = addressFamily(cls.addresses, v).length > 0;
    if (q.length === 0 || (o.layers.routes && o.route !== "skip" && !own)) continue;
    const useAcl = acl && o.layers.acls;
    const useRoute = o.layers.routes && o.route !== "skip";
    const natAcls: ParsedAcl[] = [];
    const natTables = useRoute && o.route === "internet" ? [...ctx.nats.values()].map((n) => ctx.subnets.get(n.subnetId)).filter((s) => s !== undefined) : [];
    for (const s of natTables) natAcls.push(ctx.acl(s.networkAclId));
    const cuts = [
      ...(useAcl ? [...edges(v, cls.acl.ingress), ...edges(v, cls.acl.egress)] : []),
      ...(useRoute ? edges(v, cls.table.routes) : []),
      ...natTables.flatMap((s) => edges(v, ctx.table(s.routeTableId).routes)),
      ...(o.layers.acls ? natAcls.flatMap((a) => [...edges(v, a.ingress), ...edges(v, a.egress)]) : []),
    ];
    const buckets = new Map<string, Bucket>();
    for (const { probe: r, ranges } of partitionBig(q, cuts)) {
      let routeRefs: RuleRef[] = [];
      let nat: string | undefined;
      let natAcl: ParsedAcl | undefined;
      if (useRoute) {
        const route = longestMatch(cls.table, v, r);
        const kind = route?.target.kind;
        routeRefs = route?.ref !== undefined ? [route.ref] : [];
        if (o.route === "local") {
          if (kind !== "local") continue;
        } else if (kind === "internet-gateway") {
          if (v === 4 && !cls.publicIp) continue;
        } else if (kind === "egress-only-gateway") {
          if (v !== 6) continue;
        } else if (route?.target.kind === "nat-gateway" && v === 4) {
          const gw = ctx.nats.get(route.target.natId);
          const natSubnet = gw === undefined ? undefined : ctx.subnets.get(gw.subnetId);
          if (gw === undefined || natSubnet === undefined || !gw.public) continue;
          const onward = longestMatch(ctx.table(natSubnet.routeTableId), v, r);
          if (onward?.target.kind !== "internet-gateway") continue;
          if (onward.ref !== undefined) routeRefs.push(onward.ref);
          nat = gw.subnetId;
          natAcl = ctx.acl(natSubnet.networkAclId);
        } else {
          continue;
        }
      }
      const t = trafficOf((p) => {
        // NAT gateways translate TCP, UDP and ICMP only.
        if (nat !== undefined && p !== "tcp" && p !== "udp" && p !== "icmp") return [];
        let g: Grants = useAcl ? aclPass(cls.acl.egress, cls.acl.ingress, cls.acl, p, v, r, o.ephemeral) : allGrant([]);
        if (natAcl !== undefined && o.layers.acls) {
          const onward = aclPass(natAcl.egress, natAcl.ingress, natAcl, p, v, r, o.ephemeral);
          g = intersectTraffic(trafficOf(() => g), trafficOf(() => onward))[p];
        }
        return withRules(g, routeRefs);
      });
      addTo(buckets, t, ranges, nat);
    }
    for (const b of buckets.values()) {
      let t = o.layers.groups ? intersectTraffic(b.traffic, groupTraffic(groups, "egress", v, normalizeBig(b.ranges), to.groupIds)) : b.traffic;
      if (b.nat !== undefined && o.layers.acls) {
        const natSubnet = b.nat;
        // A packet from the NAT's own subnet reaches it without crossing an ACL.
        const crossing = !cls.subnets.some((s) => s.id === natSubnet);
        let hop = natHops.get(natSubnet);
        if (hop === undefined) {
          hop = crossing ? natHop(ctx, natSubnet, source, o) : ALL_TRAFFIC_NO_RULES;
          natHops.set(natSubnet, hop);
        }
        t = intersectTraffic(t, hop);
      }
      out = unionTraffic(out, t);
    }
  }
  return out;
}

function collectPerProto(lists: readonly (readonly RulePortsByProto[])[]): Traffic {
  return trafficOf((p) => collectGrants(lists.flatMap((l) => l.flatMap((m) => m.get(p) ?? []))));
}

type RulePortsByProto = ReadonlyMap<Proto, readonly RulePorts[]>;

/** The group-reference rules of a direction that name one of `peers`. */
function referenced(groups: readonly ParsedGroup[], direction: "ingress" | "egress", peers: readonly string[]): RulePortsByProto[] {
  return groups.flatMap((g) => peers.flatMap((peer) => {
    const m = g.indexed[direction].byGroup.get(peer);
    return m === undefined ? [] : [m];
  }));
}

/** For each range (sorted, disjoint), the CIDR rules overlapping it: a walk per rule, not a scan per range. */
function assign(rules: IndexedRules["cidr"], version: IpVersion, ranges: readonly BigSpan[]): RulePortsByProto[][] {
  const lists: RulePortsByProto[][] = ranges.map(() => []);
  for (const { block, perProto } of rules) {
    if (block.version !== version) continue;
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ranges[mid] as BigSpan).to < block.span.from) lo = mid + 1;
      else hi = mid;
    }
    const asLists = new Map([...perProto].map(([p, rp]) => [p, [rp]]));
    for (let i = lo; i < ranges.length && (ranges[i] as BigSpan).from <= block.span.to; i += 1) lists[i]?.push(asLists);
  }
  return lists;
}

/**
 * Traffic between two interfaces of one subnet, for every subnet both ends share: no ACL
 * and no route, only the groups. A's egress must match the destination (an interface of
 * the subnet), B's ingress the source (an interface of the subnet, or `fixedSource`, the
 * VPN clients A forwards). Group references are the same for every subnet; CIDR rules are
 * assigned to the subnets they overlap, and subnets that meet the same rules are
 * evaluated once.
 */
export function withinSubnets(
  subnets: readonly AddressSet[],
  fixedSource: Peer | undefined,
  sourceGroupIds: readonly string[],
  destGroupIds: readonly string[],
  fromGroups: readonly ParsedGroup[],
  toGroups: readonly ParsedGroup[],
  layers: Layers,
): Traffic {
  if (subnets.length === 0) return NO_TRAFFIC;
  if (!layers.groups) return ALL_TRAFFIC_NO_RULES;
  let out = NO_TRAFFIC;
  const egRef = referenced(fromGroups, "egress", destGroupIds);
  const inRef = referenced(toGroups, "ingress", fixedSource !== undefined ? fixedSource.groupIds : sourceGroupIds);
  for (const v of FAMILIES) {
    const owned = subnets.map((a) => addressFamily(a, v)).filter((r) => r.length > 0);
    if (owned.length === 0) continue;
    // Sorted but not merged: two adjacent subnets are still two subnets.
    const ranges = owned.flat().sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
    const egCidr = fromGroups.flatMap((g) => g.indexed.egress.cidr);
    const inCidr = toGroups.flatMap((g) => g.indexed.ingress.cidr);
    const egLists = assign(egCidr, v, ranges);
    let inLists: RulePortsByProto[][];
    let inFixed: RulePortsByProto[] = [];
    if (fixedSource !== undefined) {
      const src = addressFamily(fixedSource.addresses, v);
      if (src.length === 0) continue;
      inFixed = inCidr.filter((r) => r.block.version === v && overlapsBig(src, r.block.span)).map((r) => new Map([...r.perProto].map(([p, rp]) => [p, [rp]])));
      inLists = ranges.map(() => []);
    } else {
      inLists = assign(inCidr, v, ranges);
    }
    // Each range is one subnet's block (subnets do not overlap). What every subnet shares
    // (group references, a fixed source's CIDR rules) is evaluated once; per subnet only
    // the small terms its own CIDR rules add: (E + e)(I + i) = EI + eI + Ei + ei.
    const egBase = collectPerProto([egRef]);
    const inBase = collectPerProto([inRef, inFixed]);
    const parts: Traffic[] = [out, intersectTraffic(egBase, inBase)];
    const seen = new Set<string>();
    ranges.forEach((_, i) => {
      const eg = egLists[i] ?? [];
      const inn = inLists[i] ?? [];
      if (eg.length === 0 && inn.length === 0) return;
      const key = `${eg.map((m) => [...m.values()].map((l) => l[0]?.ref.id).join("+")).join(",")}|${inn.map((m) => [...m.values()].map((l) => l[0]?.ref.id).join("+")).join(",")}`;
      if (seen.has(key)) return;
      seen.add(key);
      const egC = collectPerProto([eg]);
      const inC = collectPerProto([inn]);
      if (eg.length > 0) parts.push(intersectTraffic(egC, inBase));
      if (inn.length > 0) parts.push(intersectTraffic(egBase, inC));
      if (eg.length > 0 && inn.length > 0) parts.push(intersectTraffic(egC, inC));
    });
    out = unionAllTraffic(parts);
  }
  return out;
}
