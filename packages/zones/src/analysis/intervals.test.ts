import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { collectGrants, grantPorts, grantRules, intersectGrants, unionAllGrants, unionGrants, type Grant, type RuleRef } from "./grants";
import { cutBig, intersectSpans, normalizeSpans, partitionBig, subtractSpans, unionSpans, type BigSpan, type Span } from "./intervals";

// Ports 0-63 stand for the whole range: every operation is checked against plain sets.
const spanArb = fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 })).map(([a, b]): Span => ({ from: Math.min(a, b), to: Math.max(a, b) }));
const setArb = fc.array(spanArb, { maxLength: 6 });
const members = (spans: readonly Span[]): number[] => [...new Set(spans.flatMap((s) => Array.from({ length: s.to - s.from + 1 }, (_, i) => s.from + i)))].sort((a, b) => a - b);
const isNormal = (spans: readonly Span[]): boolean => spans.every((s, i) => s.from <= s.to && (i === 0 || s.from > (spans[i - 1] as Span).to + 1));

describe("interval sets", () => {
  it("normalize to sorted, disjoint, non-adjacent ranges holding the same ports", () => {
    fc.assert(fc.property(setArb, (a) => {
      const n = normalizeSpans(a);
      assert.ok(isNormal(n));
      assert.deepEqual(members(n), members(a));
    }));
  });

  it("unite, intersect and subtract as sets of ports do", () => {
    fc.assert(fc.property(setArb, setArb, (a, b) => {
      const x = normalizeSpans(a);
      const y = normalizeSpans(b);
      const mx = new Set(members(x));
      const my = new Set(members(y));
      assert.deepEqual(members(unionSpans(x, y)), [...new Set([...mx, ...my])].sort((p, q) => p - q));
      assert.deepEqual(members(intersectSpans(x, y)), [...mx].filter((p) => my.has(p)));
      assert.deepEqual(members(subtractSpans(x, y)), [...mx].filter((p) => !my.has(p)));
      for (const r of [unionSpans(x, y), intersectSpans(x, y), subtractSpans(x, y)]) assert.ok(isNormal(r));
    }));
  });

  it("cut address ranges so that every cutting range holds a piece whole or misses it, and group pieces by elementary interval", () => {
    const big = (s: Span): BigSpan => ({ from: BigInt(s.from), to: BigInt(s.to) });
    fc.assert(fc.property(setArb, setArb, (q, cuts) => {
      const set = normalizeSpans(q).map(big);
      const c = cuts.map(big);
      const pieces = cutBig(set, c);
      assert.deepEqual(members(pieces.map((p) => ({ from: Number(p.from), to: Number(p.to) }))), members(normalizeSpans(q)));
      for (const p of pieces) for (const k of c) assert.ok((k.from <= p.from && p.to <= k.to) || p.to < k.from || p.from > k.to);
      const groups = partitionBig(set, c);
      assert.equal(groups.reduce((n, g) => n + g.ranges.length, 0), pieces.length);
      for (const g of groups) for (const r of g.ranges) for (const k of c) assert.equal(k.from <= r.from && r.to <= k.to, k.from <= g.probe.from && g.probe.to <= k.to);
    }));
  });
});

const ref = (i: number): RuleRef => ({ id: `r${i}`, label: `r${i}`, layer: "security-group" });

describe("grants", () => {
  const ruleSets = fc.array(setArb, { minLength: 1, maxLength: 5 });

  it("collect many rules in one sweep: each port carries exactly the rules that cover it", () => {
    fc.assert(fc.property(ruleSets, (sets) => {
      const grants = collectGrants(sets.map((ports, i) => ({ ports: normalizeSpans(ports), ref: ref(i) })));
      for (let port = 0; port <= 63; port += 1) {
        const want = sets.map((s, i) => (members(s).includes(port) ? `r${i}` : undefined)).filter((x) => x !== undefined);
        const g = grants.find((x) => x.from <= port && port <= x.to);
        assert.deepEqual((g?.rules ?? []).map((r) => r.id).sort(), want.sort(), `port ${port}`);
      }
    }));
  });

  it("unite pairwise and all at once alike, and intersect with the rules of both sides", () => {
    fc.assert(fc.property(ruleSets, (sets) => {
      const lists: Grant[][] = sets.map((ports, i) => collectGrants([{ ports: normalizeSpans(ports), ref: ref(i) }]));
      const folded = lists.reduce<Grant[]>((acc, l) => unionGrants(acc, l), []);
      const swept = unionAllGrants(lists);
      assert.deepEqual(grantPorts(swept), grantPorts(folded));
      assert.deepEqual(grantRules(swept).map((r) => r.id).sort(), grantRules(folded).map((r) => r.id).sort());
      const [a = [], b = []] = lists;
      const both = intersectGrants(a, b);
      assert.deepEqual(grantPorts(both), intersectSpans(grantPorts(a), grantPorts(b)));
      for (const g of both) assert.deepEqual(g.rules.map((r) => r.id).sort(), lists.length > 1 ? ["r0", "r1"] : ["r0"]);
    }));
  });
});
