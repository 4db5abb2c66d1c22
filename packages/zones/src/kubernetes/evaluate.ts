/**
 * NetworkPolicy semantics (networking.k8s.io/v1) as a pure function: can this endpoint open
 * a connection to that one, on which ports?
 *
 * The rules, as https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * states them:
 * - Policies only allow, and they add up: a connection is allowed in one direction when ANY
 *   policy selecting the pod for that direction has a rule that allows it.
 * - Isolation is per direction: a pod is isolated for ingress when some policy selects it
 *   and lists Ingress in its (defaulted) policyTypes; likewise for egress. A pod that is not
 *   isolated in a direction allows everything in that direction.
 * - A pod-to-pod connection needs both the egress side of the source and the ingress side of
 *   the destination to allow it.
 * - A pod cannot block connections to itself.
 *
 * Where the page leaves it to the network plugin, this evaluator chooses the stricter, common
 * reading: ipBlock peers match by IP, pods included (a pod whose IP lies in the block is
 * matched by it), and named ports resolve on the destination pod by name and protocol.
 */
import { addressInCidr } from "../cidr";
import type { PortRange } from "../model";
import { throwIfProblems } from "../problems";
import { EVERY_PORT, intersectPorts, portsContain, unionPorts } from "./ports";
import { matchesSelector } from "./selector";
import type {
  ClusterState,
  Endpoint,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodInfo,
  PolicyProtocol,
  PolicyType,
} from "./types";
import { isPod } from "./types";
import { networkPolicyProblems } from "./validate";

/** The label the API server puts on every namespace, holding its name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * The policy types a policy has after defaulting: as written when given; otherwise Ingress,
 * plus Egress when the policy has at least one egress rule.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): PolicyType[] {
  const given = policy.spec.policyTypes ?? [];
  if (given.length > 0) return [...given];
  return (policy.spec.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** How one direction of a connection is decided. */
export interface DirectionVerdict {
  /** Whether some policy isolates the pod in this direction. */
  readonly isolated: boolean;
  /** `namespace/name` of each policy selecting the pod for this direction. */
  readonly selectedBy: readonly string[];
  /** `namespace/name` of each policy whose rules contributed ports. */
  readonly allowedBy: readonly string[];
  /** The ports this direction allows (every port when the pod is not isolated). */
  readonly ports: readonly PortRange[];
}

export interface ReachVerdict {
  /** The source pod's egress side; undefined when the source is not a pod. */
  readonly egress?: DirectionVerdict;
  /** The destination pod's ingress side; undefined when the destination is not a pod. */
  readonly ingress?: DirectionVerdict;
  /** The ports both sides allow. */
  readonly ports: readonly PortRange[];
}

const OPEN: DirectionVerdict = { isolated: false, selectedBy: [], allowedBy: [], ports: EVERY_PORT };

function policyId(p: NetworkPolicy): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

function samePod(a: Endpoint, b: Endpoint): boolean {
  return isPod(a) && isPod(b) && a.namespace === b.namespace && a.name === b.name;
}

function endpointIp(e: Endpoint): string | undefined {
  return e.ip;
}

export class NetworkPolicyEvaluator {
  private readonly namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  private readonly policies: readonly NetworkPolicy[];

  /** Validates every policy first and throws one error listing every problem. */
  constructor(cluster: ClusterState) {
    throwIfProblems(
      "NetworkPolicy evaluator",
      cluster.policies.flatMap((p, i) => networkPolicyProblems(`policies[${i}] (${policyId(p)})`, p)),
    );
    for (const ns of cluster.namespaces) {
      this.namespaceLabels.set(ns.name, { ...(ns.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.name });
    }
    this.policies = cluster.policies;
  }

  private labelsOfNamespace(name: string): Readonly<Record<string, string>> {
    return this.namespaceLabels.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  /** The policies that select `pod` for `direction`. */
  policiesFor(pod: PodInfo, direction: PolicyType): NetworkPolicy[] {
    return this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        matchesSelector(p.spec.podSelector, pod.labels) &&
        effectivePolicyTypes(p).includes(direction),
    );
  }

  /** Whether `pod` is isolated for `direction`. */
  isIsolated(pod: PodInfo, direction: PolicyType): boolean {
    return this.policiesFor(pod, direction).length > 0;
  }

  private peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, e: Endpoint): boolean {
    if (peer.ipBlock !== undefined) {
      const ip = endpointIp(e);
      if (ip === undefined || !addressInCidr(ip, peer.ipBlock.cidr)) return false;
      return !(peer.ipBlock.except ?? []).some((ex) => addressInCidr(ip, ex));
    }
    if (!isPod(e)) return false;
    const namespaceOk =
      peer.namespaceSelector !== undefined
        ? matchesSelector(peer.namespaceSelector, this.labelsOfNamespace(e.namespace))
        : e.namespace === policyNamespace;
    const podOk = peer.podSelector === undefined || matchesSelector(peer.podSelector, e.labels);
    return namespaceOk && podOk;
  }

