/**
 * ClusterSecurity: the security envelope of one application namespace per environment.
 * Pod Security "restricted", NetworkPolicies generated from the Kubernetes zone model (default
 * deny, the declared flows, quarantine by label), Istio STRICT mTLS, JWT and per-identity
 * authorization, and optional Helm installs of Istio, cert-manager and Falco.
 */
import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/kubernetes";
import type { ClusterSecurityArgs } from "./args";
import { planClusterSecurity } from "./plan";
import type { ReleaseKey } from "./releases";
import { resolveClusterSecurityArgs } from "./validate";

const kebab = (kind: string): string => kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();

export class ClusterSecurity extends pulumi.ComponentResource {
  /** The application namespace's name. */
  readonly namespace: pulumi.Output<string>;
  /** The NetworkPolicies of the namespace, by name. */
  readonly networkPolicyNames: string[];
  /** The Istio objects, as `Kind namespace/name`. */
  readonly istioObjects: string[];
  /** The mesh principal of each service account the authorization policies name. */
  readonly principals: Readonly<Record<string, string>>;
  /** The service accounts created in the namespace, by role (app, mca, npa, wpa). */
  readonly serviceAccountNames: Readonly<Record<string, string>>;
  /** The cert-manager release, when installed: cert-manager custom resources depend on it. */
  readonly certManagerRelease: kubernetes.helm.v3.Release | undefined;
  /** What an Istio custom resource must depend on (the releases bringing its CRDs and webhook). */
  readonly istioReady: pulumi.Resource[];

  constructor(name: string, args: ClusterSecurityArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate and plan before registering anything: bad input leaves no trace in the stack.
    const resolved = resolveClusterSecurityArgs(name, args);
    const plan = planClusterSecurity(resolved);
    super("pfv5:cluster:ClusterSecurity", name, {}, opts);
    const child = (dependsOn: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({
      parent: this,
      ...(args.provider !== undefined ? { provider: args.provider } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });

    const releases = new Map<ReleaseKey, kubernetes.helm.v3.Release>();
    for (const r of plan.releases) {
      const after = r.dependsOn.map((k) => releases.get(k)).filter((x): x is kubernetes.helm.v3.Release => x !== undefined);
      releases.set(
        r.key,
        new kubernetes.helm.v3.Release(
          `${name}-${r.key}`,
          {
            name: r.key,
            chart: r.chart,
            version: r.version,
            repositoryOpts: { repo: r.repo },
            namespace: r.namespace,
            createNamespace: true,
            values: r.values,
            timeout: r.timeout,
          },
          child(after),
        ),
      );
    }
    this.istioReady = (["istio-base", "istiod"] as const).flatMap((k) => releases.get(k) ?? []);
    this.certManagerRelease = releases.get("cert-manager");

    // Workloads depend on the namespace; with istiod installed first, its injector sees them.
    const ns = new kubernetes.core.v1.Namespace(`${name}-namespace`, { metadata: { name: plan.namespace.name, labels: plan.namespace.labels } }, child(this.istioReady));
    const namespaceName = ns.metadata.name;
    const inNamespace = (n: string): pulumi.Input<string> => (n === plan.namespace.name ? namespaceName : n);

    for (const sa of plan.serviceAccounts) {
      new kubernetes.core.v1.ServiceAccount(
        `${name}-sa-${sa.role}`,
        // The sidecar gets its own projected token; the workload needs no API token.
        { metadata: { name: sa.name, namespace: namespaceName, labels: { ...resolved.labels } }, automountServiceAccountToken: false },
        child(),
      );
    }

    for (const p of plan.networkPolicies) {
      new kubernetes.networking.v1.NetworkPolicy(
        `${name}-${p.metadata.name}`,
        { metadata: { name: p.metadata.name, namespace: namespaceName, labels: { ...p.metadata.labels } }, spec: p.spec },
        child(),
      );
    }

    for (const m of plan.istio) {
      const scope = m.metadata.namespace === plan.namespace.name ? "" : "mesh-";
      new kubernetes.apiextensions.CustomResource(
        `${name}-${kebab(m.kind)}-${scope}${m.metadata.name}`,
        { apiVersion: m.apiVersion, kind: m.kind, metadata: { ...m.metadata, namespace: inNamespace(m.metadata.namespace) }, spec: m.spec },
        child(this.istioReady),
      );
    }

    this.namespace = namespaceName;
    this.networkPolicyNames = plan.networkPolicies.map((p) => p.metadata.name);
    this.istioObjects = plan.istio.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`);
    this.principals = plan.principals;
    this.serviceAccountNames = Object.fromEntries(plan.serviceAccounts.map((s) => [s.role, s.name]));
    // certManagerRelease and istioReady are resources, for dependsOn; they stay out of the
    // registered outputs because a resource reference there makes the policy SDK's
    // deserializer fail the whole stack analysis ("Unrecognized signature ... when
    // unmarshaling resource property").
    this.registerOutputs({
      namespace: this.namespace,
      networkPolicyNames: this.networkPolicyNames,
      istioObjects: this.istioObjects,
      principals: this.principals,
      serviceAccountNames: this.serviceAccountNames,
    });
  }
}
