/**
 * Reading Kubernetes objects the way the API server interprets them: defaulted policy types,
 * empty selectors, port ranges, the namespace an object lives in, the pod spec of a workload.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValueError } from "./sdk";
import { T, type PropsByType } from "./types";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
type PortEntry = { port?: number | string; endPort?: number; protocol?: string };
export type NetworkPolicySpecView = NonNullable<PropsByType[typeof T.networkPolicy]["spec"]>;

/** Whether a selector selects everything (absent selectors are the caller's business). */
export function isEmptySelector(s: Selector): boolean {
  return s !== undefined && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** Policy types after the API server's defaulting: Ingress always, Egress with egress rules. */
export function effectivePolicyTypes(spec: NetworkPolicySpecView): string[] {
  const given = spec.policyTypes ?? [];
  if (given.length > 0) return [...given];
  return (spec.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/**
 * Whether a rule's port list admits `port` over `protocol`. An empty list admits every port;
 * a named port is resolved on the destination pod, which a policy cannot see, so it is not
 * taken to cover a numbered port.
 */
export function portsCover(ports: readonly PortEntry[] | undefined, port: number, protocol = "TCP"): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== "number") return false;
    return p.port <= port && port <= (p.endPort ?? p.port);
  });
}

interface WithMetadata {
  readonly props: Record<string, unknown>;
  readonly propertyDependencies?: Record<string, PolicyResource[]>;
}

function metadataOf(props: Record<string, unknown>): { name?: unknown; namespace?: unknown } | undefined {
  const m = props["metadata"];
  return m !== null && typeof m === "object" ? (m as { name?: unknown; namespace?: unknown }) : undefined;
}

/**
 * The namespace of a namespaced object. When its value is unknown in preview (it comes from
 * a Namespace of the stack being created), it is read from that Namespace through the
 * property's dependencies. Absent means `default`, as for kubectl.
 */
export function namespaceOf(r: WithMetadata): string {
  try {
    const ns = metadataOf(r.props)?.namespace;
    return typeof ns === "string" && ns !== "" ? ns : "default";
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    const owners = (r.propertyDependencies?.["metadata"] ?? []).filter((d) => d.type === T.namespace);
    const [only, ...more] = owners;
    if (only === undefined || more.length > 0) throw e;
    const name = metadataOf(only.props)?.name;
    if (typeof name !== "string") throw e;
    return name;
  }
}

/** The name in an object's metadata, or undefined. */
export function metadataName(r: WithMetadata): string | undefined {
  const n = metadataOf(r.props)?.name;
  return typeof n === "string" ? n : undefined;
}

export interface ContainerView {
  readonly name?: string;
  readonly ports?: readonly { readonly hostPort?: number; readonly containerPort?: number }[];
}

export interface PodSpecView {
  readonly hostNetwork?: boolean;
  readonly containers?: readonly ContainerView[];
  readonly initContainers?: readonly ContainerView[];
  readonly ephemeralContainers?: readonly ContainerView[];
}

/** The pod spec a workload runs, wherever its kind keeps it. */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpecView | undefined {
  const p = props as Record<string, unknown> & {
    spec?: { template?: { spec?: PodSpecView }; jobTemplate?: { spec?: { template?: { spec?: PodSpecView } } } } & PodSpecView;
    template?: { spec?: PodSpecView };
  };
  switch (type) {
    case T.pod:
      return p.spec;
    case T.podTemplate:
      return p.template?.spec;
    case T.cronJob:
      return p.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return p.spec?.template?.spec;
  }
}
