/**
 * Traffic with its reasons: per protocol, the ports allowed, each port range carrying the
 * rules that allow it. Intersecting two layers (a security group and a network ACL, an
 * outbound and an inbound NSG) keeps the rules of both; a union merges them.
 */
import { ALL_PORT_SPANS, normalizeSpans, type Span } from "./intervals";

/** The protocols a matrix tells apart. `other` is every IP protocol but these four. */
export type Proto = "tcp" | "udp" | "icmp" | "icmpv6" | "other";
export const PROTOS: readonly Proto[] = ["tcp", "udp", "icmp", "icmpv6", "other"];

/** Protocols with ports; the others are allowed whole or not at all. */
export function hasPorts(p: Proto): boolean {
  return p === "tcp" || p === "udp";
}

export type Layer = "security-group" | "network-acl" | "route" | "nsg" | "nsg-default" | "platform";

/** A rule (or a default, or a route) that decides traffic, as a message names it. */
export interface RuleRef {
  /** Unique among the rules of one analysis. */
  readonly id: string;
  /** E.g. `aws.vpc.SecurityGroupIngressRule "app-in-22"`. */
  readonly label: string;
  readonly layer: Layer;
  /** The resource to blame, when the rule is one. */
  readonly urn?: string;
  /** Which side of a flow the rule filters: the receiving end (`in`) or the sending end (`out`). */
  readonly direction?: "in" | "out";
}

/** Ports `from`-`to`, allowed because of `rules` (every layer's rule that let them through). */
export interface Grant {
  readonly from: number;
  readonly to: number;
  readonly rules: readonly RuleRef[];
}

/** Sorted, disjoint grants. */
export type Grants = readonly Grant[];

export type Traffic = Readonly<Record<Proto, Grants>>;

export const NO_TRAFFIC: Traffic = { tcp: [], udp: [], icmp: [], icmpv6: [], other: [] };

/**
 * How many of the rules that allow a port range a grant keeps. Every rule kept does open
 * the range; past this many (a hundred allow-all rules over one range) the rest are left
 * out, which keeps time and memory linear in the number of rules. Messages name at most a
 * handful anyway.
 */
export const MAX_RULES_PER_GRANT = 16;

/** The rule lists of both, each rule once (by id), at most {@link MAX_RULES_PER_GRANT}. */
export function mergeRefs(a: readonly RuleRef[], b: readonly RuleRef[]): readonly RuleRef[] {
  if (a === b || b.length === 0 || a.length >= MAX_RULES_PER_GRANT) return a;
  if (a.length === 0) return b;
  const extra = b.filter((r) => !a.some((x) => x.id === r.id));
  if (extra.length === 0) return a;
  const merged = [...a, ...extra];
  return merged.length > MAX_RULES_PER_GRANT ? merged.slice(0, MAX_RULES_PER_GRANT) : merged;
}

function sameRefs(a: readonly RuleRef[], b: readonly RuleRef[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // Lists are short (at most MAX_RULES_PER_GRANT): a scan beats building a set.
  return b.every((r) => a.some((x) => x.id === r.id));
}

function push(out: Grant[], g: Grant): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.to + 1 === g.from && sameRefs(last.rules, g.rules)) {
    out[out.length - 1] = { from: last.from, to: g.to, rules: last.rules };
  } else {
    out.push(g);
  }
}

/** The given ports (any order, overlaps allowed), all allowed by `rule`. */
export function grantsOf(ports: readonly Span[], rules: readonly RuleRef[]): Grant[] {
  const kept = rules.length > MAX_RULES_PER_GRANT ? rules.slice(0, MAX_RULES_PER_GRANT) : rules;
  return normalizeSpans(ports).map((s) => ({ from: s.from, to: s.to, rules: kept }));
}

export function allGrant(rules: readonly RuleRef[]): Grant[] {
  return grantsOf(ALL_PORT_SPANS, rules);
}