  private peersMatch(peers: readonly NetworkPolicyPeer[] | undefined, policyNamespace: string, e: Endpoint): boolean {
    if (peers === undefined || peers.length === 0) return true;
    return peers.some((peer) => this.peerMatches(peer, policyNamespace, e));
  }

  /** The ports a rule's port list allows toward `destination` for `protocol`. */
  private rulePorts(ports: readonly NetworkPolicyPort[] | undefined, destination: Endpoint, protocol: PolicyProtocol): PortRange[] {
    if (ports === undefined || ports.length === 0) return [...EVERY_PORT];
    const out: PortRange[] = [];
    for (const p of ports) {
      if ((p.protocol ?? "TCP") !== protocol) continue;
      if (p.port === undefined) return [...EVERY_PORT];
      if (typeof p.port === "number") {
        out.push({ from: p.port, to: p.endPort ?? p.port });
        continue;
      }
      if (!isPod(destination)) continue;
      for (const cp of destination.ports ?? []) {
        if (cp.name === p.port && (cp.protocol ?? "TCP") === protocol) out.push({ from: cp.containerPort, to: cp.containerPort });
      }
    }
    return unionPorts(out);
  }

  private side(direction: PolicyType, subject: PodInfo, peer: Endpoint, destination: Endpoint, protocol: PolicyProtocol): DirectionVerdict {
    const selecting = this.policiesFor(subject, direction);
    if (selecting.length === 0) return OPEN;
    const allowedBy: string[] = [];
    let ports: PortRange[] = [];
    for (const policy of selecting) {
      const ns = policy.metadata.namespace;
      const rules =
        direction === "Ingress"
          ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
          : (policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      let contributed = false;
      for (const rule of rules) {
        if (!this.peersMatch(rule.peers, ns, peer)) continue;
        const allowed = this.rulePorts(rule.ports, destination, protocol);
        if (allowed.length === 0) continue;
        ports = unionPorts(ports, allowed);
        contributed = true;
      }
      if (contributed) allowedBy.push(policyId(policy));
    }
    return { isolated: true, selectedBy: selecting.map(policyId), allowedBy, ports };
  }

  /** Both sides of a connection from `from` to `to` over `protocol`, and what they allow together. */
  explain(from: Endpoint, to: Endpoint, protocol: PolicyProtocol = "TCP"): ReachVerdict {
    if (!isPod(from) && !isPod(to)) {
      throw new Error(`neither ${from.ip} nor ${to.ip} is a pod: NetworkPolicies only govern connections with a pod at one end`);
    }
    if (samePod(from, to)) return { egress: OPEN, ingress: OPEN, ports: EVERY_PORT };
    const egress = isPod(from) ? this.side("Egress", from, to, to, protocol) : undefined;
    const ingress = isPod(to) ? this.side("Ingress", to, from, to, protocol) : undefined;
    const ports = intersectPorts(egress?.ports ?? EVERY_PORT, ingress?.ports ?? EVERY_PORT);
    return { ...(egress !== undefined ? { egress } : {}), ...(ingress !== undefined ? { ingress } : {}), ports };
  }

  /** The ports on which `from` may connect to `to` over `protocol`. */
  allowedPorts(from: Endpoint, to: Endpoint, protocol: PolicyProtocol = "TCP"): PortRange[] {
    return [...this.explain(from, to, protocol).ports];
  }

  /** Whether `from` may connect to `to` on `port` over `protocol`. */
  canReach(from: Endpoint, to: Endpoint, port: number, protocol: PolicyProtocol = "TCP"): boolean {
    return portsContain(this.explain(from, to, protocol).ports, port);
  }
}

/** One-shot form of {@link NetworkPolicyEvaluator.canReach}. */
export function canReach(cluster: ClusterState, from: Endpoint, to: Endpoint, port: number, protocol: PolicyProtocol = "TCP"): boolean {
  return new NetworkPolicyEvaluator(cluster).canReach(from, to, port, protocol);
}
