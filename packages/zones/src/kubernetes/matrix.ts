/**
 * The Kubernetes zone matrix: for each ordered pair of workloads, the ports one may open to
 * the other, per protocol. Computed two ways, from NetworkPolicies through the evaluator
 * and from the declared flows, so the two can be compared.
 */
import type { PortRange } from "../model";
import { PORTS } from "../model";
import { NetworkPolicyEvaluator } from "./evaluate";
import type { KubernetesFlow, KubernetesNamespaces, KubernetesRoleInfo } from "./model";
import { ISTIOD_XDS_PORT, kubernetesFlows, QUARANTINE_LABEL, roleInfo } from "./model";
import { formatPorts, normalizePorts, unionPorts } from "./ports";
import type { ContainerPort, Endpoint, NamespaceInfo, NetworkPolicy, PodInfo, PolicyProtocol } from "./types";
import { isPod } from "./types";

/** One endpoint of the matrix: a representative pod of a workload, or an outside address. */
export interface MatrixWorkload {
  readonly id: string;
  readonly endpoint: Endpoint;
}

export interface MatrixEntry {
  readonly from: string;
  readonly to: string;
  readonly TCP: readonly PortRange[];
  readonly UDP: readonly PortRange[];
  readonly SCTP: readonly PortRange[];
}

const PROTOCOLS: readonly PolicyProtocol[] = ["TCP", "UDP", "SCTP"];

const tcp = (name: string, containerPort: number): ContainerPort => ({ name, containerPort, protocol: "TCP" });

/**
 * A pod for each workload of the model, a quarantined twin of each pod of the application
 * namespace, an unlabelled pod there, a pod with the application's labels in an unrelated
 * namespace, and an internet address.
 */
export function defaultMatrixWorkloads(ns: KubernetesNamespaces): MatrixWorkload[] {
  let host = 10;
  const pod = (id: string, namespace: string, labels: Record<string, string>, ports: ContainerPort[] = []): MatrixWorkload => {
    host += 1;
    return { id, endpoint: { name: `${id}-0`, namespace, labels, ip: `10.244.1.${host}`, ports } };
  };
  const managed: MatrixWorkload[] = [
    pod("app", ns.app, { app: "progressive-framework-v5" }, [tcp("http", PORTS.app), tcp("metrics", PORTS.prometheus)]),
    ...(["mca", "npa", "wpa"] as const).map((a) =>
      pod(a, ns.app, { tier: "agents", agent: a }, [tcp("http", PORTS.agentsFrom), tcp("grpc", PORTS.agentsTo), tcp("metrics", PORTS.prometheus)]),
    ),
    pod("postgres", ns.app, { tier: "database", db: "postgres" }, [tcp("postgres", PORTS.postgres), tcp("exporter", PORTS.postgresExporter)]),
    pod("redis", ns.app, { tier: "database", db: "redis" }, [tcp("redis", PORTS.redis), tcp("exporter", PORTS.redisExporter)]),
    pod("mongodb", ns.app, { tier: "database", db: "mongodb" }, [tcp("mongodb", PORTS.mongodb), tcp("exporter", PORTS.mongodbExporter)]),
    pod("unlabelled", ns.app, {}),
  ];
  const quarantined = managed.map((w) => {
    const p = w.endpoint as PodInfo;
    return pod(`${w.id}(quarantined)`, p.namespace, { ...(p.labels ?? {}), [QUARANTINE_LABEL]: "true" }, [...(p.ports ?? [])]);
  });
  return [
    ...managed,
    ...quarantined,
    pod("ingress-controller", ns.ingress, { "app.kubernetes.io/name": "ingress-nginx" }),
    pod("monitoring", ns.monitoring, { "app.kubernetes.io/name": "prometheus" }),
    pod("cluster-dns", ns.dns, { "k8s-app": "kube-dns" }, [
      { name: "dns", containerPort: PORTS.dns, protocol: "UDP" },
      tcp("dns-tcp", PORTS.dns),
    ]),
    pod("istiod", ns.mesh, { app: "istiod" }, [tcp("grpc-xds", ISTIOD_XDS_PORT)]),
    pod("stranger", "unrelated", { app: "progressive-framework-v5" }),
    { id: "internet", endpoint: { ip: "203.0.113.10" } },
  ];
}

/** The namespaces of the matrix workloads, for the evaluator. */
export function matrixNamespaces(workloads: readonly MatrixWorkload[]): NamespaceInfo[] {
  const names = new Set<string>();
  for (const w of workloads) if (isPod(w.endpoint)) names.add(w.endpoint.namespace);
  return [...names].sort().map((name) => ({ name }));
}

function isManaged(e: Endpoint, ns: KubernetesNamespaces): boolean {
  return isPod(e) && e.namespace === ns.app;
}

