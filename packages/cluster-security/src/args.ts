/**
 * The arguments of {@link ClusterSecurity}. Every value can come from stack config (plain
 * data), except the provider.
 */
import type * as kubernetes from "@pulumi/kubernetes";

/** Options of one optional Helm install; `true` means the defaults. */
export interface InstallOptions {
  /** The chart version. @default the pinned version in CHARTS */
  readonly version?: string;
}

export interface ClusterSecurityInstalls {
  /** Istio base (CRDs), the Istio CNI node agent and istiod. @default false */
  readonly istio?: boolean | InstallOptions;
  /** cert-manager, with its CRDs. @default false */
  readonly certManager?: boolean | InstallOptions;
  /** Falco runtime detection (modern eBPF driver). @default false */
  readonly falco?: boolean | InstallOptions;
}

/** A destination outside the cluster the application pods may open connections to. */
export interface AppEgress {
  /** The block, e.g. a payment provider's range. Never `0.0.0.0/0`. */
  readonly cidr: string;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
  readonly ports: readonly number[];
}

export interface ClusterSecurityArgs {
  /**
   * The provider of the target cluster. Alternatively pass `provider` (or `providers`) in the
   * resource options; children inherit it either way.
   */
  readonly provider?: kubernetes.Provider;
  /** The environment (`dev`, `prod`): names the application namespace and labels every object. */
  readonly environment: string;
  /**
   * Namespace names by purpose.
   * @default app `progressive-framework-<environment>`, the rest DEFAULT_NAMESPACES
   */
  readonly namespaces?: {
    readonly app?: string;
    readonly ingress?: string;
    readonly monitoring?: string;
    readonly dns?: string;
    /** The Istio root namespace. */
    readonly mesh?: string;
  };
  /**
   * Service account names; each is a mesh identity that AuthorizationPolicies name. The app
   * and agent accounts are created in the application namespace.
   * @default DEFAULT_SERVICE_ACCOUNTS
   */
  readonly serviceAccounts?: {
    readonly app?: string;
    readonly mca?: string;
    readonly npa?: string;
    readonly wpa?: string;
    readonly ingressController?: string;
    readonly monitoring?: string;
  };
  /** The mesh trust domain. @default "cluster.local" */
  readonly trustDomain?: string;
  /**
   * Create the Istio objects (STRICT mTLS, authorization, JWT). With the mesh on, every pod
   * may also reach istiod on 15012. @default true
   */
  readonly mesh?: boolean;
  /**
   * Create the mesh-wide STRICT PeerAuthentication in the root namespace. There is one per
   * cluster: when environments share a cluster, keep it on for one of them only.
   * @default true
   */
  readonly meshWideMtls?: boolean;
  /** The JWT issuer of external requests. Required when `mesh` is on. */
  readonly jwt?: {
    readonly issuer: string;
    /** An https URL. */
    readonly jwksUri: string;
    readonly audiences: readonly string[];
  };
  /** Paths reached from outside that require a valid JWT. @default DEFAULT_EXTERNAL_PATHS */
  readonly externalPaths?: readonly string[];
  /** Paths reached from outside without a token; none may fall under `externalPaths`. @default DEFAULT_PUBLIC_PATHS */
  readonly publicPaths?: readonly string[];
  /** Destinations outside the cluster the application pods may reach. @default none */
  readonly appEgress?: readonly AppEgress[];
  /** Optional Helm installs. @default none */
  readonly installs?: ClusterSecurityInstalls;
}
