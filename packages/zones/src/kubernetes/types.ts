/**
 * The shapes of the Kubernetes objects the NetworkPolicy evaluator reads, as the API
 * (networking.k8s.io/v1) writes them in JSON. Arrays are plain so that the same objects can
 * be handed to the Kubernetes provider unchanged.
 */

/** The L4 protocols a NetworkPolicy port can name. The API's default is TCP. */
export type PolicyProtocol = "TCP" | "UDP" | "SCTP";
export const POLICY_PROTOCOLS: readonly PolicyProtocol[] = ["TCP", "UDP", "SCTP"];

export type SelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator;
  /** Required (non-empty) for In and NotIn, forbidden for Exists and DoesNotExist. */
  values?: string[];
}

/** A label selector; `{}` selects everything, and every part given must hold (AND). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface IPBlock {
  cidr: string;
  /** Blocks inside `cidr` that the peer leaves out. */
  except?: string[];
}

/**
 * One peer. `ipBlock` stands alone; `podSelector` and `namespaceSelector` in the SAME peer
 * both have to match (AND), while two peers in a list are alternatives (OR).
 */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** @default "TCP" */
  protocol?: PolicyProtocol;
  /** A number, or the name of a container port on the destination pod; absent = every port. */
  port?: number | string;
  /** The last port of a range starting at `port` (numeric `port` only). */
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  /** Absent or empty: traffic from anywhere. */
  from?: NetworkPolicyPeer[];
  /** Absent or empty: every port of every protocol. */
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  /** Absent or empty: traffic to anywhere. */
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export type PolicyType = "Ingress" | "Egress";

export interface NetworkPolicySpec {
  /** The pods of the policy's namespace the policy applies to; `{}` selects all of them. */
  podSelector: LabelSelector;
  /**
   * When absent (or empty), Ingress always, and Egress when the policy has at least one
   * egress rule (the API server's defaulting).
   */
  policyTypes?: PolicyType[];
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  apiVersion?: "networking.k8s.io/v1";
  kind?: "NetworkPolicy";
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: NetworkPolicySpec;
}

export interface NamespaceInfo {
  readonly name: string;
  /** `kubernetes.io/metadata.name` is added automatically, as the API server does. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** @default "TCP" */
  readonly protocol?: PolicyProtocol;
}

/** A pod: where it lives, its labels, its IP (for ipBlock peers) and its named ports. */
export interface PodInfo {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ip?: string;
  readonly ports?: readonly ContainerPort[];
}

/** An address outside the cluster's pods (the internet, a node, a cloud service). */
export interface ExternalAddress {
  readonly ip: string;
}

export type Endpoint = PodInfo | ExternalAddress;

export function isPod(e: Endpoint): e is PodInfo {
  return "namespace" in e;
}

/** What the evaluator reads: the namespaces (with labels) and every NetworkPolicy. */
export interface ClusterState {
  readonly namespaces: readonly NamespaceInfo[];
  readonly policies: readonly NetworkPolicy[];
}
