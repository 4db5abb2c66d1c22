/**
 * The security-zone model for Kubernetes: which pods play which role, and the flows allowed
 * between roles. Everything not listed is denied. The cluster component generates its
 * NetworkPolicies from this table, and the zone matrix compares what those policies allow
 * with it.
 */
import type { PortRange } from "../model";
import { PORTS } from "../model";

/** The namespaces the model talks about, by purpose. */
export interface KubernetesNamespaces {
  /** The application namespace of one environment (the only one the component manages). */
  readonly app: string;
  /** Where the ingress controller runs. */
  readonly ingress: string;
  /** Where Prometheus and the exporters' scrapers run. */
  readonly monitoring: string;
  /** Where the cluster DNS pods run. */
  readonly dns: string;
  /** The Istio root namespace, where istiod runs. */
  readonly mesh: string;
}

export type KubernetesNamespaceRole = keyof KubernetesNamespaces;

/** The namespace names of everything but the application namespace. */
export const DEFAULT_KUBERNETES_NAMESPACES: Omit<KubernetesNamespaces, "app"> = {
  ingress: "ingress-nginx",
  monitoring: "monitoring",
  dns: "kube-system",
  mesh: "istio-system",
};

/** The application namespace of an environment, e.g. `progressive-framework-prod`. */
export function defaultAppNamespace(environment: string): string {
  return `progressive-framework-${environment}`;
}

/**
 * A pod labelled with this key and the value `"true"` is quarantined: it may neither send
 * nor receive anything. Incident response sets the label; no policy change is needed.
 */
export const QUARANTINE_LABEL = "pfv5.io/quarantine";

export type KubernetesRole =
  | "all-pods"
  | "app"
  | "agents"
  | "postgres"
  | "redis"
  | "mongodb"
  | "ingress-controller"
  | "monitoring"
  | "cluster-dns"
  | "istiod";

export interface KubernetesRoleInfo {
  readonly role: KubernetesRole;
  readonly namespace: KubernetesNamespaceRole;
  /** The labels that select the role's pods; absent means every pod of the namespace. */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly description: string;
}

export const APP_LABELS = { app: "progressive-framework-v5" } as const;
export const AGENT_LABELS = { tier: "agents" } as const;
export const DATABASE_LABELS = { tier: "database" } as const;

export const KUBERNETES_ROLES: readonly KubernetesRoleInfo[] = [
  { role: "all-pods", namespace: "app", description: "every pod of the application namespace" },
  { role: "app", namespace: "app", podLabels: APP_LABELS, description: "the web API and business logic" },
  { role: "agents", namespace: "app", podLabels: AGENT_LABELS, description: "the context agents MCA, NPA and WPA" },
  { role: "postgres", namespace: "app", podLabels: { ...DATABASE_LABELS, db: "postgres" }, description: "PostgreSQL" },
  { role: "redis", namespace: "app", podLabels: { ...DATABASE_LABELS, db: "redis" }, description: "Redis" },
  { role: "mongodb", namespace: "app", podLabels: { ...DATABASE_LABELS, db: "mongodb" }, description: "MongoDB" },
  { role: "ingress-controller", namespace: "ingress", description: "every pod of the ingress controller namespace" },
  { role: "monitoring", namespace: "monitoring", description: "every pod of the monitoring namespace" },
  { role: "cluster-dns", namespace: "dns", podLabels: { "k8s-app": "kube-dns" }, description: "the cluster DNS pods" },
  { role: "istiod", namespace: "mesh", podLabels: { app: "istiod" }, description: "the Istio control plane" },
];

export function roleInfo(role: KubernetesRole): KubernetesRoleInfo {
  const info = KUBERNETES_ROLES.find((r) => r.role === role);
  if (info === undefined) throw new Error(`unknown Kubernetes role "${String(role)}": expected one of ${KUBERNETES_ROLES.map((r) => r.role).join(", ")}`);
  return info;
}

/** The port istiod serves certificates and configuration to the sidecars on (mTLS). */
export const ISTIOD_XDS_PORT = 15012;

