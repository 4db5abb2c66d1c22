/**
 * The evaluator against the cases the Kubernetes documentation states. Each case names its
 * source: NP = https://kubernetes.io/docs/concepts/services-networking/network-policies/,
 * API = https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/.
 */
import * as assert from "node:assert/strict";
import { ValidationError } from "../problems";
import { NetworkPolicyEvaluator, effectivePolicyTypes } from "./evaluate";
import type { ExternalAddress, NamespaceInfo, NetworkPolicy, PodInfo } from "./types";

const namespaces: NamespaceInfo[] = [
  { name: "default" },
  { name: "myproject-ns", labels: { project: "myproject" } },
  { name: "alice-ns", labels: { user: "alice" } },
  { name: "other" },
];
const pod = (name: string, namespace: string, labels: Record<string, string>, ip: string, ports: PodInfo["ports"] = []): PodInfo => ({
  name,
  namespace,
  labels,
  ip,
  ports,
});
const db = pod("db", "default", { role: "db" }, "10.1.0.10");
const frontend = pod("frontend", "default", { role: "frontend" }, "10.1.0.11");
const plain = pod("plain", "default", {}, "10.1.0.12");
const inMyProject = pod("anything", "myproject-ns", {}, "10.1.0.20");
const frontendElsewhere = pod("frontend", "other", { role: "frontend" }, "10.1.0.30");
const aliceClient = pod("client", "alice-ns", { role: "client" }, "10.1.0.40");
const aliceOther = pod("server", "alice-ns", { role: "server" }, "10.1.0.41");
const localClient = pod("client", "default", { role: "client" }, "10.1.0.13");
const ip = (a: string): ExternalAddress => ({ ip: a });

const policy = (name: string, spec: NetworkPolicy["spec"], namespace = "default"): NetworkPolicy => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});
const evaluator = (...policies: NetworkPolicy[]): NetworkPolicyEvaluator => new NetworkPolicyEvaluator({ namespaces, policies });

