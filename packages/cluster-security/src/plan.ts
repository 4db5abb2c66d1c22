/**
 * The whole plan of the cluster component as plain data: what to create, with which spec,
 * in which order. No Pulumi here, so every spec can be checked (and evaluated) in tests.
 */
import { k8s } from "@pfv5/zones";
import { POD_SECURITY_LEVEL } from "./defaults";
import { principals, planIstio } from "./istio-policies";
import { istioManifests, type Manifest } from "./models";
import { planNetworkPolicies } from "./network-policies";
import { planReleases, type ReleasePlan } from "./releases";
import type { ResolvedClusterSecurity } from "./validate";

export interface NamespacePlan {
  readonly name: string;
  readonly labels: Record<string, string>;
}

export interface ServiceAccountPlan {
  readonly role: "app" | "mca" | "npa" | "wpa";
  readonly name: string;
}

export interface ClusterSecurityPlan {
  readonly namespace: NamespacePlan;
  readonly serviceAccounts: readonly ServiceAccountPlan[];
  readonly networkPolicies: readonly k8s.NetworkPolicy[];
  /** Istio objects, validated against the CRD schemas. */
  readonly istio: readonly Manifest[];
  readonly releases: readonly ReleasePlan[];
  readonly principals: Readonly<Record<string, string>>;
}

export function planClusterSecurity(r: ResolvedClusterSecurity): ClusterSecurityPlan {
  const labels: Record<string, string> = {
    ...r.labels,
    "pod-security.kubernetes.io/enforce": POD_SECURITY_LEVEL,
    "pod-security.kubernetes.io/audit": POD_SECURITY_LEVEL,
    "pod-security.kubernetes.io/warn": POD_SECURITY_LEVEL,
    ...(r.mesh ? { "istio-injection": "enabled" } : {}),
  };
  return {
    namespace: { name: r.namespaces.app, labels },
    serviceAccounts: (["app", ...k8s.AGENTS] as const).map((role) => ({ role, name: r.serviceAccounts[role] })),
    networkPolicies: planNetworkPolicies({ namespaces: r.namespaces, mesh: r.mesh, appEgress: r.appEgress, labels: r.labels }),
    istio: istioManifests(planIstio(r)),
    releases: planReleases(r),
    principals: r.mesh ? principals(r) : {},
  };
}
