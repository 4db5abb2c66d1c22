/**
 * Sets of traffic (protocol and port) that rules allow, with the set operations the policies
 * need: what a rule opens beyond what the zone model allows, whether it touches an admin
 * port, and what remains of an allow rule once the deny rules evaluated before it are taken
 * away (network ACLs and NSGs evaluate in order; security groups only allow).
 */
import type { PortRange, Protocol } from "@pfv5/zones";

/** A protocol as a rule states it after normalization. `other` covers ESP, AH, GRE, numbers. */
export type RuleProtocol = Protocol | "icmpv6" | { readonly other: string };

/** Sorted, disjoint, non-adjacent inclusive ranges. */
type Ranges = readonly PortRange[];

export interface TrafficSet {
  readonly tcp: Ranges;
  readonly udp: Ranges;
  readonly icmp: boolean;
  readonly icmpv6: boolean;
  /** Other IP protocols: every one (`"all"`) or the listed ones. */
  readonly other: "all" | readonly string[];
}

export const ALL_PORT_RANGE: PortRange = { from: 0, to: 65535 };

export const NOTHING: TrafficSet = { tcp: [], udp: [], icmp: false, icmpv6: false, other: [] };
export const EVERYTHING: TrafficSet = { tcp: [ALL_PORT_RANGE], udp: [ALL_PORT_RANGE], icmp: true, icmpv6: true, other: "all" };

function normalize(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter((r) => r.from <= r.to).map((r) => ({ from: r.from, to: r.to })).sort((a, b) => a.from - b.from);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.from <= last.to + 1) out[out.length - 1] = { from: last.from, to: Math.max(last.to, r.to) };
    else out.push(r);
  }
  return out;
}

function subtractRanges(a: Ranges, b: Ranges): PortRange[] {
  let out: PortRange[] = [...a];
  for (const cut of b) {
    const next: PortRange[] = [];
    for (const r of out) {
      if (cut.to < r.from || cut.from > r.to) next.push(r);
      else {
        if (r.from < cut.from) next.push({ from: r.from, to: cut.from - 1 });
        if (r.to > cut.to) next.push({ from: cut.to + 1, to: r.to });
      }
    }
    out = next;
  }
  return normalize(out);
}

function intersectRanges(a: Ranges, b: Ranges): PortRange[] {
  const out: PortRange[] = [];
  for (const x of a) for (const y of b) {
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from <= to) out.push({ from, to });
  }
  return normalize(out);
}

/**
 * The traffic one rule allows (or denies): a protocol and its port ranges. Protocol all
 * with every port is all traffic; with narrower ports (an Azure rule "*" on "8000-9000")
 * it is tcp and udp on those ports, the protocols that have ports.
 */
export function traffic(protocol: RuleProtocol, ports: readonly PortRange[] = [ALL_PORT_RANGE]): TrafficSet {
  if (typeof protocol === "object") return { ...NOTHING, other: [protocol.other.toLowerCase()] };
  switch (protocol) {
    case "all": {
      const ranges = normalize(ports);
      const every = ranges.length === 1 && ranges[0]?.from === 0 && ranges[0].to === 65535;
      return every ? EVERYTHING : { ...NOTHING, tcp: ranges, udp: ranges };
    }
    case "tcp":
      return { ...NOTHING, tcp: normalize(ports) };
    case "udp":
      return { ...NOTHING, udp: normalize(ports) };
    case "icmp":
      return { ...NOTHING, icmp: true };
    case "icmpv6":
      return { ...NOTHING, icmpv6: true };
  }
}

export function union(...sets: readonly TrafficSet[]): TrafficSet {
  return sets.reduce<TrafficSet>(
    (acc, s) => ({
      tcp: normalize([...acc.tcp, ...s.tcp]),
      udp: normalize([...acc.udp, ...s.udp]),
      icmp: acc.icmp || s.icmp,
      icmpv6: acc.icmpv6 || s.icmpv6,
      other: acc.other === "all" || s.other === "all" ? "all" : [...new Set([...acc.other, ...s.other])].sort(),
    }),
    NOTHING,
  );
}

/**
 * `a` without `b`. "Every other protocol except ESP" has no exact form here, so removing a
 * listed protocol from `"all"` keeps `"all"`: the result may overstate what `a` allows,
 * never understate it, which errs on the side of reporting.
 */
export function subtract(a: TrafficSet, b: TrafficSet): TrafficSet {
  return {
    tcp: subtractRanges(a.tcp, b.tcp),
    udp: subtractRanges(a.udp, b.udp),
    icmp: a.icmp && !b.icmp,
    icmpv6: a.icmpv6 && !b.icmpv6,
    other: b.other === "all" ? [] : a.other === "all" ? "all" : a.other.filter((p) => !b.other.includes(p)),
  };
}

export function intersect(a: TrafficSet, b: TrafficSet): TrafficSet {
  return {
    tcp: intersectRanges(a.tcp, b.tcp),
    udp: intersectRanges(a.udp, b.udp),
    icmp: a.icmp && b.icmp,
    icmpv6: a.icmpv6 && b.icmpv6,
    other: a.other === "all" ? b.other : b.other === "all" ? a.other : a.other.filter((p) => b.other.includes(p)),
  };
}

export function isEmpty(s: TrafficSet): boolean {
  return s.tcp.length === 0 && s.udp.length === 0 && !s.icmp && !s.icmpv6 && (s.other === "all" ? false : s.other.length === 0);
}

function describeRanges(ranges: Ranges): string {
  if (ranges.length === 1 && ranges[0]?.from === 0 && ranges[0].to === 65535) return "every port";
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(", ");
}

/** A short reading of the set, e.g. `tcp 22, 80; udp 51820` or `all traffic`. */
export function describe(s: TrafficSet): string {
  if (isEmpty(subtract(EVERYTHING, s))) return "all traffic";
  const parts: string[] = [];
  if (s.tcp.length > 0) parts.push(`tcp ${describeRanges(s.tcp)}`);
  if (s.udp.length > 0) parts.push(`udp ${describeRanges(s.udp)}`);
  if (s.icmp) parts.push("icmp");
  if (s.icmpv6) parts.push("icmpv6");
  if (s.other === "all") parts.push("every other IP protocol");
  else if (s.other.length > 0) parts.push(`protocol ${s.other.join(", ")}`);
  return parts.length === 0 ? "nothing" : parts.join("; ");
}