/** A second pod of the same workload, so that a pair (w, w) is not a pod talking to itself. */
function twin(e: Endpoint): Endpoint {
  if (!isPod(e)) return e;
  const ip = e.ip?.replace(/\.(\d+)$/, (_m, last: string) => `.${Number(last) + 100}`);
  return { ...e, name: `${e.name}-twin`, ...(ip !== undefined ? { ip } : {}) };
}

/** The governed pairs: at least one end is a pod of the application namespace. */
function pairs(workloads: readonly MatrixWorkload[], ns: KubernetesNamespaces): [MatrixWorkload, MatrixWorkload][] {
  const out: [MatrixWorkload, MatrixWorkload][] = [];
  for (const a of workloads) {
    for (const b of workloads) {
      if (isManaged(a.endpoint, ns) || isManaged(b.endpoint, ns)) out.push([a, b]);
    }
  }
  return out;
}

/** The matrix the NetworkPolicies yield, evaluated with Kubernetes semantics. */
export function kubernetesZoneMatrix(
  policies: readonly NetworkPolicy[],
  namespaces: KubernetesNamespaces,
  workloads: readonly MatrixWorkload[] = defaultMatrixWorkloads(namespaces),
): MatrixEntry[] {
  const evaluator = new NetworkPolicyEvaluator({ namespaces: matrixNamespaces(workloads), policies });
  return pairs(workloads, namespaces).map(([a, b]) => {
    const to = a.id === b.id ? twin(b.endpoint) : b.endpoint;
    const [TCP, UDP, SCTP] = PROTOCOLS.map((p) => evaluator.allowedPorts(a.endpoint, to, p));
    return { from: a.id, to: b.id, TCP: TCP ?? [], UDP: UDP ?? [], SCTP: SCTP ?? [] };
  });
}

/** Whether a workload belongs to a role. Quarantined pods belong to none of the application namespace. */
export function inRole(w: MatrixWorkload, role: KubernetesRoleInfo, ns: KubernetesNamespaces): boolean {
  const e = w.endpoint;
  if (!isPod(e) || e.namespace !== ns[role.namespace]) return false;
  if (role.namespace === "app" && e.labels?.[QUARANTINE_LABEL] === "true") return false;
  return Object.entries(role.podLabels ?? {}).every(([k, v]) => e.labels?.[k] === v);
}

/** The matrix the declared flows call for. */
export function declaredKubernetesMatrix(
  namespaces: KubernetesNamespaces,
  options: { readonly mesh: boolean; readonly flows?: readonly KubernetesFlow[] },
  workloads: readonly MatrixWorkload[] = defaultMatrixWorkloads(namespaces),
): MatrixEntry[] {
  const flows = kubernetesFlows(options.mesh, options.flows);
  return pairs(workloads, namespaces).map(([a, b]) => {
    const ports: Record<PolicyProtocol, PortRange[]> = { TCP: [], UDP: [], SCTP: [] };
    for (const f of flows) {
      if (inRole(a, roleInfo(f.from), namespaces) && inRole(b, roleInfo(f.to), namespaces)) {
        ports[f.protocol] = unionPorts(ports[f.protocol], f.ports);
      }
    }
    return { from: a.id, to: b.id, ...ports };
  });
}

function entryText(e: MatrixEntry): string {
  const parts = PROTOCOLS.filter((p) => e[p].length > 0).map((p) => `${p.toLowerCase()} ${formatPorts(e[p])}`);
  return parts.length === 0 ? "nothing" : parts.join("; ");
}

/** The allowed pairs, one per line (`app -> mca: tcp 8000`); every pair not printed allows nothing. */
export function formatMatrix(entries: readonly MatrixEntry[]): string {
  return entries
    .filter((e) => PROTOCOLS.some((p) => e[p].length > 0))
    .map((e) => `${e.from} -> ${e.to}: ${entryText(e)}`)
    .join("\n");
}

/** The pairs on which two matrices differ, each as `from -> to: got X, declared Y`. */
export function diffMatrices(actual: readonly MatrixEntry[], expected: readonly MatrixEntry[]): string[] {
  const key = (e: MatrixEntry): string => `${e.from} -> ${e.to}`;
  const want = new Map(expected.map((e) => [key(e), e]));
  const out: string[] = [];
  for (const a of actual) {
    const e = want.get(key(a));
    want.delete(key(a));
    const same = e !== undefined && PROTOCOLS.every((p) => formatPorts(normalizePorts(a[p])) === formatPorts(normalizePorts(e[p])));
    if (!same) out.push(`${key(a)}: got ${entryText(a)}, declared ${e === undefined ? "no entry" : entryText(e)}`);
  }
  for (const e of want.values()) out.push(`${key(e)}: got no entry, declared ${entryText(e)}`);
  return out;
}
