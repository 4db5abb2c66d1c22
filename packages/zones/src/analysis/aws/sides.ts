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
} from "../grants";
import { cutBig, normalizeBig, overlapsBig, type BigSpan, type Span } from "../intervals";
import { portsFor } from "../rules";
import type { Layers } from "../zones";
import { aclDecision, anyOf, edges, longestMatch, type AwsContext, type ParsedAcl, type ParsedGroup, type SubnetClass } from "./context";

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
  const items: { proto: Proto; ports: readonly Span[]; ref: RuleRef }[] = [];
  if (addrs.length === 0) return NO_TRAFFIC;
  for (const g of groups) {
    for (const { rule, block } of g[direction]) {
      const matches =
        block !== undefined
          ? block.version === version && overlapsBig(addrs, block.span)
          : rule.peer.kind === "group" && peerGroups.includes(rule.peer.groupId);
      if (!matches) continue;
      for (const p of PROTOS) {
        const ports = portsFor(rule.traffic, p);
        if (ports !== undefined) items.push({ proto: p, ports, ref: rule.ref });
      }
    }
  }
  return trafficOf((p) => collectGrants(items.filter((i) => i.proto === p)));
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

function addTo(buckets: Map<string, Bucket>, traffic: Traffic, r: BigSpan, nat?: string): void {
  const key = bucketKey(traffic, nat);
  const b = buckets.get(key);
  if (b === undefined) buckets.set(key, { traffic, ranges: [r], ...(nat !== undefined ? { nat } : {}) });
  else b.ranges.push(r);
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
    for (const r of cutBig(q, cuts)) {
      let routeRefs: RuleRef[] = [];
      if (useRoute) {
        const back = longestMatch(cls.table, v, r);
        const want = o.route === "internet" ? "internet-gateway" : "local";
        if (back === undefined || back.target.kind !== want) continue;
        routeRefs = back.ref !== undefined ? [back.ref] : [];
      }
      const t = trafficOf((p) => withRules(useAcl ? aclPass(cls.acl.ingress, cls.acl.egress, cls.acl, p, v, r, o.ephemeral) : allGrant([]), routeRefs));
      addTo(buckets, t, r);
    }
    for (const b of buckets.values()) {
      const sg = o.layers.groups ? groupTraffic(groups, "ingress", v, normalizeBig(b.ranges), from.groupIds) : ALL_TRAFFIC_NO_RULES;
      out = unionTraffic(out, intersectTraffic(b.traffic, sg));
    }
  }
  return out;
}

/** What the NAT gateway's subnet lets through from A (inbound) and back to A (the reply). */
function natHop(ctx: AwsContext, natSubnetId: string, source: AddressSet, o: SideOptions): Traffic {
  const subnet = ctx.subnets.get(natSubnetId);
  if (subnet === undefined) return NO_TRAFFIC;
  const acl = ctx.acl(subnet.networkAclId);
  let out = NO_TRAFFIC;
  for (const r of cutBig(addressFamily(source, 4), [...edges(4, acl.ingress), ...edges(4, acl.egress)])) {
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
    for (const r of cutBig(q, cuts)) {
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
      addTo(buckets, t, r, nat);
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

/**
 * Traffic between two interfaces of one subnet: no ACL and no route, only the groups.
 * A's egress must match the destination, B's ingress the source (A's address, or a VPN
 * client's that A forwards).
 */
export function withinSubnet(source: Peer, dest: Peer, fromGroups: readonly ParsedGroup[], toGroups: readonly ParsedGroup[], layers: Layers): Traffic {
  if (!layers.groups) return ALL_TRAFFIC_NO_RULES;
  let out = NO_TRAFFIC;
  for (const v of FAMILIES) {
    const src = addressFamily(source.addresses, v);
    const dst = addressFamily(dest.addresses, v);
    if (src.length === 0 || dst.length === 0) continue;
    const eg = groupTraffic(fromGroups, "egress", v, dst, dest.groupIds);
    const ing = groupTraffic(toGroups, "ingress", v, src, source.groupIds);
    out = unionTraffic(out, intersectTraffic(eg, ing));
  }
  return out;
}
