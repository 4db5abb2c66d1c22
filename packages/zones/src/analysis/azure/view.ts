/**
 * One direction of one NSG, prepared once for every question asked of it: the address
 * space cut at its rules' edges into classes of addresses that meet the same rules (on the
 * source side and on the destination side), and the verdict for each pair of classes,
 * computed on first use and kept. A zone matrix asks the same NSG about the same classes
 * from many zone pairs; each pair then costs a lookup.
 */
import type { IpVersion } from "../../cidr";
import { addressFamily } from "../addresses";
import { trafficOf, type RuleRef, type Traffic } from "../grants";
import type { BigSpan } from "../intervals";
import { firstMatch, type Coverage, type OrderedRule } from "../rules";
import type { ParsedNsgRule } from "./nsg";

interface Partition {
  /** Sorted edges; elementary interval k is [marks[k-1], marks[k]). */
  readonly marks: readonly bigint[];
  /** The class of each elementary interval (marks.length + 1 of them). */
  readonly classOf: readonly number[];
  /** Per class, the positions of the rules whose set holds it, ascending. */
  readonly members: readonly (readonly number[])[];
}

function partition(rules: readonly ParsedNsgRule[], side: "sources" | "destinations", v: IpVersion): Partition {
  const events: { at: bigint; rule: number; open: boolean }[] = [];
  rules.forEach((r, i) => {
    for (const span of addressFamily(r[side], v)) events.push({ at: span.from, rule: i, open: true }, { at: span.to + 1n, rule: i, open: false });
  });
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const marks: bigint[] = [];
  const classOf: number[] = [];
  const members: number[][] = [];
  const byKey = new Map<string, number>();
  const active = new Set<number>();
  const record = (): void => {
    const list = [...active].sort((a, b) => a - b);
    const key = list.join(",");
    let id = byKey.get(key);
    if (id === undefined) {
      id = members.length;
      members.push(list);
      byKey.set(key, id);
    }
    classOf.push(id);
  };
  // The interval before the first edge holds no rule's addresses.
  record();
  let i = 0;
  while (i < events.length) {
    const at = (events[i] as { at: bigint }).at;
    while (i < events.length && (events[i] as { at: bigint }).at === at) {
      const e = events[i] as { rule: number; open: boolean };
      if (e.open) active.add(e.rule);
      else active.delete(e.rule);
      i += 1;
    }
    marks.push(at);
    record();
  }
  return { marks, classOf, members };
}

function locate(p: Partition, x: bigint): number {
  let lo = 0;
  let hi = p.marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((p.marks[mid] as bigint) <= x) lo = mid + 1;
    else hi = mid;
  }
  return p.classOf[lo] ?? 0;
}

export class NsgView {
  private readonly parts = new Map<string, Partition>();
  private readonly verdicts = new Map<string, Traffic>();

  constructor(
    readonly rules: readonly ParsedNsgRule[],
    private readonly fallback: RuleRef,
  ) {}

  private part(side: "sources" | "destinations", v: IpVersion): Partition {
    const key = `${side}${v}`;
    let p = this.parts.get(key);
    if (p === undefined) {
      p = partition(this.rules, side, v);
      this.parts.set(key, p);
    }
    return p;
  }

  /** The edges at which the classes of a side change. */
  edges(side: "sources" | "destinations", v: IpVersion): readonly bigint[] {
    return this.part(side, v).marks;
  }

  /** The class of a range that no edge of this side splits. */
  classOf(side: "sources" | "destinations", v: IpVersion, range: BigSpan): number {
    return locate(this.part(side, v), range.from);
  }

  /** What the NSG lets through from source class `s` to destination class `d`. */
  verdict(v: IpVersion, s: number, d: number): Traffic {
    const key = `${v}:${s}:${d}`;
    let t = this.verdicts.get(key);
    if (t === undefined) {
      const inDst = new Set(this.part("destinations", v).members[d] ?? []);
      // Only rules holding both ends can match: the rest are skipped, not scanned.
      const matching = (this.part("sources", v).members[s] ?? []).filter((i) => inDst.has(i)).map((i) => this.rules[i] as ParsedNsgRule);
      const coverage = (r: OrderedRule): Coverage => ((r as ParsedNsgRule).everySourcePort ? "all" : "some");
      t = trafficOf((p) => firstMatch(matching, p, coverage, this.fallback).allowed);
      this.verdicts.set(key, t);
    }
    return t;
  }
}
