import * as assert from "node:assert/strict";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { aNamespace } from "../testing/fixtures";
import { T, type AuthorizationPolicyProps } from "../lib/types";
import { authorizationRulesNameTheirSource } from "./authorization-rules-name-their-source";

const ap = (name: string, spec: AuthorizationPolicyProps["spec"]) => resourceArgs(T.authorizationPolicy, { metadata: { name, namespace: "app" }, spec }, { name });
const gateway = "cluster.local/ns/ingress-nginx/sa/ingress-nginx";

describe("authorization-rules-name-their-source", () => {
  it("passes rules that keep from and to together, and DENY rules with only a to", async () => {
    const ok = ap("ok", { rules: [{ from: [{ source: { principals: [gateway] } }], to: [{ operation: { paths: ["/api/*"] } }] }, { from: [{ source: { principals: [gateway] } }] }] });
    assert.deepEqual(whats(await runResource(authorizationRulesNameTheirSource, ok)), []);
    const deny = ap("deny", { action: "DENY", rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] });
    assert.deepEqual(whats(await runResource(authorizationRulesNameTheirSource, deny)), []);
  });

  it("rejects an ALLOW rule with a to and no from, naming the split", async () => {
    const split = ap("split", { action: "ALLOW", rules: [{ from: [{ source: { principals: [gateway] } }] }, { to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }] });
    assert.deepEqual(whats(await runResource(authorizationRulesNameTheirSource, split)), [
      'AuthorizationPolicy "split" rules[1] has a to ({"methods":["GET"],"paths":["/api/*"]}) but no from, so every source may make those calls (from and to split into separate rules)',
    ]);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(authorizationRulesNameTheirSource, aNamespace())).notApplicable, "applies only to AuthorizationPolicy");
  });
});
