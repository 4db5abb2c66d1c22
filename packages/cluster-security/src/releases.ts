/**
 * The optional Helm installs. Each waits for its resources (no skipAwait), so a custom
 * resource that depends on a release is only created once the CRDs and webhooks it needs
 * are served.
 */
import { CHARTS, RELEASE_TIMEOUT_SECONDS } from "./defaults";
import type { ResolvedClusterSecurity } from "./validate";

export type ReleaseKey = "istio-base" | "istio-cni" | "istiod" | "cert-manager" | "falco";

export interface ReleasePlan {
  readonly key: ReleaseKey;
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  /** Releases that must be ready first. */
  readonly dependsOn: readonly ReleaseKey[];
  readonly timeout: number;
}

/** The releases to install, in dependency order. */
export function planReleases(r: ResolvedClusterSecurity): ReleasePlan[] {
  const out: ReleasePlan[] = [];
  const timeout = RELEASE_TIMEOUT_SECONDS;
  if (r.installs.istio !== undefined) {
    const common = { version: r.installs.istio, repo: CHARTS.istio.repo, namespace: r.namespaces.mesh, timeout };
    out.push(
      { key: "istio-base", chart: "base", ...common, values: { defaultRevision: "default" }, dependsOn: [] },
      // The CNI node agent redirects pod traffic instead of the istio-init container, which
      // needs NET_ADMIN and NET_RAW: Pod Security "restricted" rejects such pods.
      { key: "istio-cni", chart: "cni", ...common, values: {}, dependsOn: ["istio-base"] },
      {
        key: "istiod",
        chart: "istiod",
        ...common,
        values: { pilot: { cni: { enabled: true } }, meshConfig: { trustDomain: r.trustDomain } },
        dependsOn: ["istio-base", "istio-cni"],
      },
    );
  }
  if (r.installs.certManager !== undefined) {
    // crds.enabled replaces the deprecated installCRDs; the CRDs then belong to the release.
    out.push({ key: "cert-manager", chart: "cert-manager", version: r.installs.certManager, repo: CHARTS.certManager.repo, namespace: CHARTS.certManager.namespace, values: { crds: { enabled: true } }, dependsOn: [], timeout });
  }
  if (r.installs.falco !== undefined) {
    // Falco runs as a DaemonSet for as long as the node does; no run-time limit flag.
    out.push({ key: "falco", chart: "falco", version: r.installs.falco, repo: CHARTS.falco.repo, namespace: CHARTS.falco.namespace, values: { driver: { kind: "modern_ebpf" } }, dependsOn: [], timeout });
  }
  return out;
}