describe("NetworkPolicy evaluator", () => {
  describe("the documentation's test-network-policy (NP #networkpolicy-resource)", () => {
    const e = evaluator(
      policy("test-network-policy", {
        podSelector: { matchLabels: { role: "db" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } },
              { namespaceSelector: { matchLabels: { project: "myproject" } } },
              { podSelector: { matchLabels: { role: "frontend" } } },
            ],
            ports: [{ protocol: "TCP", port: 6379 }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 5978 }] }],
      }),
    );

    it("lets role=frontend pods of the policy's namespace reach the db on TCP 6379 only", () => {
      assert.equal(e.canReach(frontend, db, 6379), true);
      assert.equal(e.canReach(frontend, db, 6380), false);
      assert.equal(e.canReach(frontend, db, 6379, "UDP"), false);
      assert.deepEqual(e.allowedPorts(frontend, db), [{ from: 6379, to: 6379 }]);
    });

    it("lets any pod of a namespace labelled project=myproject reach the db", () => {
      assert.equal(e.canReach(inMyProject, db, 6379), true);
    });

    it("does not let role=frontend pods of another namespace in: a bare podSelector means the policy's namespace", () => {
      assert.equal(e.canReach(frontendElsewhere, db, 6379), false);
    });

    it("admits 172.17.0.0/16 but not the excepted 172.17.1.0/24", () => {
      assert.equal(e.canReach(ip("172.17.0.5"), db, 6379), true);
      assert.equal(e.canReach(ip("172.17.2.200"), db, 6379), true);
      assert.equal(e.canReach(ip("172.17.1.5"), db, 6379), false);
      assert.equal(e.canReach(ip("172.18.0.1"), db, 6379), false);
    });

    it("lets the db open connections to 10.0.0.0/24 on TCP 5978 and nothing else", () => {
      assert.equal(e.canReach(db, ip("10.0.0.7"), 5978), true);
      assert.equal(e.canReach(db, ip("10.0.0.7"), 5979), false);
      assert.equal(e.canReach(db, ip("10.0.1.7"), 5978), false);
      assert.equal(e.canReach(db, frontend, 80), false);
    });

    it("leaves pods it does not select open in both directions", () => {
      assert.equal(e.isIsolated(frontend, "Ingress"), false);
      assert.equal(e.isIsolated(frontend, "Egress"), false);
      assert.equal(e.canReach(plain, frontend, 1234), true);
    });
  });

  describe("namespaceSelector and podSelector in one peer or two (NP #behavior-of-to-and-from-selectors)", () => {
    const target = pod("target", "default", { role: "target" }, "10.1.0.50");
    const oneElement = evaluator(
      policy("and", {
        podSelector: { matchLabels: { role: "target" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: "alice" } }, podSelector: { matchLabels: { role: "client" } } }] }],
      }),
    );
    const twoElements = evaluator(
      policy("or", {
        podSelector: { matchLabels: { role: "target" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: "alice" } } }, { podSelector: { matchLabels: { role: "client" } } }] }],
      }),
    );

    it("in one element admits only role=client pods in namespaces labelled user=alice", () => {
      assert.equal(oneElement.canReach(aliceClient, target, 80), true);
      assert.equal(oneElement.canReach(aliceOther, target, 80), false);
      assert.equal(oneElement.canReach(localClient, target, 80), false);
    });

    it("in two elements admits role=client pods of the local namespace or any pod of user=alice namespaces", () => {
      assert.equal(twoElements.canReach(aliceClient, target, 80), true);
      assert.equal(twoElements.canReach(aliceOther, target, 80), true);
      assert.equal(twoElements.canReach(localClient, target, 80), true);
      assert.equal(twoElements.canReach(frontendElsewhere, target, 80), false);
    });
  });

  describe("the default policies (NP #default-policies)", () => {
    const denyIngress = policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] });
    const denyEgress = policy("default-deny-egress", { podSelector: {}, policyTypes: ["Egress"] });

    it("default-deny-ingress isolates every pod of the namespace for ingress and leaves egress open", () => {
      const e = evaluator(denyIngress);
      assert.equal(e.canReach(frontend, db, 6379), false);
      assert.equal(e.canReach(inMyProject, db, 6379), false);
      assert.equal(e.canReach(db, inMyProject, 443), true);
    });

    it("allow-all-ingress (one empty rule) re-opens ingress even next to a default deny, because policies add up", () => {
      const e = evaluator(denyIngress, policy("allow-all-ingress", { podSelector: {}, ingress: [{}], policyTypes: ["Ingress"] }));
      assert.equal(e.canReach(inMyProject, db, 6379), true);
      assert.equal(e.canReach(ip("198.51.100.1"), db, 1), true);
    });

    it("default-deny-egress blocks every connection the namespace's pods open, DNS included", () => {
      const e = evaluator(denyEgress);
      assert.equal(e.canReach(db, inMyProject, 53, "UDP"), false);
      assert.equal(e.canReach(inMyProject, db, 6379), true);
    });

    it("allow-all-egress (one empty rule) re-opens egress to pods and addresses alike", () => {
      const e = evaluator(denyEgress, policy("allow-all-egress", { podSelector: {}, egress: [{}], policyTypes: ["Egress"] }));
      assert.equal(e.canReach(db, inMyProject, 53, "UDP"), true);
      assert.equal(e.canReach(db, ip("198.51.100.1"), 443), true);
    });

    it("default-deny-all isolates both directions", () => {
      const e = evaluator(policy("default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }));
      assert.equal(e.canReach(frontend, db, 6379), false);
      assert.equal(e.canReach(db, ip("198.51.100.1"), 443), false);
    });
  });

  describe("isolation per direction (NP #the-two-sorts-of-pod-isolation)", () => {
    it("needs both the source's egress and the destination's ingress to allow a connection", () => {
      const egressOnly = policy("frontend-egress", {
        podSelector: { matchLabels: { role: "frontend" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: { role: "db" } } }], ports: [{ port: 6379 }] }],
      });
      const dbClosed = policy("db-closed", { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Ingress"] });
      assert.equal(evaluator(egressOnly).canReach(frontend, db, 6379), true);
      assert.equal(evaluator(egressOnly, dbClosed).canReach(frontend, db, 6379), false);
      const v = evaluator(egressOnly, dbClosed).explain(frontend, db);
      assert.deepEqual(v.egress?.allowedBy, ["default/frontend-egress"]);
      assert.deepEqual(v.ingress?.selectedBy, ["default/db-closed"]);
      assert.deepEqual(v.ingress?.allowedBy, []);
    });

    it("lets a pod always reach itself (NP: a pod cannot block access to itself)", () => {
      const e = evaluator(policy("deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }));
      assert.equal(e.canReach(db, db, 6379), true);
      assert.equal(e.canReach(db, { ...db, name: "db-2", ip: "10.1.0.99" }, 6379), false);
    });
  });

  describe("policyTypes defaulting (API NetworkPolicySpec.policyTypes)", () => {
    it("defaults to Ingress only for a policy without egress rules", () => {
      const p = policy("ingress-only", { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
      assert.deepEqual(effectivePolicyTypes(p), ["Ingress"]);
      assert.equal(evaluator(p).canReach(db, ip("198.51.100.1"), 443), true);
    });

    it("defaults to Ingress and Egress for a policy with egress rules, so it also closes ingress", () => {
      const p = policy("egress-rules", { podSelector: { matchLabels: { role: "db" } }, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] });
      assert.deepEqual(effectivePolicyTypes(p), ["Ingress", "Egress"]);
      const e = evaluator(p);
      assert.equal(e.canReach(frontend, db, 6379), false);
      assert.equal(e.canReach(db, ip("8.8.8.8"), 53, "UDP"), true);
    });

    it("treats an empty egress list like none when defaulting", () => {
      assert.deepEqual(effectivePolicyTypes(policy("empty", { podSelector: {}, egress: [] })), ["Ingress"]);
    });
  });

  describe("ports (API NetworkPolicyPort)", () => {
    const web = pod("web", "default", { role: "web" }, "10.1.0.60", [
      { name: "http", containerPort: 8080 },
      { name: "dns", containerPort: 5353, protocol: "UDP" },
    ]);
    const webNoNames = pod("web-2", "default", { role: "web" }, "10.1.0.61", [{ containerPort: 8080 }]);

    it("targets a range with endPort (NP #targeting-a-range-of-ports)", () => {
      const e = evaluator(
        policy("multi-port-egress", {
          podSelector: { matchLabels: { role: "db" } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 32000, endPort: 32768 }] }],
        }),
      );
      assert.equal(e.canReach(db, ip("10.0.0.1"), 32000), true);
      assert.equal(e.canReach(db, ip("10.0.0.1"), 32768), true);
      assert.equal(e.canReach(db, ip("10.0.0.1"), 31999), false);
      assert.equal(e.canReach(db, ip("10.0.0.1"), 32769), false);
    });

    it("resolves a named port on the destination pod, by name and protocol", () => {
      const e = evaluator(
        policy("named", { podSelector: { matchLabels: { role: "web" } }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: "http" }, { port: "dns", protocol: "UDP" }] }] }),
      );
      assert.deepEqual(e.allowedPorts(frontend, web, "TCP"), [{ from: 8080, to: 8080 }]);
      assert.deepEqual(e.allowedPorts(frontend, web, "UDP"), [{ from: 5353, to: 5353 }]);
      assert.deepEqual(e.allowedPorts(frontend, webNoNames, "TCP"), []);
    });

    it("resolves an egress named port on the destination, never on an address", () => {
      const e = evaluator(policy("egress-named", { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: "http" }] }] }));
      assert.equal(e.canReach(db, web, 8080), true);
      assert.equal(e.canReach(db, ip("198.51.100.1"), 8080), false);
    });

    it("defaults the protocol to TCP", () => {
      const e = evaluator(policy("tcp-default", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 53 }] }] }));
      assert.equal(e.canReach(frontend, db, 53, "TCP"), true);
      assert.equal(e.canReach(frontend, db, 53, "UDP"), false);
    });

    it("matches every port when ports is empty, and every port of one protocol when only the protocol is given", () => {
      const e = evaluator(
        policy("any-port", { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { role: "frontend" } } }], ports: [] }] }),
        policy("udp-only", { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: "UDP" }] }] }),
      );
      assert.equal(e.canReach(frontend, db, 1, "SCTP"), true);
      assert.equal(e.canReach(plain, db, 9999, "UDP"), true);
      assert.equal(e.canReach(plain, db, 9999, "TCP"), false);
    });
  });

  describe("namespace selection (API NetworkPolicyPeer, NP #targeting-a-namespace-by-its-name)", () => {
    it("selects every namespace with an empty namespaceSelector", () => {
      const e = evaluator(policy("all-ns", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] }));
      assert.equal(e.canReach(frontendElsewhere, db, 1), true);
      assert.equal(e.canReach(aliceClient, db, 1), true);
      assert.equal(e.canReach(ip("10.1.0.40"), db, 1), false);
    });

    it("selects a namespace by the kubernetes.io/metadata.name label the API server sets", () => {
      const e = evaluator(
        policy("by-name", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }] }] }),
      );
      assert.equal(e.canReach(frontendElsewhere, db, 1), true);
      assert.equal(e.canReach(aliceClient, db, 1), false);
    });

    it("never lets a policy select pods of another namespace", () => {
      const e = evaluator(policy("elsewhere", { podSelector: {}, policyTypes: ["Ingress"] }, "other"));
      assert.equal(e.canReach(frontend, db, 6379), true);
      assert.equal(e.canReach(frontend, frontendElsewhere, 80), false);
    });
  });

  describe("ipBlock peers", () => {
    it("match pods by their IP as well as outside addresses", () => {
      const e = evaluator(policy("by-ip", { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.1.0.0/24", except: ["10.1.0.11/32"] } }] }] }));
      assert.equal(e.canReach(plain, db, 1), true);
      assert.equal(e.canReach(frontend, db, 1), false);
      assert.equal(e.canReach({ ...plain, ip: undefined }, db, 1), false);
    });
  });

  describe("validation", () => {
    it("rejects, in one error, every problem the API server would reject", () => {
      const bad = policy("bad", {
        podSelector: { matchExpressions: [{ key: "tier", operator: "In" }] },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ ipBlock: { cidr: "10.0.0.0/24", except: ["10.9.0.0/24"] }, podSelector: {} }, {}],
            ports: [{ port: "http", endPort: 90 }, { port: 100, endPort: 99 }, { port: 0 }],
          },
        ],
      });
      assert.throws(
        () => evaluator(bad),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.problems.map((p) => p.key),
            [
              "policies[0] (default/bad).spec.podSelector.matchExpressions[0].values",
              "policies[0] (default/bad).spec.ingress[0].from[0]",
              "policies[0] (default/bad).spec.ingress[0].from[0].ipBlock.except[0]",
              "policies[0] (default/bad).spec.ingress[0].from[1]",
              "policies[0] (default/bad).spec.ingress[0].ports[0].endPort",
              "policies[0] (default/bad).spec.ingress[0].ports[1].endPort",
              "policies[0] (default/bad).spec.ingress[0].ports[2].port",
            ],
          );
          return true;
        },
      );
    });

    it("refuses to judge a connection with no pod at either end", () => {
      assert.throws(() => evaluator().canReach(ip("198.51.100.1"), ip("198.51.100.2"), 80), /neither 198.51.100.1 nor 198.51.100.2 is a pod/);
    });
  });
});
