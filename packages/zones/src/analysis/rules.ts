/**
 * What one rule matches, protocol and ports, and the first-match evaluation that network
 * ACLs and NSGs share: rules in order, the first one that matches a packet decides it.
 */
import { ALL_PORT_SPANS, intersectSpans, normalizeSpans, subtractSpans, type Span } from "./intervals";
import { collectGrants, hasPorts, PROTOS, type Grant, type Proto, type RuleRef } from "./grants";

/**
 * The protocols a rule names. `whole` is false when the rule covers only part of a bucket
 * (one ICMP type, one protocol number among the `other` ones): such a rule lets that part
 * through, but as a deny it closes nothing the matrix can name, so it never shadows a
 * later allow.
 */
export interface RuleProtocol {
  readonly protos: readonly Proto[];
  readonly whole: boolean;
}

export const ANY_PROTOCOL: RuleProtocol = { protos: PROTOS, whole: true };

export interface RuleTraffic {
  readonly protocol: RuleProtocol;
  /** Destination ports, for tcp and udp; every port otherwise. Normalized. */
  readonly ports: readonly Span[];
}

const BY_NUMBER: Readonly<Record<number, Proto>> = { 6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6" };
const BY_NAME: Readonly<Record<string, Proto>> = { tcp: "tcp", udp: "udp", icmp: "icmp", icmpv6: "icmpv6" };

/**
 * An AWS protocol: `-1` or `all` for every protocol, a name (`tcp`, `udp`, `icmp`,
 * `icmpv6`) or an IP protocol number. `undefined` when it is none of these.
 */
export function awsProtocol(text: string): RuleProtocol | undefined {
  const t = text.trim().toLowerCase();
  if (t === "-1" || t === "all") return ANY_PROTOCOL;
  const named = BY_NAME[t];
  if (named !== undefined) return { protos: [named], whole: true };
  if (!/^\d{1,3}$/.test(t) || Number(t) > 255) return undefined;
  const byNumber = BY_NUMBER[Number(t)];
  return byNumber !== undefined ? { protos: [byNumber], whole: true } : { protos: ["other"], whole: false };
}

/**
 * An Azure protocol: `*`, `Tcp`, `Udp`, `Icmp` (ICMP of either family), `Esp`, `Ah` (any
 * case). `undefined` for anything else.
 */
export function azureProtocol(text: string): RuleProtocol | undefined {
  const t = text.trim().toLowerCase();
  if (t === "*") return ANY_PROTOCOL;
  if (t === "tcp" || t === "udp") return { protos: [t], whole: true };
  if (t === "icmp") return { protos: ["icmp", "icmpv6"], whole: true };
  if (t === "esp" || t === "ah") return { protos: ["other"], whole: false };
  return undefined;
}

/** The ports `traffic` opens for protocol `p`, or `undefined` when it does not apply to `p`. */
export function portsFor(traffic: RuleTraffic, p: Proto): readonly Span[] | undefined {
  if (!traffic.protocol.protos.includes(p)) return undefined;
  return hasPorts(p) ? traffic.ports : ALL_PORT_SPANS;
}

/** Whether a deny of `traffic` closes the ports it names for `p` (see {@link RuleProtocol}). */
export function closesFor(traffic: RuleTraffic, p: Proto): boolean {
  return traffic.protocol.whole && traffic.protocol.protos.includes(p);
}

/** A rule's traffic from a protocol and a port range list. */
export function ruleTraffic(protocol: RuleProtocol, ports: readonly Span[] = ALL_PORT_SPANS): RuleTraffic {
  const any = protocol.protos.length === PROTOS.length;
  return { protocol, ports: any ? ALL_PORT_SPANS : normalizeSpans(ports) };
}

/** How much of a region of addresses (and source ports) a rule's peers cover. */
export type Coverage = "all" | "some" | "none";

export interface OrderedRule {
  /** Rule number (AWS) or priority (Azure): lower goes first. */
  readonly order: number;
  readonly allow: boolean;
  readonly traffic: RuleTraffic;
  readonly ref: RuleRef;
}

export interface FirstMatchResult {
  /** The ports allowed, each with the rule that allowed it. */
  readonly allowed: Grant[];
  /** The ports denied, each with the rule that denied it (the default last). */
  readonly denied: Grant[];
}

/**
 * Evaluates ordered rules for one protocol over a region of packets. `coverage` says,
 * for each rule, whether its addresses hold the region whole, part of it or none of it.
 * A rule covering the whole region decides the ports it names that no earlier rule
 * decided; one covering part of it can only allow (it may match some packets), never
 * close ports for the rest. What no rule decides falls to `fallback` (a deny).
 */
export function firstMatch(
  rules: readonly OrderedRule[],
  p: Proto,
  coverage: (rule: OrderedRule) => Coverage,
  fallback: RuleRef,
): FirstMatchResult {
  if (rules.length > SWEEP_ABOVE) return firstMatchSweep(rules, p, coverage, fallback);
  return firstMatchWalk(rules, p, coverage, fallback);
}

/** {@link firstMatch} rule by rule: each rule decides the ports no earlier rule decided. */
export function firstMatchWalk(rules: readonly OrderedRule[], p: Proto, coverage: (rule: OrderedRule) => Coverage, fallback: RuleRef): FirstMatchResult {
  let undecided: readonly Span[] = ALL_PORT_SPANS;
  // Hits are collected and merged once at the end: folding each into the result would
  // make a long rule list quadratic.
  const allowed: { ports: readonly Span[]; ref: RuleRef }[] = [];
  const denied: { ports: readonly Span[]; ref: RuleRef }[] = [];
  for (const rule of rules) {
    const ports = portsFor(rule.traffic, p);
    if (ports === undefined) continue;
    const c = coverage(rule);
    if (c === "none") continue;
    const hit = intersectSpans(undecided, ports);
    if (hit.length === 0) continue;
    if (rule.allow) {
      allowed.push({ ports: hit, ref: rule.ref });
    } else if (c === "all" && closesFor(rule.traffic, p)) {
      denied.push({ ports: hit, ref: rule.ref });
    }
    if (c === "all" && (rule.allow || closesFor(rule.traffic, p))) {
      undecided = subtractSpans(undecided, hit);
      if (undecided.length === 0) break;
    }
  }
  if (undecided.length > 0) denied.push({ ports: undecided, ref: fallback });
  return { allowed: collectGrants(allowed), denied: collectGrants(denied) };
}

/** Rule lists longer than this are evaluated by a sweep over ports instead of rule by rule. */
const SWEEP_ABOVE = 48;

/** A binary min-heap of rule positions, the lowest (first in order) on top. */
class MinHeap {
  private readonly items: number[] = [];
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if ((a[up] as number) <= x) break;
      a[i] = a[up] as number;
      i = up;
    }
    a[i] = x;
  }
  peek(): number | undefined {
    return this.items[0];
  }
  pop(): void {
    const a = this.items;
    const last = a.pop();
    if (last === undefined || a.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
      if ((a[c] as number) >= last) break;
      a[i] = a[c] as number;
      i = c;
    }
    a[i] = last;
  }
}

