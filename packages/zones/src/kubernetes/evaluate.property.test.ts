/**
 * The evaluator against a brute-force reference on small random clusters: the reference asks,
 * for one port at a time, "does some rule of some selecting policy admit this?", reading the
 * objects directly; the evaluator works on port sets. They must agree on every question.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { NetworkPolicyEvaluator } from "./evaluate";
import type {
  Endpoint,
  LabelSelector,
  NamespaceInfo,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodInfo,
  PolicyProtocol,
  PolicyType,
} from "./types";

// ---- the reference: no sets, no shared helpers ------------------------------------------

function ipv4(a: string): number {
  return a.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function refInCidr(address: string, cidr: string): boolean {
  const [base = "", bits = "0"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = ipv4(base);
  const x = ipv4(address);
  return x >= start && x < start + size;
}

function refSelects(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(sel.matchLabels ?? {})) if (labels[k] !== sel.matchLabels?.[k]) return false;
  for (const r of sel.matchExpressions ?? []) {
    const present = k(labels, r.key);
    if (r.operator === "In" && !(present && (r.values ?? []).includes(labels[r.key] ?? ""))) return false;
    if (r.operator === "NotIn" && present && (r.values ?? []).includes(labels[r.key] ?? "")) return false;
    if (r.operator === "Exists" && !present) return false;
    if (r.operator === "DoesNotExist" && present) return false;
  }
  return true;
}

function k(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.keys(labels).includes(key);
}

function refTypes(p: NetworkPolicy): PolicyType[] {
  if (p.spec.policyTypes !== undefined && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return p.spec.egress !== undefined && p.spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

interface RefWorld {
  namespaces: NamespaceInfo[];
  policies: NetworkPolicy[];
}

function nsLabels(world: RefWorld, name: string): Record<string, string> {
  const ns = world.namespaces.find((n) => n.name === name);
  return { ...(ns?.labels ?? {}), "kubernetes.io/metadata.name": name };
}

function refPeer(world: RefWorld, peers: NetworkPolicyPeer[] | undefined, policyNs: string, e: Endpoint): boolean {
  if (peers === undefined || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock !== undefined) {
      const ip = e.ip;
      if (ip === undefined) return false;
      return refInCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x) => refInCidr(ip, x));
    }
    if (!("namespace" in e)) return false;
    const nsOk = peer.namespaceSelector === undefined ? e.namespace === policyNs : refSelects(peer.namespaceSelector, nsLabels(world, e.namespace));
    return nsOk && (peer.podSelector === undefined || refSelects(peer.podSelector, e.labels ?? {}));
  });
}

function refPort(ports: NetworkPolicyPort[] | undefined, dst: Endpoint, port: number, proto: PolicyProtocol): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== proto) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return port >= p.port && port <= (p.endPort ?? p.port);
    return "namespace" in dst && (dst.ports ?? []).some((c) => c.name === p.port && (c.protocol ?? "TCP") === proto && c.containerPort === port);
  });
}

function refSide(world: RefWorld, pod: PodInfo, dir: PolicyType, peer: Endpoint, dst: Endpoint, port: number, proto: PolicyProtocol): boolean {
  const selecting = world.policies.filter((p) => p.metadata.namespace === pod.namespace && refSelects(p.spec.podSelector, pod.labels ?? {}) && refTypes(p).includes(dir));
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    dir === "Ingress"
      ? (p.spec.ingress ?? []).some((r) => refPeer(world, r.from, p.metadata.namespace, peer) && refPort(r.ports, dst, port, proto))
      : (p.spec.egress ?? []).some((r) => refPeer(world, r.to, p.metadata.namespace, peer) && refPort(r.ports, dst, port, proto)),
  );
}

function refAllowed(world: RefWorld, from: Endpoint, to: Endpoint, port: number, proto: PolicyProtocol): boolean {
  if ("namespace" in from && "namespace" in to && from.namespace === to.namespace && from.name === to.name) return true;
  const out = !("namespace" in from) || refSide(world, from, "Egress", to, to, port, proto);
  const inn = !("namespace" in to) || refSide(world, to, "Ingress", from, to, port, proto);
  return out && inn;
}

// ---- random small clusters ---------------------------------------------------------------

const NAMESPACES = ["a", "b"];
const label = fc.record({ role: fc.constantFrom("web", "db", undefined), tier: fc.constantFrom("x", undefined) });
const labels = label.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as Record<string, string>);

const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: labels }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: fc.constantFrom("role", "tier", "team"), operator: fc.constantFrom("In" as const, "NotIn" as const), values: fc.subarray(["web", "db", "x", "y"], { minLength: 1 }) }),
        fc.record({ key: fc.constantFrom("role", "tier", "team"), operator: fc.constantFrom("Exists" as const, "DoesNotExist" as const) }),
      ),
      { maxLength: 2 },
    ),
  }),
);

const ipBlock = fc.oneof(
  fc.record({ cidr: fc.constantFrom("10.0.0.0/30", "10.0.0.4/30", "10.0.0.0/29", "0.0.0.0/0") }),
  fc.record({ cidr: fc.constant("10.0.0.0/29"), except: fc.subarray(["10.0.0.2/31", "10.0.0.4/32"], { minLength: 1 }) }),
);

const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  fc.record({ ipBlock }),
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
);

const policyPort: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom("TCP" as const, "UDP" as const, undefined) }, { requiredKeys: [] }),
  fc.record({ protocol: fc.constantFrom("TCP" as const, "UDP" as const), port: fc.constantFrom(80, 443, 8080) }, { requiredKeys: ["port"] }),
  fc.record({ port: fc.constantFrom(80, 8000), endPort: fc.constantFrom(8080, 9000) }),
  fc.record({ protocol: fc.constantFrom("TCP" as const, "UDP" as const), port: fc.constantFrom("http", "metrics") }, { requiredKeys: ["port"] }),
);

const peers = fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined });
const ports = fc.option(fc.array(policyPort, { maxLength: 2 }), { nil: undefined });

const policy: fc.Arbitrary<NetworkPolicy> = fc
  .record({
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: selector,
    policyTypes: fc.option(fc.subarray<PolicyType>(["Ingress", "Egress"]), { nil: undefined }),
    ingress: fc.option(fc.array(fc.record({ from: peers, ports }), { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(fc.record({ to: peers, ports }), { maxLength: 2 }), { nil: undefined }),
  })
  .map((r) => ({
    metadata: { name: "p", namespace: r.namespace },
    spec: {
      podSelector: r.podSelector,
      ...(r.policyTypes !== undefined ? { policyTypes: r.policyTypes } : {}),
      ...(r.ingress !== undefined ? { ingress: r.ingress.map((x) => strip(x)) } : {}),
      ...(r.egress !== undefined ? { egress: r.egress.map((x) => strip(x)) } : {}),
    },
  }));

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const pod = (i: number): fc.Arbitrary<PodInfo> =>
  fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    labels,
    hasIp: fc.boolean(),
    http: fc.constantFrom(80, 8080),
    httpProtocol: fc.constantFrom<PolicyProtocol>("TCP", "UDP"),
  }).map((r) => ({
    name: `pod${i}`,
    namespace: r.namespace,
    labels: r.labels,
    ...(r.hasIp ? { ip: `10.0.0.${i + 1}` } : {}),
    ports: [{ name: "http", containerPort: r.http, protocol: r.httpProtocol }, { name: "metrics", containerPort: 9090 }],
  }));

const world = fc.record({
  nsLabels: fc.tuple(fc.constantFrom("x", "y", undefined), fc.constantFrom("x", "y", undefined)),
  policies: fc.array(policy, { maxLength: 3 }).map((ps) => ps.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } }))),
  pods: fc.tuple(pod(0), pod(1), pod(2), pod(3)),
});

const QUESTION_PORTS = [53, 79, 80, 81, 443, 8000, 8080, 8081, 9000, 9090];

describe("NetworkPolicy evaluator against a brute-force reference", () => {
  it("agrees on every pair, port and protocol of random small clusters", () => {
    fc.assert(
      fc.property(world, (w) => {
        const namespaces: NamespaceInfo[] = NAMESPACES.map((name, i) => {
          const team = w.nsLabels[i];
          return team === undefined ? { name } : { name, labels: { team } };
        });
        const ref: RefWorld = { namespaces, policies: w.policies };
        const evaluator = new NetworkPolicyEvaluator({ namespaces, policies: w.policies });
        const endpoints: Endpoint[] = [...w.pods, { ip: "10.0.0.2" }, { ip: "10.0.0.6" }, { ip: "192.0.2.1" }];
        for (const from of endpoints) {
          for (const to of endpoints) {
            if (!("namespace" in from) && !("namespace" in to)) continue;
            for (const proto of ["TCP", "UDP"] as const) {
              const set = evaluator.allowedPorts(from, to, proto);
              for (const port of QUESTION_PORTS) {
                const expected = refAllowed(ref, from, to, port, proto);
                const got = set.some((r) => r.from <= port && port <= r.to);
                if (got !== expected) {
                  assert.fail(`${JSON.stringify(from)} -> ${JSON.stringify(to)} ${proto}/${port}: evaluator ${got}, reference ${expected}`);
                }
              }
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
