/**
 * The objects the ClusterSecurity component plans, as a stack, fed to the whole pack: the
 * component complies with every rule, with namespaces known (as after deployment) and unknown
 * (as in a first preview, where they come from the Namespace being created).
 */
import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import { planClusterSecurity, resolveClusterSecurityArgs } from "@pfv5/cluster-security";
import { POLICIES } from "./pack";
import type { TypeToken } from "./lib/types";
import { runOnStack, StackBuilder, whats } from "./testing/harness";

const JWT = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks.json", audiences: ["pfv5"] };

function componentStack(unknownNamespaces: boolean): readonly PolicyResource[] {
  const plan = planClusterSecurity(resolveClusterSecurityArgs("c", { environment: "prod", jwt: JWT, installs: { istio: true } }));
  const s = new StackBuilder();
  const ns = s.add(kubernetes.core.v1.Namespace, "c-namespace", { metadata: { name: plan.namespace.name, labels: plan.namespace.labels } });
  const inNs = (namespace: string) =>
    unknownNamespaces && namespace === plan.namespace.name ? { unknowns: ["metadata.namespace"], dependsOn: { metadata: [ns] } } : {};
  for (const p of plan.networkPolicies) s.add(kubernetes.networking.v1.NetworkPolicy, `c-${p.metadata.name}`, p, inNs(p.metadata.namespace));
  for (const m of plan.istio) {
    const type = `kubernetes:${m.apiVersion}:${m.kind}` as TypeToken;
    s.add(type, `c-${m.kind}-${m.metadata.namespace}-${m.metadata.name}`, { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: m.spec }, inNs(m.metadata.namespace));
  }
  return s.resources;
}

describe("the ClusterSecurity component's objects", () => {
  for (const unknown of [false, true]) {
    it(`comply with every policy of the pack (namespaces ${unknown ? "unknown in preview" : "known"})`, async () => {
      const resources = componentStack(unknown);
      assert.equal(resources.length, 1 + 10 + 8);
      for (const p of POLICIES) assert.deepEqual(whats(await runOnStack(p, resources)), [], p.doc.name);
    });
  }
});