/** Ports allowed by either, with the rules of both where they overlap. */
export function unionGrants(a: Grants, b: Grants): Grant[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: Grant[] = [];
  let i = 0;
  let j = 0;
  // `cursor` is the first port not yet emitted.
  let cursor = Math.min((a[0] as Grant).from, (b[0] as Grant).from);
  while (i < a.length || j < b.length) {
    const p = a[i];
    const q = b[j];
    const pFrom = p === undefined ? Infinity : Math.max(p.from, cursor);
    const qFrom = q === undefined ? Infinity : Math.max(q.from, cursor);
    const start = Math.min(pFrom, qFrom);
    const inP = p !== undefined && pFrom === start;
    const inQ = q !== undefined && qFrom === start;
    // The piece ends where either side's current grant ends or the other side's begins.
    let end = Infinity;
    if (inP) end = Math.min(end, p.to);
    else if (p !== undefined) end = Math.min(end, pFrom - 1);
    if (inQ) end = Math.min(end, q.to);
    else if (q !== undefined) end = Math.min(end, qFrom - 1);
    const rules = inP && inQ ? mergeRefs(p.rules, q.rules) : inP ? p.rules : (q as Grant).rules;
    push(out, { from: start, to: end, rules });
    cursor = end + 1;
    if (p !== undefined && p.to < cursor) i += 1;
    if (q !== undefined && q.to < cursor) j += 1;
  }
  return out;
}

/** Ports allowed by both, with the rules of both. */
export function intersectGrants(a: Grants, b: Grants): Grant[] {
  const out: Grant[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const p = a[i] as Grant;
    const q = b[j] as Grant;
    const from = Math.max(p.from, q.from);
    const to = Math.min(p.to, q.to);
    if (from <= to) push(out, { from, to, rules: mergeRefs(p.rules, q.rules) });
    if (p.to < q.to) i += 1;
    else j += 1;
  }
  return out;
}

/** The grants of `a` cut down to the ports in `spans` (normalized). */
export function restrictGrants(a: Grants, spans: readonly Span[]): Grant[] {
  const out: Grant[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < spans.length) {
    const p = a[i] as Grant;
    const q = spans[j] as Span;
    const from = Math.max(p.from, q.from);
    const to = Math.min(p.to, q.to);
    if (from <= to) push(out, { from, to, rules: p.rules });
    if (p.to < q.to) i += 1;
    else j += 1;
  }
  return out;
}

/** Adds `rules` to every grant (a layer that allows everything it sees, such as a route). */
export function withRules(a: Grants, rules: readonly RuleRef[]): Grant[] {
  return a.map((g) => ({ from: g.from, to: g.to, rules: mergeRefs(g.rules, rules) }));
}

/** The ports, without reasons. */
export function grantPorts(a: Grants): Span[] {
  return normalizeSpans(a.map((g) => ({ from: g.from, to: g.to })));
}

/** Every rule of the grants, each once. */
export function grantRules(a: Grants): RuleRef[] {
  const seen = new Map<string, RuleRef>();
  for (const g of a) for (const r of g.rules) if (!seen.has(r.id)) seen.set(r.id, r);
  return [...seen.values()];
}

export function unionTraffic(a: Traffic, b: Traffic): Traffic {
  return {
    tcp: unionGrants(a.tcp, b.tcp),
    udp: unionGrants(a.udp, b.udp),
    icmp: unionGrants(a.icmp, b.icmp),
    icmpv6: unionGrants(a.icmpv6, b.icmpv6),
    other: unionGrants(a.other, b.other),
  };
}

export function intersectTraffic(a: Traffic, b: Traffic): Traffic {
  return {
    tcp: intersectGrants(a.tcp, b.tcp),
    udp: intersectGrants(a.udp, b.udp),
    icmp: intersectGrants(a.icmp, b.icmp),
    icmpv6: intersectGrants(a.icmpv6, b.icmpv6),
    other: intersectGrants(a.other, b.other),
  };
}

