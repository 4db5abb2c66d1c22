/**
 * Label selectors against the examples of
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#set-based-requirement
 */
import * as assert from "node:assert/strict";
import { matchesSelector, selectorProblems } from "./selector";

describe("label selectors", () => {
  it("matches `environment in (production, qa)` only on those values", () => {
    const s = { matchExpressions: [{ key: "environment", operator: "In" as const, values: ["production", "qa"] }] };
    assert.equal(matchesSelector(s, { environment: "qa" }), true);
    assert.equal(matchesSelector(s, { environment: "dev" }), false);
    assert.equal(matchesSelector(s, {}), false);
  });

  it("matches `tier notin (frontend, backend)` on other values and on objects without the key", () => {
    const s = { matchExpressions: [{ key: "tier", operator: "NotIn" as const, values: ["frontend", "backend"] }] };
    assert.equal(matchesSelector(s, { tier: "cache" }), true);
    assert.equal(matchesSelector(s, {}), true);
    assert.equal(matchesSelector(s, { tier: "frontend" }), false);
  });

  it("matches `partition` (Exists) and `!partition` (DoesNotExist) on the key alone", () => {
    assert.equal(matchesSelector({ matchExpressions: [{ key: "partition", operator: "Exists" }] }, { partition: "" }), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: "partition", operator: "Exists" }] }, {}), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: "partition", operator: "DoesNotExist" }] }, {}), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: "partition", operator: "DoesNotExist" }] }, { partition: "a" }), false);
  });

  it("ANDs matchLabels with matchExpressions, and an empty selector matches everything", () => {
    const s = { matchLabels: { app: "web" }, matchExpressions: [{ key: "pfv5.io/quarantine", operator: "NotIn" as const, values: ["true"] }] };
    assert.equal(matchesSelector(s, { app: "web" }), true);
    assert.equal(matchesSelector(s, { app: "web", "pfv5.io/quarantine": "true" }), false);
    assert.equal(matchesSelector(s, { app: "api" }), false);
    assert.equal(matchesSelector({}, { anything: "x" }), true);
  });

  it("reports operators the API rejects and values on the wrong operators", () => {
    const problems = selectorProblems("sel", {
      matchExpressions: [
        { key: "a", operator: "Equals", values: ["x"] },
        { key: "b", operator: "Exists", values: ["x"] },
        { key: "c", operator: "NotIn", values: [] },
      ],
    });
    assert.deepEqual(
      problems.map((p) => p.key),
      ["sel.matchExpressions[0].operator", "sel.matchExpressions[1].values", "sel.matchExpressions[2].values"],
    );
  });
});
