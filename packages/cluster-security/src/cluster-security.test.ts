import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/kubernetes";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { RequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { ValidationError } from "@pfv5/zones";
import { resourcesNamed, settle, valueOf } from "../../../test/setup/helpers";
import type { RecordedResource } from "../../../test/setup/mocks";
import { ClusterSecurity } from "./cluster-security";
import { planNetworkPolicies } from "./network-policies";
import { resolveClusterSecurityArgs } from "./validate";

const JWT = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/.well-known/jwks.json", audiences: ["progressive-framework-v5"] };
const NS = "progressive-framework-prod";
const LABELS = { "app.kubernetes.io/part-of": "progressive-framework-v5", "app.kubernetes.io/managed-by": "pulumi", "pfv5.io/environment": "prod" };

/** Records each child's dependsOn, by child name, through a transformation on the component. */
function dependencyRecorder(): { opts: pulumi.ComponentResourceOptions; deps: Map<string, string[]> } {
  const names = new Map<pulumi.Resource, string>();
  const deps = new Map<string, string[]>();
  const t: pulumi.ResourceTransformation = (a) => {
    names.set(a.resource, a.name);
    const d = a.opts.dependsOn;
    const list = Array.isArray(d) ? (d as pulumi.Resource[]) : d === undefined ? [] : [d as pulumi.Resource];
    deps.set(a.name, list.map((r) => names.get(r) ?? "?"));
    return undefined;
  };
  return { opts: { transformations: [t] }, deps };
}

async function build(name: string, args: Parameters<typeof resolveClusterSecurityArgs>[1], opts?: pulumi.ComponentResourceOptions): Promise<ClusterSecurity> {
  const c = new ClusterSecurity(name, args as ConstructorParameters<typeof ClusterSecurity>[1], opts);
  await valueOf(c.namespace);
  await settle();
  return c;
}

const typeCounts = (rs: readonly RecordedResource[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of rs) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
};

