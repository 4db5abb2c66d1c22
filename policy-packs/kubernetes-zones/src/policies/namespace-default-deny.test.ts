import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { StackBuilder, runStack, whats } from "../testing/harness";
import { namespaceDefaultDeny } from "./namespace-default-deny";

const deny = (s: StackBuilder, name: string, namespace: string, policyTypes: string[]) =>
  s.add(kubernetes.networking.v1.NetworkPolicy, name, { metadata: { name, namespace }, spec: { podSelector: {}, policyTypes } });
const pod = (s: StackBuilder, name: string, namespace: string) =>
  s.add(kubernetes.core.v1.Pod, name, { metadata: { name, namespace }, spec: { containers: [{ name: "c", image: "nginx" }] } });

describe("namespace-default-deny", () => {
  it("passes a namespace with one policy denying both directions, or two policies denying one each", async () => {
    const s = new StackBuilder();
    s.add(kubernetes.core.v1.Namespace, "app", { metadata: { name: "app" } });
    deny(s, "deny-all", "app", ["Ingress", "Egress"]);
    pod(s, "web", "other");
    deny(s, "deny-in", "other", ["Ingress"]);
    deny(s, "deny-out", "other", ["Egress"]);
    assert.deepEqual(whats(await runStack(namespaceDefaultDeny, s.resources)), []);
  });

  it("names the direction each namespace lacks, for created namespaces and namespaces workloads run in", async () => {
    const s = new StackBuilder();
    s.add(kubernetes.core.v1.Namespace, "app", { metadata: { name: "app" } });
    deny(s, "deny-in", "app", ["Ingress"]);
    pod(s, "web", "monitoring");
    // A policy without policyTypes and without egress rules only isolates ingress.
    s.add(kubernetes.networking.v1.NetworkPolicy, "defaulted", { metadata: { name: "defaulted", namespace: "monitoring" }, spec: { podSelector: {} } });
    // Rules make a policy an allow, not a deny; a selector makes it partial.
    s.add(kubernetes.networking.v1.NetworkPolicy, "partial", { metadata: { name: "partial", namespace: "monitoring" }, spec: { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Egress"] } });
    s.add(kubernetes.networking.v1.NetworkPolicy, "allow", { metadata: { name: "allow", namespace: "monitoring" }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] } });
    assert.deepEqual(whats(await runStack(namespaceDefaultDeny, s.resources)), [
      'namespace "app" (from Namespace "app") has no default deny for egress',
      'namespace "monitoring" (from Pod "web") has no default deny for egress',
    ]);
  });

  it("follows a policy's namespace to the Namespace of the stack when its value is unknown in preview", async () => {
    const s = new StackBuilder();
    const ns = s.add(kubernetes.core.v1.Namespace, "app", { metadata: { name: "app" } });
    s.add(kubernetes.networking.v1.NetworkPolicy, "deny", { metadata: { name: "deny", namespace: "x" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, { unknowns: ["metadata.namespace"], dependsOn: { metadata: [ns] } });
    assert.deepEqual(whats(await runStack(namespaceDefaultDeny, s.resources)), []);
  });

  it("leaves the cluster's own namespaces alone", async () => {
    const s = new StackBuilder();
    pod(s, "dns", "kube-system");
    assert.deepEqual(whats(await runStack(namespaceDefaultDeny, s.resources)), []);
  });

  it("is not applicable to a stack without namespaces or workloads", async () => {
    const s = new StackBuilder();
    deny(s, "deny", "app", ["Ingress"]);
    assert.equal((await runStack(namespaceDefaultDeny, s.resources)).notApplicable?.startsWith("applies only to Namespace, Pod"), true);
  });
});
