/**
 * The architecture's original Kubernetes and Istio YAML, translated into objects, fed to the
 * whole pack: each defect the design notes list is rejected with its problem named.
 */
import * as assert from "node:assert/strict";
import { POLICIES } from "./pack";
import { runOnStack, whats } from "./testing/harness";
import { seedStack } from "./testing/seed";

async function findings(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const resources = seedStack();
  for (const p of POLICIES) {
    const found = whats(await runOnStack(p, resources));
    if (found.length > 0) out[p.doc.name] = found;
  }
  return out;
}

describe("the seed's Kubernetes and Istio objects", () => {
  let all: Record<string, string[]>;
  before(async () => {
    all = await findings();
  });

  it("are rejected for the split from/to rules of both AuthorizationPolicies", () => {
    assert.deepEqual(all["authorization-rules-name-their-source"], [
      'AuthorizationPolicy "progressive-framework-authz" rules[1] has a to ({"methods":["GET","POST","PUT","DELETE"],"paths":["/api/*","/health"]}) but no from, so every source may make those calls (from and to split into separate rules)',
      'AuthorizationPolicy "agent-authorization-policy" rules[1] has a to ({"methods":["GET","POST"],"paths":["/api/v1/*","/health"]}) but no from, so every source may make those calls (from and to split into separate rules)',
      'AuthorizationPolicy "agent-authorization-policy" rules[3] has a to ({"methods":["GET","POST"],"paths":["/api/v1/coordination/*","/health"]}) but no from, so every source may make those calls (from and to split into separate rules)',
      'AuthorizationPolicy "agent-authorization-policy" rules[5] has a to ({"methods":["POST"],"paths":["/api/v1/collaborate/*"]}) but no from, so every source may make those calls (from and to split into separate rules)',
    ]);
  });

  it("are rejected for the agents' database egress to `to: []`", () => {
    assert.deepEqual(all["no-egress-anywhere-on-database-ports"], [
      'NetworkPolicy "agent-communication-policy" egress[0] allows database ports 5432, 6379, 27017, and it has no to, so it allows every destination',
    ]);
  });

  it("are rejected for source.labels conditions, a RequestAuthentication nothing enforces, and host networking", () => {
    assert.deepEqual(all["authorization-condition-keys"], [
      'AuthorizationPolicy "agent-authorization-policy" rules[2].when[0] uses "source.labels[app]", which is not a condition key Istio supports',
      'AuthorizationPolicy "agent-authorization-policy" rules[4].when[0] uses "source.labels[tier]", which is not a condition key Istio supports',
    ]);
    assert.deepEqual(all["request-authentication-enforced"], [
      'RequestAuthentication "progressive-jwt-auth" in namespace "progressive-framework-prod" validates tokens for workloads {"app":"progressive-framework-v5"}, but no AuthorizationPolicy there requires a request principal',
    ]);
    assert.deepEqual(all["no-host-network"], ['DaemonSet "network-monitor" sets hostNetwork: true', 'Deployment "falco" sets hostNetwork: true']);
    assert.deepEqual(all["namespace-default-deny"], ['namespace "monitoring" (from DaemonSet "network-monitor") has no default deny for ingress and egress']);
  });

  it("pass the rules they do follow (STRICT mTLS, no world ipBlock, no ingress from every namespace)", () => {
    assert.deepEqual(Object.keys(all).sort(), [
      "authorization-condition-keys",
      "authorization-rules-name-their-source",
      "namespace-default-deny",
      "no-egress-anywhere-on-database-ports",
      "no-host-network",
      "request-authentication-enforced",
    ]);
  });
});