/**
 * The same evaluation as {@link firstMatch}, by a sweep over the ports: at every range
 * between two rule edges the first closing rule active there decides (a heap of active
 * rules by position), and rules that match only some packets allow what they cover ahead
 * of it. `O(n log n)` where the rule-by-rule walk is quadratic for long lists of single
 * ports.
 */
export function firstMatchSweep(rules: readonly OrderedRule[], p: Proto, coverage: (rule: OrderedRule) => Coverage, fallback: RuleRef): FirstMatchResult {
  // Rules arrive in evaluation order; a rule's position is its precedence.
  const closing: boolean[] = [];
  const events: { at: number; i: number; open: boolean }[] = [];
  rules.forEach((rule, i) => {
    const ports = portsFor(rule.traffic, p);
    const c = ports === undefined ? "none" : coverage(rule);
    closing.push(c === "all" && (rule.allow || closesFor(rule.traffic, p)));
    if (ports === undefined || c === "none") return;
    if (!rule.allow && !closing[i]) return;
    for (const s of ports) events.push({ at: s.from, i, open: true }, { at: s.to + 1, i, open: false });
  });
  events.sort((a, b) => a.at - b.at);
  const active = new Set<number>();
  const heap = new MinHeap();
  const partial = new Set<number>();
  const allowed: { ports: readonly Span[]; ref: RuleRef }[] = [];
  const denied: { ports: readonly Span[]; ref: RuleRef }[] = [];
  let e = 0;
  let at = 0;
  while (at <= 65535) {
    while (e < events.length && (events[e] as { at: number }).at <= at) {
      const ev = events[e] as { i: number; open: boolean };
      if (closing[ev.i]) {
        if (ev.open) {
          active.add(ev.i);
          heap.push(ev.i);
        } else active.delete(ev.i);
      } else if (ev.open) partial.add(ev.i);
      else partial.delete(ev.i);
      e += 1;
    }
    while (heap.peek() !== undefined && !active.has(heap.peek() as number)) heap.pop();
    const next = Math.min(e < events.length ? (events[e] as { at: number }).at : 65536, 65536);
    const span: Span[] = [{ from: at, to: next - 1 }];
    const decider = heap.peek();
    for (const k of partial) if (decider === undefined || k < decider) allowed.push({ ports: span, ref: (rules[k] as OrderedRule).ref });
    if (decider === undefined) denied.push({ ports: span, ref: fallback });
    else {
      const d = rules[decider] as OrderedRule;
      (d.allow ? allowed : denied).push({ ports: span, ref: d.ref });
    }
    at = next;
  }
  return { allowed: collectGrants(allowed), denied: collectGrants(denied) };
}

/** Sorts rules for evaluation: by order, then as given (stable). */
export function inOrder<R extends { readonly order: number }>(rules: readonly R[]): R[] {
  return rules.map((r, i) => ({ r, i })).sort((a, b) => a.r.order - b.r.order || a.i - b.i).map((x) => x.r);
}
