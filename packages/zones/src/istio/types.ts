/**
 * The shapes of Istio's security objects (security.istio.io/v1) the evaluator reads, as the
 * CRDs write them, and the request it judges.
 */

export type AuthorizationAction = "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";

/** Who sends the request. Every field given must match (AND); within a list, any value (OR). */
export interface Source {
  principals?: string[];
  notPrincipals?: string[];
  requestPrincipals?: string[];
  notRequestPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  remoteIpBlocks?: string[];
  notRemoteIpBlocks?: string[];
}

/** What the request does. Every field given must match (AND); within a list, any value (OR). */
export interface Operation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}

export interface Condition {
  key: string;
  values?: string[];
  notValues?: string[];
}

/** One rule: from, to and when must all match; each absent part matches everything. */
export interface Rule {
  from?: { source?: Source }[];
  to?: { operation?: Operation }[];
  when?: Condition[];
}

export interface AuthorizationPolicySpec {
  selector?: { matchLabels?: Record<string, string> };
  /** @default "ALLOW" */
  action?: AuthorizationAction;
  provider?: { name?: string };
  rules?: Rule[];
}

export interface AuthorizationPolicy {
  apiVersion?: "security.istio.io/v1" | "security.istio.io/v1beta1";
  kind?: "AuthorizationPolicy";
  metadata: { name: string; namespace: string };
  spec: AuthorizationPolicySpec;
}

/** The workload receiving the request. */
export interface Workload {
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A request as the destination's sidecar sees it. */
export interface IstioRequest {
  /** The peer, from its mTLS certificate; absent for plain text. */
  readonly principal?: string;
  /** The peer's namespace; derived from `principal` when absent. */
  readonly namespace?: string;
  /** The peer's IP (the connection's source address). */
  readonly sourceIp?: string;
  /** The original client IP (X-Forwarded-For, as trusted by the mesh). */
  readonly remoteIp?: string;
  /** `iss/sub` of the request's validated JWT; absent without a valid token. */
  readonly requestPrincipal?: string;
  readonly audiences?: readonly string[];
  readonly presenter?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly host?: string;
  readonly method?: string;
  readonly path?: string;
  readonly port?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly destinationIp?: string;
  readonly sni?: string;
}

export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** Why, e.g. `denied by DENY policy ns/name`. */
  readonly reason: string;
  /** `namespace/name` of the policy that decided, when one did. */
  readonly policy?: string;
  /** CUSTOM policies that matched (the external authorizer would be asked). */
  readonly custom: readonly string[];
  /** AUDIT policies that matched (they never change the decision). */
  readonly audited: readonly string[];
}
