import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { grantPorts, grantRules, type Proto } from "./grants";
import { awsProtocol, firstMatchSweep, firstMatchWalk, ruleTraffic, type Coverage, type OrderedRule } from "./rules";

const ruleArb = fc.record({
  allow: fc.boolean(),
  proto: fc.constantFrom("tcp", "udp", "icmp", "-1", "47"),
  a: fc.integer({ min: 0, max: 70 }),
  b: fc.integer({ min: 0, max: 70 }),
  coverage: fc.constantFrom<Coverage>("all", "all", "some", "none"),
});

describe("first-match evaluation", () => {
  it("gives the same allowed and denied ports, and the same deciding rules, by sweep as rule by rule", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 60 }), fc.constantFrom<Proto>("tcp", "udp", "icmp", "other"), (list, p) => {
        const rules: OrderedRule[] = list.map((r, i) => ({
          order: i,
          allow: r.allow,
          traffic: ruleTraffic(awsProtocol(r.proto) ?? { protos: [], whole: true }, [{ from: Math.min(r.a, r.b) * 900, to: Math.max(r.a, r.b) * 900 + 3 }]),
          ref: { id: `r${i}`, label: `r${i}`, layer: "network-acl" },
        }));
        const coverage = (rule: OrderedRule): Coverage => list[rule.order]?.coverage ?? "none";
        const fallback = { id: "*", label: "*", layer: "network-acl" as const };
        const walk = firstMatchWalk(rules, p, coverage, fallback);
        const sweep = firstMatchSweep(rules, p, coverage, fallback);
        assert.deepEqual(grantPorts(sweep.allowed), grantPorts(walk.allowed));
        assert.deepEqual(grantPorts(sweep.denied), grantPorts(walk.denied));
        const ids = (g: Parameters<typeof grantRules>[0]) => grantRules(g).map((r) => r.id).sort();
        assert.deepEqual(ids(sweep.allowed), ids(walk.allowed));
        assert.deepEqual(ids(sweep.denied), ids(walk.denied));
      }),
      { numRuns: 500 },
    );
  });
});
