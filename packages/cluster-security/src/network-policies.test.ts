import * as assert from "node:assert/strict";
import { k8s } from "@pfv5/zones";
import { clusterZoneMatrix } from "./matrix";
import { NOT_QUARANTINED, planNetworkPolicies } from "./network-policies";
import { resolveClusterSecurityArgs } from "./validate";

const JWT = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks.json", audiences: ["pfv5"] };
const resolved = resolveClusterSecurityArgs("np", { environment: "prod", jwt: JWT });
const ns = resolved.namespaces;
const policies = planNetworkPolicies({ namespaces: ns, mesh: true, appEgress: [], labels: {} });
const byName = (n: string): k8s.NetworkPolicy => {
  const p = policies.find((x) => x.metadata.name === n);
  assert.ok(p, `no policy ${n}`);
  return p;
};
const notQ = [{ key: "pfv5.io/quarantine", operator: "NotIn", values: ["true"] }];
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: "TCP", port });
const nsPeer = (name: string, podLabels?: Record<string, string>): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
  ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
});

/** The Kubernetes paragraph of the design's allowed flows, pair by pair (every other pair: nothing). */
const DESIGN_MATRIX = [
  ...["app", "mca", "npa", "wpa", "postgres", "redis", "mongodb", "unlabelled"].flatMap((w) => [`${w} -> cluster-dns: tcp 53; udp 53`, `${w} -> istiod: tcp 15012`]),
  "ingress-controller -> app: tcp 3000",
  ...["app", "mca", "npa", "wpa"].map((w) => `monitoring -> ${w}: tcp 9090`),
  "monitoring -> postgres: tcp 9187",
  "monitoring -> redis: tcp 9121",
  "monitoring -> mongodb: tcp 9216",
  ...["mca", "npa", "wpa"].map((a) => `app -> ${a}: tcp 8000`),
  ...["mca", "npa", "wpa"].flatMap((a) => ["mca", "npa", "wpa"].map((b) => `${a} -> ${b}: tcp 8000, 9000`)),
  ...["app", "mca", "npa", "wpa"].flatMap((w) => [`${w} -> postgres: tcp 5432`, `${w} -> redis: tcp 6379`, `${w} -> mongodb: tcp 27017`]),
].sort();

