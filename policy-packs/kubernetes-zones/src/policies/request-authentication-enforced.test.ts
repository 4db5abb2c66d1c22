import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { StackBuilder, runStack, whats } from "../testing/harness";
import { T, type AuthorizationPolicyProps } from "../lib/types";
import { requestAuthenticationEnforced } from "./request-authentication-enforced";

const APP = { app: "web" };
function stack(policies: Record<string, { namespace?: string; spec: AuthorizationPolicyProps["spec"] }>): StackBuilder {
  const s = new StackBuilder();
  s.add(T.requestAuthentication, "jwt", { metadata: { name: "jwt", namespace: "app" }, spec: { selector: { matchLabels: APP }, jwtRules: [{ issuer: "https://a", jwksUri: "https://a/jwks" }] } });
  for (const [name, p] of Object.entries(policies)) s.add(T.authorizationPolicy, name, { metadata: { name, namespace: p.namespace ?? "app" }, spec: p.spec });
  return s;
}
const requirePrincipal = { rules: [{ from: [{ source: { requestPrincipals: ["*"] } }], to: [{ operation: { paths: ["/api/*"] } }] }] };

describe("request-authentication-enforced", () => {
  it("passes with an ALLOW policy requiring request principals, or a DENY policy on their absence, or a mesh-wide one", async () => {
    assert.deepEqual(whats(await runStack(requestAuthenticationEnforced, stack({ allow: { spec: { selector: { matchLabels: APP }, ...requirePrincipal } } }).resources)), []);
    const deny = { action: "DENY" as const, rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }] };
    assert.deepEqual(whats(await runStack(requestAuthenticationEnforced, stack({ deny: { spec: deny } }).resources)), []);
    assert.deepEqual(whats(await runStack(requestAuthenticationEnforced, stack({ mesh: { namespace: "istio-system", spec: deny } }).resources)), []);
  });

  it("rejects a RequestAuthentication alone, or paired with policies that do not require a principal or cover other workloads", async () => {
    const s = stack({
      plain: { spec: { selector: { matchLabels: APP }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/a/sa/b"] } }] }] } },
      other: { spec: { selector: { matchLabels: { app: "api" } }, ...requirePrincipal } },
      elsewhere: { namespace: "other", spec: requirePrincipal },
    });
    assert.deepEqual(whats(await runStack(requestAuthenticationEnforced, s.resources)), [
      'RequestAuthentication "jwt" in namespace "app" validates tokens for workloads {"app":"web"}, but no AuthorizationPolicy there requires a request principal',
    ]);
  });

  it("is not applicable to a stack without RequestAuthentication", async () => {
    const s = new StackBuilder();
    s.add(kubernetes.core.v1.Namespace, "app", { metadata: { name: "app" } });
    assert.equal((await runStack(requestAuthenticationEnforced, s.resources)).notApplicable, "applies only to RequestAuthentication");
  });
});
