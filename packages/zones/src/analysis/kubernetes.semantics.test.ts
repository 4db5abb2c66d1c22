/**
 * The Kubernetes NetworkPolicy evaluator the zone matrix uses for clusters, against what
 * the Kubernetes documentation states, one statement per case. Every case cites
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/.
 */
import * as assert from "node:assert/strict";
import { NetworkPolicyEvaluator } from "../kubernetes/evaluate";
import { formatPorts } from "../kubernetes/ports";
import type { NetworkPolicy, NetworkPolicySpec, PodInfo } from "../kubernetes/types";

const web: PodInfo = { name: "web-0", namespace: "shop", labels: { app: "web" }, ip: "10.244.0.10", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] };
const db: PodInfo = { name: "db-0", namespace: "shop", labels: { app: "db" }, ip: "10.244.0.20", ports: [{ containerPort: 5432, protocol: "TCP" }] };
const other: PodInfo = { name: "x-0", namespace: "other", labels: { app: "web" }, ip: "10.244.1.10" };
const namespaces = [{ name: "shop", labels: { team: "shop" } }, { name: "other", labels: { team: "other" } }];

const policy = (name: string, spec: NetworkPolicySpec, namespace = "shop"): NetworkPolicy => ({ metadata: { name, namespace }, spec });
const ports = (policies: NetworkPolicy[], from: PodInfo, to: PodInfo): string => formatPorts(new NetworkPolicyEvaluator({ namespaces, policies }).allowedPorts(from, to, "TCP"));

const denyIngress = policy("deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] });
const dbFromWeb = policy("db-from-web", { podSelector: { matchLabels: { app: "db" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 5432 }] }] });

describe("the NetworkPolicy evaluator follows the Kubernetes documentation", () => {
  // "By default, a pod is non-isolated for ingress; all inbound connections are allowed."
  it("lets everything into a pod that no policy selects", () => {
    assert.equal(ports([], web, db), "every port");
  });

  // A default deny: "a policy that selects all pods but does not allow any ingress traffic".
  it("closes every pod of the namespace with a policy selecting all pods and no ingress rule", () => {
    assert.equal(ports([denyIngress], web, db), "none");
  });

  // "Network policies do not conflict; they are additive. ... the allowed connections to
  // a pod are the union of what the applicable policies allow."
  it("adds up the policies selecting a pod, the default deny included", () => {
    assert.equal(ports([denyIngress, dbFromWeb], web, db), "5432");
  });

  // "For a connection from a source pod to a destination pod to be allowed, both the
  // egress policy on the source pod and the ingress policy on the destination pod need
  // to allow the connection."
  it("needs the source's egress and the destination's ingress to allow a connection", () => {
    const webEgress = policy("web-egress", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 6379 }] }] });
    assert.equal(ports([dbFromWeb, webEgress], web, db), "none");
  });

  // A podSelector in a `from` peer "selects particular Pods in the same namespace as the
  // NetworkPolicy"; with a namespaceSelector in the same element both must match.
  it("reads a podSelector peer within the policy's namespace, and pod and namespace selectors of one peer together", () => {
    const toOtherWeb: PodInfo = { ...db, name: "db-1" };
    assert.equal(ports([dbFromWeb], other, toOtherWeb), "none");
    const both = policy("db-from-other-web", {
      podSelector: { matchLabels: { app: "db" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "other" } }, podSelector: { matchLabels: { app: "web" } } }] }],
    });
    assert.equal(ports([both], other, db), "every port");
    assert.equal(ports([both], web, db), "none");
  });

  // Ports may be named: "the named port ... on the destination pod".
  it("resolves a named port on the destination pod", () => {
    const named = policy("web-http", { podSelector: { matchLabels: { app: "web" } }, ingress: [{ ports: [{ port: "http" }] }] });
    assert.equal(ports([named], db, web), "8080");
  });
});