describe("ClusterSecurity component", () => {
  describe("with the defaults (mesh on, nothing installed)", () => {
    let c: ClusterSecurity;
    before(async () => {
      c = await build("csd", { environment: "prod", jwt: JWT });
    });

    it("creates exactly the namespace, four service accounts, ten NetworkPolicies and eight Istio objects", () => {
      assert.deepEqual(typeCounts(resourcesNamed("csd")), {
        "pfv5:cluster:ClusterSecurity": 1,
        "kubernetes:core/v1:Namespace": 1,
        "kubernetes:core/v1:ServiceAccount": 4,
        "kubernetes:networking.k8s.io/v1:NetworkPolicy": 10,
        "kubernetes:security.istio.io/v1beta1:PeerAuthentication": 2,
        "kubernetes:security.istio.io/v1:RequestAuthentication": 1,
        "kubernetes:security.istio.io/v1:AuthorizationPolicy": 5,
      });
    });

    it("labels the namespace for Pod Security restricted (enforce, audit, warn) and sidecar injection", () => {
      const [ns] = resourcesNamed("csd-namespace", "kubernetes:core/v1:Namespace");
      assert.deepEqual(ns?.inputs, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: NS,
          labels: {
            ...LABELS,
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
            "istio-injection": "enabled",
          },
        },
      });
    });

    it("creates one service account per identity, without an automounted API token", () => {
      const sas = resourcesNamed("csd-sa-", "kubernetes:core/v1:ServiceAccount");
      assert.deepEqual(
        Object.fromEntries(sas.map((s) => [s.name, s.inputs])),
        Object.fromEntries(
          [["app", "progressive-app-sa"], ["mca", "mca-agent-sa"], ["npa", "npa-agent-sa"], ["wpa", "wpa-agent-sa"]].map(([role, sa]) => [
            `csd-sa-${role}`,
            { apiVersion: "v1", kind: "ServiceAccount", automountServiceAccountToken: false, metadata: { name: sa, namespace: NS, labels: LABELS } },
          ]),
        ),
      );
      assert.equal(sas.length, 4);
    });

    it("creates every planned NetworkPolicy with its exact spec in the namespace", () => {
      const planned = planNetworkPolicies({ namespaces: resolveClusterSecurityArgs("csd", { environment: "prod", jwt: JWT }).namespaces, mesh: true, appEgress: [], labels: LABELS });
      const recordedPolicies = resourcesNamed("csd-", "kubernetes:networking.k8s.io/v1:NetworkPolicy");
      // Registration order is asynchronous: compare by name.
      assert.deepEqual(
        Object.fromEntries(recordedPolicies.map((r) => [r.name, r.inputs])),
        Object.fromEntries(planned.map((p) => [`csd-${p.metadata.name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: p.metadata.name, namespace: NS, labels: LABELS }, spec: p.spec }])),
      );
      assert.equal(recordedPolicies.length, 10);
    });

    it("creates Istio objects that each validate against their CRD schema", () => {
      const crs = resourcesNamed("csd-").filter((r) => r.type.startsWith("kubernetes:security.istio.io/"));
      assert.deepEqual(
        crs.map((r) => r.name).sort(),
        [
          "csd-peer-authentication-mesh-default",
          "csd-peer-authentication-default",
          "csd-request-authentication-app-jwt",
          "csd-authorization-policy-app-allow",
          "csd-authorization-policy-app-require-jwt",
          "csd-authorization-policy-app-deny-without-jwt",
          "csd-authorization-policy-agents-allow",
          "csd-authorization-policy-databases-allow",
        ].sort(),
      );
      for (const r of crs) {
        const data = { metadata: r.inputs["metadata"] as object, spec: r.inputs["spec"] as object };
        const model = r.inputs["kind"] === "PeerAuthentication" ? new PeerAuthentication(data) : r.inputs["kind"] === "RequestAuthentication" ? new RequestAuthentication(data) : new AuthorizationPolicy(data);
        assert.doesNotThrow(() => model.validate(), r.name);
      }
      const mesh = crs.find((r) => r.name === "csd-peer-authentication-mesh-default");
      assert.deepEqual(mesh?.inputs, { apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "istio-system", labels: LABELS }, spec: { mtls: { mode: "STRICT" } } });
      const jwt = crs.find((r) => r.name === "csd-request-authentication-app-jwt");
      assert.deepEqual(jwt?.inputs["spec"], { selector: { matchLabels: { app: "progressive-framework-v5" } }, jwtRules: [{ ...JWT, forwardOriginalToken: true }] });
    });

    it("exposes the namespace, policy names, Istio objects and principals", async () => {
      assert.equal(await valueOf(c.namespace), NS);
      assert.deepEqual(c.networkPolicyNames, ["default-deny", "quarantine", "all-pods-egress", "app-ingress", "app-egress", "agents-ingress", "agents-egress", "postgres-ingress", "redis-ingress", "mongodb-ingress"]);
      assert.equal(c.istioObjects.length, 8);
      assert.equal(c.istioObjects[0], "PeerAuthentication istio-system/default");
      assert.deepEqual(c.serviceAccountNames, { app: "progressive-app-sa", mca: "mca-agent-sa", npa: "npa-agent-sa", wpa: "wpa-agent-sa" });
      assert.equal(c.principals["app"], `cluster.local/ns/${NS}/sa/progressive-app-sa`);
      assert.equal(c.certManagerRelease, undefined);
      assert.deepEqual(c.istioReady, []);
    });
  });

  describe("with Istio, cert-manager and Falco installed", () => {
    const recorder = dependencyRecorder();
    let c: ClusterSecurity;
    before(async () => {
      c = await build("csi", { environment: "prod", jwt: JWT, installs: { istio: true, certManager: true, falco: true } }, recorder.opts);
    });

    it("installs each chart at its pinned version, waiting for readiness (no skipAwait)", () => {
      const releases = resourcesNamed("csi-", "kubernetes:helm.sh/v3:Release");
      const common = { compat: "true", createNamespace: true, timeout: 600 };
      const istioRepo = { repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" }, version: "1.25.2", namespace: "istio-system" };
      const byName = Object.fromEntries(releases.map((r) => [r.name, r.inputs]));
      assert.deepEqual(byName, {
        "csi-istio-base": { ...common, ...istioRepo, name: "istio-base", chart: "base", values: { defaultRevision: "default" } },
        "csi-istio-cni": { ...common, ...istioRepo, name: "istio-cni", chart: "cni", values: {} },
        "csi-istiod": { ...common, ...istioRepo, name: "istiod", chart: "istiod", values: { pilot: { cni: { enabled: true } }, meshConfig: { trustDomain: "cluster.local" } } },
        "csi-cert-manager": { ...common, name: "cert-manager", chart: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" }, version: "v1.17.2", namespace: "cert-manager", values: { crds: { enabled: true } } },
        "csi-falco": { ...common, name: "falco", chart: "falco", repositoryOpts: { repo: "https://falcosecurity.github.io/charts" }, version: "4.17.0", namespace: "falco", values: { driver: { kind: "modern_ebpf" } } },
      });
      assert.ok(releases.every((r) => !("skipAwait" in r.inputs)));
      assert.doesNotMatch(JSON.stringify(byName["csi-falco"]), /-M\b/);
    });

    it("orders the Istio releases base, then CNI, then istiod", () => {
      assert.deepEqual(recorder.deps.get("csi-istio-base"), []);
      assert.deepEqual(recorder.deps.get("csi-istio-cni"), ["csi-istio-base"]);
      assert.deepEqual(recorder.deps.get("csi-istiod"), ["csi-istio-base", "csi-istio-cni"]);
    });

    it("makes every Istio custom resource, and the namespace, wait for the CRDs (base) and the webhook (istiod)", () => {
      const crs = resourcesNamed("csi-").filter((r) => r.type.startsWith("kubernetes:security.istio.io/"));
      assert.equal(crs.length, 8);
      for (const r of crs) assert.deepEqual(recorder.deps.get(r.name), ["csi-istio-base", "csi-istiod"], r.name);
      assert.deepEqual(recorder.deps.get("csi-namespace"), ["csi-istio-base", "csi-istiod"]);
      assert.deepEqual(recorder.deps.get("csi-default-deny"), []);
    });

    it("exposes the cert-manager release for cert-manager custom resources to depend on", () => {
      assert.ok(c.certManagerRelease instanceof kubernetes.helm.v3.Release);
      assert.equal(c.istioReady.length, 2);
    });
  });

  it("uses the provider given in the args for every child", async () => {
    const provider = new kubernetes.Provider("csp-provider", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    await build("csp", { environment: "prod", jwt: JWT, provider });
    const children = resourcesNamed("csp-").filter((r) => r.type !== "pfv5:cluster:ClusterSecurity" && r.type !== "pulumi:providers:kubernetes");
    assert.equal(children.length, 23);
    for (const r of children) assert.match(r.provider ?? "", /::csp-provider::/, r.name);
  });

  it("uses the provider given in the resource options for every child", async () => {
    const provider = new kubernetes.Provider("cso-provider", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    await build("cso", { environment: "prod", jwt: JWT }, { providers: [provider] });
    const children = resourcesNamed("cso-").filter((r) => r.type !== "pfv5:cluster:ClusterSecurity" && r.type !== "pulumi:providers:kubernetes");
    assert.equal(children.length, 23);
    for (const r of children) assert.match(r.provider ?? "", /::cso-provider::/, r.name);
  });

  it("with the mesh off creates no Istio object, no injection label and no istiod egress", async () => {
    await build("csm", { environment: "dev", mesh: false });
    const rs = resourcesNamed("csm");
    assert.equal(rs.filter((r) => r.type.includes("istio")).length, 0);
    const [ns] = resourcesNamed("csm-namespace");
    const labels = (ns?.inputs["metadata"] as { labels: Record<string, string> }).labels;
    assert.equal(labels["istio-injection"], undefined);
    const all = resourcesNamed("csm-all-pods-egress")[0]?.inputs["spec"] as { egress: unknown[] };
    assert.equal(all.egress.length, 1);
  });

  it("throws one ValidationError and registers nothing on bad input", async () => {
    assert.throws(
      () => new ClusterSecurity("csx", { environment: "Prod", jwt: { ...JWT, jwksUri: "http://insecure" } }),
      (e: unknown) => e instanceof ValidationError && e.problems.map((p) => p.key).join(",") === "environment,jwt.jwksUri",
    );
    await settle();
    assert.deepEqual(resourcesNamed("csx"), []);
  });
});
