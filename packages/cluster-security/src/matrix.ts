/**
 * The zone matrix of a ClusterSecurity configuration: its own NetworkPolicies evaluated with
 * Kubernetes semantics, compared with the flows the Kubernetes zone model declares.
 */
import { k8s } from "@pfv5/zones";
import type { ClusterSecurityArgs } from "./args";
import { planNetworkPolicies } from "./network-policies";
import { resolveClusterSecurityArgs } from "./validate";

export interface ClusterZoneMatrix {
  /** For each governed pair of workloads, the ports allowed per protocol. */
  readonly entries: readonly k8s.MatrixEntry[];
  /** The allowed pairs, one per line (`app -> mca: tcp 8000`). */
  readonly text: string;
  /** Where the policies and the declared flows disagree; empty when they match. */
  readonly differences: readonly string[];
}

/** Evaluates the NetworkPolicies the component would create for `args`. */
export function clusterZoneMatrix(args: ClusterSecurityArgs): ClusterZoneMatrix {
  const r = resolveClusterSecurityArgs("zone-matrix", args);
  const policies = planNetworkPolicies({ namespaces: r.namespaces, mesh: r.mesh, appEgress: r.appEgress, labels: r.labels });
  const entries = k8s.kubernetesZoneMatrix(policies, r.namespaces);
  const declared = k8s.declaredKubernetesMatrix(r.namespaces, { mesh: r.mesh });
  return { entries, text: k8s.formatMatrix(entries), differences: k8s.diffMatrices(entries, declared) };
}