describe("ClusterSecurity NetworkPolicies", () => {
  it("creates ten policies in a fixed order", () => {
    assert.deepEqual(
      policies.map((p) => p.metadata.name),
      ["default-deny", "quarantine", "all-pods-egress", "app-ingress", "app-egress", "agents-ingress", "agents-egress", "postgres-ingress", "redis-ingress", "mongodb-ingress"],
    );
    assert.ok(policies.every((p) => p.metadata.namespace === "progressive-framework-prod"));
  });

  it("denies ingress and egress for every pod, and isolates quarantined pods in both directions", () => {
    assert.deepEqual(byName("default-deny").spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    assert.deepEqual(byName("quarantine").spec, { podSelector: { matchLabels: { "pfv5.io/quarantine": "true" } }, policyTypes: ["Ingress", "Egress"] });
  });

  it("lets every pod resolve names through the cluster DNS pods (namespace AND pod in one peer) and reach istiod", () => {
    assert.deepEqual(byName("all-pods-egress").spec, {
      podSelector: { matchExpressions: notQ },
      policyTypes: ["Egress"],
      egress: [
        { to: [nsPeer("kube-system", { "k8s-app": "kube-dns" })], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] },
        { to: [nsPeer("istio-system", { app: "istiod" })], ports: [tcp(15012)] },
      ],
    });
  });

  it("admits the ingress controller on 3000 and monitoring on 9090 to the app", () => {
    assert.deepEqual(byName("app-ingress").spec, {
      podSelector: { matchLabels: { app: "progressive-framework-v5" }, matchExpressions: notQ },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [nsPeer("ingress-nginx")], ports: [tcp(3000)] },
        { from: [nsPeer("monitoring")], ports: [tcp(9090)] },
      ],
    });
  });

  it("gives the app the egress it needs: agents on 8000 and each database on its own port", () => {
    assert.deepEqual(byName("app-egress").spec, {
      podSelector: { matchLabels: { app: "progressive-framework-v5" }, matchExpressions: notQ },
      policyTypes: ["Egress"],
      egress: [
        { to: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(8000)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "postgres" } } }], ports: [tcp(5432)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "redis" } } }], ports: [tcp(6379)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "mongodb" } } }], ports: [tcp(27017)] },
      ],
    });
  });

  it("lets agents take calls from monitoring, the app and each other, and call each other and the databases", () => {
    const agents = { matchLabels: { tier: "agents" }, matchExpressions: notQ };
    assert.deepEqual(byName("agents-ingress").spec, {
      podSelector: agents,
      policyTypes: ["Ingress"],
      ingress: [
        { from: [nsPeer("monitoring")], ports: [tcp(9090)] },
        { from: [{ podSelector: { matchLabels: { app: "progressive-framework-v5" } } }], ports: [tcp(8000)] },
        { from: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(8000), tcp(9000)] },
      ],
    });
    assert.deepEqual(byName("agents-egress").spec, {
      podSelector: agents,
      policyTypes: ["Egress"],
      egress: [
        { to: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(8000), tcp(9000)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "postgres" } } }], ports: [tcp(5432)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "redis" } } }], ports: [tcp(6379)] },
        { to: [{ podSelector: { matchLabels: { tier: "database", db: "mongodb" } } }], ports: [tcp(27017)] },
      ],
    });
  });

  it("admits to each database its exporter scrape from monitoring and its port from the app and the agents", () => {
    for (const [db, port, exporter] of [["postgres", 5432, 9187], ["redis", 6379, 9121], ["mongodb", 27017, 9216]] as const) {
      assert.deepEqual(byName(`${db}-ingress`).spec, {
        podSelector: { matchLabels: { tier: "database", db }, matchExpressions: notQ },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [nsPeer("monitoring")], ports: [tcp(exporter)] },
          { from: [{ podSelector: { matchLabels: { app: "progressive-framework-v5" } } }], ports: [tcp(port)] },
          { from: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(port)] },
        ],
      });
    }
  });

  it("never allows database ports toward any destination: every such egress rule names its peers", () => {
    const dbPorts = new Set([5432, 6379, 27017]);
    for (const p of policies) {
      for (const rule of p.spec.egress ?? []) {
        const touchesDb = (rule.ports ?? []).some((x) => typeof x.port === "number" && dbPorts.has(x.port));
        if (touchesDb) assert.ok((rule.to ?? []).length > 0 && (rule.to ?? []).every((peer) => peer.podSelector !== undefined), `${p.metadata.name} opens database ports to any destination`);
      }
    }
  });

  it("yields exactly the design's Kubernetes zone matrix when evaluated with Kubernetes semantics", () => {
    const actual = k8s.kubernetesZoneMatrix(policies, ns);
    assert.deepEqual(k8s.formatMatrix(actual).split("\n").sort(), DESIGN_MATRIX);
    assert.deepEqual(k8s.diffMatrices(actual, k8s.declaredKubernetesMatrix(ns, { mesh: true })), []);
    assert.equal(actual.length, 448);
  });

  it("drops the istiod flow, and only it, with the mesh off", () => {
    const off = planNetworkPolicies({ namespaces: ns, mesh: false, appEgress: [], labels: {} });
    const lines = k8s.formatMatrix(k8s.kubernetesZoneMatrix(off, ns)).split("\n").sort();
    assert.deepEqual(lines, DESIGN_MATRIX.filter((l) => !l.endsWith("-> istiod: tcp 15012")));
    assert.deepEqual(k8s.diffMatrices(k8s.kubernetesZoneMatrix(off, ns), k8s.declaredKubernetesMatrix(ns, { mesh: false })), []);
  });

  it("gives quarantined pods nothing: no pair to or from them allows any port", () => {
    const actual = k8s.kubernetesZoneMatrix(policies, ns);
    const touching = actual.filter((e) => e.from.endsWith("(quarantined)") || e.to.endsWith("(quarantined)"));
    assert.equal(touching.length, 8 * 22 * 2 - 8 * 8);
    for (const e of touching) assert.deepEqual([e.from, e.to, e.TCP, e.UDP, e.SCTP], [e.from, e.to, [], [], []]);
  });

  it("shows why the exclusion is needed: a quarantine policy alone leaves the allowed traffic in place", () => {
    const withoutExclusion = policies.map((p) => ({
      ...p,
      spec: { ...p.spec, podSelector: { ...p.spec.podSelector, matchExpressions: (p.spec.podSelector.matchExpressions ?? []).filter((x) => x.key !== NOT_QUARANTINED.key) } },
    }));
    const e = new k8s.NetworkPolicyEvaluator({ namespaces: [{ name: ns.app }, { name: ns.ingress }], policies: withoutExclusion });
    const app: k8s.PodInfo = { name: "app-0", namespace: ns.app, labels: { app: "progressive-framework-v5", "pfv5.io/quarantine": "true" } };
    const controller: k8s.PodInfo = { name: "nginx-0", namespace: ns.ingress, labels: {} };
    assert.equal(e.canReach(controller, app, 3000), true);
    const guarded = new k8s.NetworkPolicyEvaluator({ namespaces: [{ name: ns.app }, { name: ns.ingress }], policies });
    assert.equal(guarded.canReach(controller, app, 3000), false);
  });

  it("adds the configured outside destinations to the app's egress, and reaches pods through none of them", () => {
    const egress = planNetworkPolicies({ namespaces: ns, mesh: true, appEgress: [{ cidr: "198.51.100.0/24", protocol: "TCP", ports: [443] }], labels: {} });
    const appEgress = egress.find((p) => p.metadata.name === "app-egress");
    assert.deepEqual(appEgress?.spec.egress?.at(-1), { to: [{ ipBlock: { cidr: "198.51.100.0/24" } }], ports: [tcp(443)] });
    const e = new k8s.NetworkPolicyEvaluator({ namespaces: [{ name: ns.app }], policies: egress });
    const app: k8s.PodInfo = { name: "app-0", namespace: ns.app, labels: { app: "progressive-framework-v5" } };
    assert.equal(e.canReach(app, { ip: "198.51.100.20" }, 443), true);
    assert.equal(e.canReach(app, { ip: "198.51.100.20" }, 80), false);
    assert.equal(e.canReach(app, { ip: "203.0.113.9" }, 443), false);
    const unlabelled: k8s.PodInfo = { name: "debug", namespace: ns.app, labels: {} };
    assert.equal(e.canReach(unlabelled, { ip: "198.51.100.20" }, 443), false);
  });
});

describe("clusterZoneMatrix", () => {
  it("returns the matrix of the component's own policies, with no difference from the declared flows", () => {
    const m = clusterZoneMatrix({ environment: "prod", jwt: JWT });
    assert.deepEqual(m.text.split("\n").sort(), DESIGN_MATRIX);
    assert.deepEqual(m.differences, []);
  });

  it("shows the outside egress the app is given as a difference from the zone model", () => {
    const m = clusterZoneMatrix({ environment: "prod", jwt: JWT, appEgress: [{ cidr: "203.0.113.0/24", ports: [443] }] });
    assert.deepEqual(m.differences, ["app -> internet: got tcp 443, declared nothing"]);
  });
});
