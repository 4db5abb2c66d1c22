import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { aNamespace, namespacePeer as ns, networkPolicy as np, tcp } from "../testing/fixtures";
import { noIngressFromAllNamespaces } from "./no-ingress-from-all-namespaces";

describe("no-ingress-from-all-namespaces", () => {
  it("passes ingress from named namespaces and pods", async () => {
    const r = np("ok", "app", { podSelector: {}, ingress: [{ from: [ns("ingress-nginx"), { podSelector: { matchLabels: { app: "x" } } }], ports: [tcp(3000)] }] });
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, r)), []);
  });

  it("rejects a rule without from and a peer with an empty namespaceSelector", async () => {
    const r = np("open", "app", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ ports: [tcp(80)] }, { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "prometheus" } } }] }],
    });
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, r)), [
      'NetworkPolicy "open" in namespace "app": ingress[0] has no from, so it admits every source',
      'NetworkPolicy "open" in namespace "app": ingress[1].from[0] has an empty namespaceSelector, which selects every namespace',
    ]);
  });

  it("lets the ingress namespaces (config) take traffic from anywhere, and ignores ingress rules of an egress-only policy", async () => {
    const spec = { podSelector: {}, ingress: [{ ports: [tcp(443)] }] };
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, np("edge", "ingress-nginx", spec))), []);
    const custom = resourceArgs(kubernetes.networking.v1.NetworkPolicy, { metadata: { name: "e", namespace: "edge" }, spec }, { config: { ingressNamespaces: ["edge"] } });
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, custom)), []);
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, np("eg", "app", { ...spec, policyTypes: ["Egress"] }))), []);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(noIngressFromAllNamespaces, aNamespace())).notApplicable, "applies only to NetworkPolicy");
  });

  it("reports a policy whose namespace is unknown in preview as not checkable, never as a pass", async () => {
    const r = resourceArgs(kubernetes.networking.v1.NetworkPolicy, { metadata: { name: "u", namespace: "x" }, spec: { podSelector: {}, ingress: [{}] } }, { name: "u", unknowns: ["metadata.namespace"] });
    assert.deepEqual(whats(await runResource(noIngressFromAllNamespaces, r)), ['NetworkPolicy "u" could not be checked: metadata.namespace is unknown until deployment, so preview cannot show that it complies']);
  });
});