export interface KubernetesFlow {
  readonly id: string;
  readonly from: KubernetesRole;
  readonly to: KubernetesRole;
  readonly protocol: "TCP" | "UDP";
  readonly ports: readonly PortRange[];
  readonly reason: string;
  /** Only when the service mesh is on. */
  readonly meshOnly?: boolean;
}

const port = (p: number): PortRange => ({ from: p, to: p });

export const KUBERNETES_FLOWS: readonly KubernetesFlow[] = [
  { id: "dns-udp", from: "all-pods", to: "cluster-dns", protocol: "UDP", ports: [port(PORTS.dns)], reason: "name resolution" },
  { id: "dns-tcp", from: "all-pods", to: "cluster-dns", protocol: "TCP", ports: [port(PORTS.dns)], reason: "name resolution of large answers (truncated over UDP)" },
  {
    id: "mesh-control-plane",
    from: "all-pods",
    to: "istiod",
    protocol: "TCP",
    ports: [port(ISTIOD_XDS_PORT)],
    reason: "sidecars fetch their certificates and configuration; without it STRICT mTLS stops all traffic",
    meshOnly: true,
  },
  { id: "ingress-app", from: "ingress-controller", to: "app", protocol: "TCP", ports: [port(PORTS.app)], reason: "application traffic from the ingress controller" },
  { id: "monitoring-app", from: "monitoring", to: "app", protocol: "TCP", ports: [port(PORTS.prometheus)], reason: "metrics scrape" },
  { id: "monitoring-agents", from: "monitoring", to: "agents", protocol: "TCP", ports: [port(PORTS.prometheus)], reason: "metrics scrape" },
  { id: "monitoring-postgres", from: "monitoring", to: "postgres", protocol: "TCP", ports: [port(PORTS.postgresExporter)], reason: "postgres exporter scrape" },
  { id: "monitoring-redis", from: "monitoring", to: "redis", protocol: "TCP", ports: [port(PORTS.redisExporter)], reason: "redis exporter scrape" },
  { id: "monitoring-mongodb", from: "monitoring", to: "mongodb", protocol: "TCP", ports: [port(PORTS.mongodbExporter)], reason: "mongodb exporter scrape" },
  { id: "app-agents", from: "app", to: "agents", protocol: "TCP", ports: [port(PORTS.agentsFrom)], reason: "the application calls the agents" },
  {
    id: "agents-agents",
    from: "agents",
    to: "agents",
    protocol: "TCP",
    ports: [port(PORTS.agentsFrom), port(PORTS.agentsTo)],
    reason: "agent collaboration; 9000 is the gRPC coordination port",
  },
  { id: "app-postgres", from: "app", to: "postgres", protocol: "TCP", ports: [port(PORTS.postgres)], reason: "PostgreSQL client" },
  { id: "app-redis", from: "app", to: "redis", protocol: "TCP", ports: [port(PORTS.redis)], reason: "Redis client" },
  { id: "app-mongodb", from: "app", to: "mongodb", protocol: "TCP", ports: [port(PORTS.mongodb)], reason: "MongoDB client" },
  { id: "agents-postgres", from: "agents", to: "postgres", protocol: "TCP", ports: [port(PORTS.postgres)], reason: "PostgreSQL client" },
  { id: "agents-redis", from: "agents", to: "redis", protocol: "TCP", ports: [port(PORTS.redis)], reason: "Redis client" },
  { id: "agents-mongodb", from: "agents", to: "mongodb", protocol: "TCP", ports: [port(PORTS.mongodb)], reason: "MongoDB client" },
];

/** The flows in force, with or without the mesh. */
export function kubernetesFlows(mesh: boolean, flows: readonly KubernetesFlow[] = KUBERNETES_FLOWS): KubernetesFlow[] {
  return flows.filter((f) => mesh || f.meshOnly !== true);
}

/** The ports a database role serves, and its exporter's. */
export const DATABASE_PORTS = {
  postgres: { port: PORTS.postgres, exporter: PORTS.postgresExporter },
  redis: { port: PORTS.redis, exporter: PORTS.redisExporter },
  mongodb: { port: PORTS.mongodb, exporter: PORTS.mongodbExporter },
} as const;

/** The context agents, each with its own service account and mesh identity. */
export const AGENTS = ["mca", "npa", "wpa"] as const;
export type AgentName = (typeof AGENTS)[number];
