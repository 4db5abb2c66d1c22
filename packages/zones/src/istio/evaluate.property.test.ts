/**
 * Properties the Istio documentation implies, checked on random small policy sets: the
 * decision does not depend on policy order; a DENY policy can only take access away; an
 * ALLOW rule split into a from-only and a to-only rule admits everything the combined rule
 * admits, and more.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { authorize } from "./evaluate";
import type { AuthorizationPolicy, IstioRequest, Operation, Rule, Source, Workload } from "./types";

const PRINCIPALS = ["cluster.local/ns/app/sa/web", "cluster.local/ns/app/sa/mca", "cluster.local/ns/edge/sa/nginx"];
const PATHS = ["/api/orders", "/api/users", "/health", "/admin"];
const METHODS = ["GET", "POST", "DELETE"];

const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const source: fc.Arbitrary<Source> = fc.oneof(
  fc.record({ principals: subset(PRINCIPALS) }),
  fc.record({ notPrincipals: subset(PRINCIPALS) }),
  fc.record({ namespaces: subset(["app", "edge"]) }),
  fc.record({ requestPrincipals: fc.constant(["*"]) }).map((x): Source => ({ requestPrincipals: [...x.requestPrincipals] })),
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ paths: subset(["/api/*", "/health", "*"]) }),
  fc.record({ methods: subset(METHODS), paths: subset(["/api/*", "/admin"]) }),
  fc.record({ notPaths: subset(["/health"]) }),
);
const rule: fc.Arbitrary<Rule> = fc.record(
  {
    from: fc.array(fc.record({ source }), { minLength: 1, maxLength: 2 }),
    to: fc.array(fc.record({ operation }), { minLength: 1, maxLength: 2 }),
    when: fc.constant([{ key: "request.headers[x-env]", values: ["prod"] }]).map((w) => w.map((c) => ({ key: c.key, values: [...c.values] }))),
  },
  { requiredKeys: [] },
);
const policy: fc.Arbitrary<AuthorizationPolicy> = fc.record({
  action: fc.constantFrom("ALLOW" as const, "DENY" as const, "AUDIT" as const),
  rules: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
  selected: fc.boolean(),
}).map((p) => ({
  metadata: { name: "p", namespace: "app" },
  spec: { action: p.action, ...(p.rules !== undefined ? { rules: p.rules } : {}), ...(p.selected ? { selector: { matchLabels: { app: "web" } } } : {}) },
}));
const policies = fc.array(policy, { maxLength: 4 }).map((ps) => ps.map((p, i) => ({ ...p, metadata: { name: `p${i}`, namespace: "app" } })));
const request: fc.Arbitrary<IstioRequest> = fc.record(
  {
    principal: fc.constantFrom(...PRINCIPALS),
    requestPrincipal: fc.constant("https://issuer/u1"),
    method: fc.constantFrom(...METHODS),
    path: fc.constantFrom(...PATHS),
    headers: fc.constantFrom({ "x-env": "prod" }, { "x-env": "dev" }),
  },
  { requiredKeys: ["method", "path"] },
);
const workload: Workload = { namespace: "app", labels: { app: "web" } };
const allowed = (ps: readonly AuthorizationPolicy[], r: IstioRequest): boolean => authorize(ps, workload, r).allowed;

describe("Istio evaluator properties", () => {
  it("decides the same whatever the order of the policies", () => {
    fc.assert(
      fc.property(policies, request, (ps, r) => {
        assert.equal(allowed([...ps].reverse(), r), allowed(ps, r));
      }),
      { numRuns: 300 },
    );
  });

  it("never lets an added DENY policy grant access", () => {
    fc.assert(
      fc.property(policies, fc.array(rule, { minLength: 1, maxLength: 2 }), request, (ps, rules, r) => {
        const deny: AuthorizationPolicy = { metadata: { name: "extra-deny", namespace: "app" }, spec: { action: "DENY", rules } };
        if (!allowed(ps, r)) assert.equal(allowed([...ps, deny], r), false);
      }),
      { numRuns: 300 },
    );
  });

  it("admits with a split from/to at least what the combined rule admits", () => {
    fc.assert(
      fc.property(rule, request, (combined, r) => {
        const split: Rule[] = [{ ...(combined.from ? { from: combined.from } : {}) }, { ...(combined.to ? { to: combined.to } : {}), ...(combined.when ? { when: combined.when } : {}) }];
        const one = (rules: Rule[]): AuthorizationPolicy[] => [{ metadata: { name: "x", namespace: "app" }, spec: { rules } }];
        if (allowed(one([combined]), r)) assert.equal(allowed(one(split), r), true);
      }),
      { numRuns: 300 },
    );
  });
});
