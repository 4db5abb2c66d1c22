/**
 * NetworkPolicies generated from the Kubernetes zone model: a default deny for both
 * directions, a quarantine policy, and for each role of the application namespace one
 * ingress and one egress policy holding exactly the flows the model declares.
 *
 * NetworkPolicies only ever add allowed traffic, so a quarantine policy alone cannot take
 * any away: every allowing policy here selects only pods WITHOUT the quarantine label. A
 * quarantined pod is then selected by the deny policies alone and gets nothing.
 */
import { k8s } from "@pfv5/zones";
import type { ResolvedEgress } from "./validate";

type NetworkPolicy = k8s.NetworkPolicy;
type Peer = k8s.NetworkPolicyPeer;
type Port = k8s.NetworkPolicyPort;

export interface NetworkPolicyPlanInput {
  readonly namespaces: k8s.KubernetesNamespaces;
  readonly mesh: boolean;
  readonly appEgress: readonly ResolvedEgress[];
  readonly labels: Readonly<Record<string, string>>;
}

/** Keeps quarantined pods out of every policy that allows something. */
export const NOT_QUARANTINED: k8s.LabelSelectorRequirement = { key: k8s.QUARANTINE_LABEL, operator: "NotIn", values: ["true"] };

function subjectSelector(role: k8s.KubernetesRoleInfo): k8s.LabelSelector {
  return {
    ...(role.podLabels !== undefined ? { matchLabels: { ...role.podLabels } } : {}),
    matchExpressions: [{ ...NOT_QUARANTINED, values: ["true"] }],
  };
}

/** The peer that stands for a role: pods of the namespace, or namespace AND pods in one peer. */
export function peerFor(role: k8s.KubernetesRoleInfo, ns: k8s.KubernetesNamespaces): Peer {
  if (role.namespace === "app") return { podSelector: role.podLabels !== undefined ? { matchLabels: { ...role.podLabels } } : {} };
  return {
    namespaceSelector: { matchLabels: { [k8s.NAMESPACE_NAME_LABEL]: ns[role.namespace] } },
    ...(role.podLabels !== undefined ? { podSelector: { matchLabels: { ...role.podLabels } } } : {}),
  };
}

function portsOf(flow: k8s.KubernetesFlow): Port[] {
  return flow.ports.map((r) => ({ protocol: flow.protocol, port: r.from, ...(r.to !== r.from ? { endPort: r.to } : {}) }));
}

/** One rule per peer role, its ports in flow order. */
function rulesFor(flows: readonly k8s.KubernetesFlow[], peerOf: (f: k8s.KubernetesFlow) => k8s.KubernetesRole, ns: k8s.KubernetesNamespaces): { peer: Peer; ports: Port[] }[] {
  const byPeer = new Map<k8s.KubernetesRole, Port[]>();
  for (const f of flows) byPeer.set(peerOf(f), [...(byPeer.get(peerOf(f)) ?? []), ...portsOf(f)]);
  return [...byPeer].map(([role, ports]) => ({ peer: peerFor(k8s.roleInfo(role), ns), ports }));
}

function policy(name: string, input: NetworkPolicyPlanInput, spec: k8s.NetworkPolicySpec): NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: input.namespaces.app, labels: { ...input.labels } },
    spec,
  };
}

/** The application's own egress beyond the cluster, one rule per destination. */
function appEgressRules(egress: readonly ResolvedEgress[]): k8s.NetworkPolicyEgressRule[] {
  return egress.map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: e.ports.map((p) => ({ protocol: e.protocol, port: p })) }));
}

/** The NetworkPolicies of the application namespace, in creation order. */
export function planNetworkPolicies(input: NetworkPolicyPlanInput): NetworkPolicy[] {
  const ns = input.namespaces;
  const flows = k8s.kubernetesFlows(input.mesh);
  const out: NetworkPolicy[] = [
    policy("default-deny", input, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("quarantine", input, { podSelector: { matchLabels: { [k8s.QUARANTINE_LABEL]: "true" } }, policyTypes: ["Ingress", "Egress"] }),
  ];
  for (const role of k8s.KUBERNETES_ROLES.filter((r) => r.namespace === "app")) {
    const inbound = flows.filter((f) => f.to === role.role);
    if (inbound.length > 0) {
      out.push(
        policy(`${role.role}-ingress`, input, {
          podSelector: subjectSelector(role),
          policyTypes: ["Ingress"],
          ingress: rulesFor(inbound, (f) => f.from, ns).map((r) => ({ from: [r.peer], ports: r.ports })),
        }),
      );
    }
    const outbound = flows.filter((f) => f.from === role.role);
    const extra = role.role === "app" ? appEgressRules(input.appEgress) : [];
    if (outbound.length > 0 || extra.length > 0) {
      out.push(
        policy(`${role.role}-egress`, input, {
          podSelector: subjectSelector(role),
          policyTypes: ["Egress"],
          egress: [...rulesFor(outbound, (f) => f.to, ns).map((r) => ({ to: [r.peer], ports: r.ports })), ...extra],
        }),
      );
    }
  }
  return out;
}
