import * as assert from "node:assert/strict";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { aNamespace } from "../testing/fixtures";
import { T } from "../lib/types";
import { authorizationConditionKeys } from "./authorization-condition-keys";

describe("authorization-condition-keys", () => {
  it("passes supported keys", async () => {
    const r = resourceArgs(T.authorizationPolicy, {
      metadata: { name: "ok", namespace: "app" },
      spec: { rules: [{ when: [{ key: "request.auth.claims[iss]", values: ["https://a"] }, { key: "request.headers[x-id]", values: ["1"] }, { key: "source.namespace", values: ["app"] }] }] },
    });
    assert.deepEqual(whats(await runResource(authorizationConditionKeys, r)), []);
  });

  it("rejects source.labels, which Istio does not support", async () => {
    const r = resourceArgs(T.authorizationPolicyBeta, { metadata: { name: "labels", namespace: "app" }, spec: { rules: [{ when: [{ key: "source.labels[app]", values: ["mca"] }] }] } }, { name: "labels" });
    assert.deepEqual(whats(await runResource(authorizationConditionKeys, r)), ['AuthorizationPolicy "labels" rules[0].when[0] uses "source.labels[app]", which is not a condition key Istio supports']);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(authorizationConditionKeys, aNamespace())).notApplicable, "applies only to AuthorizationPolicy");
  });
});