export function isNoTraffic(t: Traffic): boolean {
  return PROTOS.every((p) => t[p].length === 0);
}

/** Builds traffic protocol by protocol. */
export function trafficOf(f: (p: Proto) => Grants): Traffic {
  return { tcp: f("tcp"), udp: f("udp"), icmp: f("icmp"), icmpv6: f("icmpv6"), other: f("other") };
}

/**
 * The union of many rules' port ranges in one sweep, each range carrying every rule that
 * covers it: `O(n log n)` for n rules, where folding `unionGrants` would be quadratic.
 */
export function collectGrants(items: readonly { readonly ports: readonly Span[]; readonly ref: RuleRef }[]): Grant[] {
  const events: { at: number; ref: RuleRef; open: boolean }[] = [];
  for (const item of items) {
    for (const s of item.ports) {
      events.push({ at: s.from, ref: item.ref, open: true }, { at: s.to + 1, ref: item.ref, open: false });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const active = new Map<string, { ref: RuleRef; count: number }>();
  const out: Grant[] = [];
  let refs: readonly RuleRef[] = [];
  let i = 0;
  while (i < events.length) {
    const at = (events[i] as { at: number }).at;
    let changed = false;
    while (i < events.length && (events[i] as { at: number }).at === at) {
      const e = events[i] as { at: number; ref: RuleRef; open: boolean };
      const cur = active.get(e.ref.id);
      if (e.open) {
        if (cur === undefined) {
          active.set(e.ref.id, { ref: e.ref, count: 1 });
          changed = true;
        } else cur.count += 1;
      } else if (cur !== undefined) {
        cur.count -= 1;
        if (cur.count === 0) {
          active.delete(e.ref.id);
          changed = true;
        }
      }
      i += 1;
    }
    if (changed) {
      const first: RuleRef[] = [];
      for (const a of active.values()) {
        if (first.length >= MAX_RULES_PER_GRANT) break;
        first.push(a.ref);
      }
      refs = first;
    }
    const next = i < events.length ? (events[i] as { at: number }).at : at;
    if (refs.length > 0 && next > at) push(out, { from: at, to: next - 1, rules: refs });
  }
  return out;
}

/**
 * The union of many grant lists in one sweep, `O(n log n)` for n grants in all (folding
 * `unionGrants` would be quadratic in the number of lists). Grants without rules (a layer
 * left out) keep their ports.
 */
export function unionAllGrants(lists: readonly Grants[]): Grant[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return [...(nonEmpty[0] as Grants)];
  const events: { at: number; g: number; open: boolean }[] = [];
  const all = nonEmpty.flat();
  all.forEach((g, i) => events.push({ at: g.from, g: i, open: true }, { at: g.to + 1, g: i, open: false }));
  events.sort((a, b) => a.at - b.at);
  const active = new Set<number>();
  const out: Grant[] = [];
  let i = 0;
  while (i < events.length) {
    const at = (events[i] as { at: number }).at;
    while (i < events.length && (events[i] as { at: number }).at === at) {
      const e = events[i] as { g: number; open: boolean };
      if (e.open) active.add(e.g);
      else active.delete(e.g);
      i += 1;
    }
    const next = i < events.length ? (events[i] as { at: number }).at : at;
    if (active.size === 0 || next <= at) continue;
    let refs: readonly RuleRef[] = [];
    for (const k of active) {
      if (refs.length >= MAX_RULES_PER_GRANT) break;
      refs = mergeRefs(refs, (all[k] as Grant).rules);
    }
    push(out, { from: at, to: next - 1, rules: refs });
  }
  return out;
}

/** The union of many traffics in one sweep per protocol. */
export function unionAllTraffic(list: readonly Traffic[]): Traffic {
  return trafficOf((p) => unionAllGrants(list.map((t) => t[p])));
}
