/**
 * Defaults of the cluster component, named once and used in the docs and the code.
 */
import { k8s, PORTS } from "@pfv5/zones";

export const DEFAULT_NAMESPACES = k8s.DEFAULT_KUBERNETES_NAMESPACES;

/** Service accounts, and so mesh identities, of the application and of each agent. */
export const DEFAULT_SERVICE_ACCOUNTS = {
  app: "progressive-app-sa",
  mca: "mca-agent-sa",
  npa: "npa-agent-sa",
  wpa: "wpa-agent-sa",
  /** The ingress controller's, in the ingress namespace (it needs a sidecar to have an identity). */
  ingressController: "ingress-nginx",
  /** Prometheus's, in the monitoring namespace (it scrapes through its own sidecar). */
  monitoring: "prometheus",
} as const;

export const DEFAULT_TRUST_DOMAIN = "cluster.local";

/** The paths reached from outside that need a valid JWT. */
export const DEFAULT_EXTERNAL_PATHS: readonly string[] = ["/api/*"];
/** The paths reached from outside without a token (health checks). */
export const DEFAULT_PUBLIC_PATHS: readonly string[] = ["/health"];
/** Methods the external API accepts. */
export const EXTERNAL_METHODS: readonly string[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export const PORT_STRINGS = {
  app: String(PORTS.app),
  agents: String(PORTS.agentsFrom),
  coordination: String(PORTS.agentsTo),
  metrics: String(PORTS.prometheus),
} as const;

/** Pod Security admission level of the application namespace, for enforce, audit and warn. */
export const POD_SECURITY_LEVEL = "restricted";

/** Helm charts of the optional installs; versions are pinned so an upgrade is a reviewed change. */
export const CHARTS = {
  /** Installed into the mesh root namespace (`namespaces.mesh`). */
  istio: { repo: "https://istio-release.storage.googleapis.com/charts", version: "1.25.2" },
  certManager: { repo: "https://charts.jetstack.io", version: "v1.17.2", namespace: "cert-manager" },
  falco: { repo: "https://falcosecurity.github.io/charts", version: "4.17.0", namespace: "falco" },
} as const;

/** How long Helm may wait for a release to become ready, in seconds. */
export const RELEASE_TIMEOUT_SECONDS = 600;

/** Labels put on every object the component creates. */
export function commonLabels(environment: string): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": "progressive-framework-v5",
    "app.kubernetes.io/managed-by": "pulumi",
    "pfv5.io/environment": environment,
  };
}
