/**
 * cert-manager objects built with the typed models of `@kubernetes-models/cert-manager`,
 * so each spec is checked against the CRD schema here, at construction, not by the API
 * server at deploy time. Plain data in and out; no Pulumi.
 */
import { Certificate, type ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ClusterIssuer, type IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { throwIfProblems, type Problem } from "@pfv5/zones";

type IssuerSpec = IClusterIssuer["spec"];
type AcmeSpec = NonNullable<IssuerSpec["acme"]>;
/** One ACME solver as the CRD schema types it. */
export type AcmeSolver = AcmeSpec["solvers"] extends (infer S)[] | undefined ? S : never;
type Http01Ingress = NonNullable<NonNullable<AcmeSolver["http01"]>["ingress"]>;

/**
 * The HTTP-01 ingress solver with `ingressClassName`. The typed models are generated from
 * the cert-manager 1.11 CRDs; the field arrived in 1.12 and sets `spec.ingressClassName`
 * on the solver Ingress, which ingress-nginx matches (the older `class` field only sets
 * the deprecated annotation). The schema allows unknown fields here, so validation
 * still covers the rest of the object. Requires cert-manager 1.12 or later.
 */
export interface Http01IngressWithClassName extends Http01Ingress {
  readonly ingressClassName?: string;
}

/** A plain Kubernetes object ready to hand to `CustomResource`. */
export interface ManifestObject<Spec> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec: Spec;
}

function validated<T extends { validate(): void; toJSON(): unknown }>(what: string, model: T, problems: Problem[]): void {
  try {
    model.validate();
  } catch (e) {
    problems.push({ key: what, value: model.toJSON(), message: `does not match the cert-manager CRD schema (${e instanceof Error ? e.message : String(e)}): fix the field named` });
  }
}

export type ClusterIssuerManifest = ManifestObject<IssuerSpec>;
export type CertificateManifest = ManifestObject<ICertificate["spec"]>;

/**
 * Builds ClusterIssuer manifests and checks each against the CRD schema; throws one error
 * naming every invalid object.
 */
export function clusterIssuerManifests(issuers: readonly { readonly name: string; readonly labels?: Record<string, string>; readonly spec: IssuerSpec }[]): ClusterIssuerManifest[] {
  const problems: Problem[] = [];
  const out = issuers.map((i) => {
    const model = new ClusterIssuer({ metadata: { name: i.name, ...(i.labels ? { labels: i.labels } : {}) }, spec: i.spec });
    validated(`ClusterIssuer "${i.name}"`, model, problems);
    return { apiVersion: ClusterIssuer.apiVersion, kind: ClusterIssuer.kind, metadata: { name: i.name, ...(i.labels ? { labels: i.labels } : {}) }, spec: model.spec };
  });
  throwIfProblems("cert-manager ClusterIssuer", problems);
  return out;
}

/** Builds Certificate manifests and checks each against the CRD schema; throws once. */
export function certificateManifests(certs: readonly { readonly name: string; readonly namespace: string; readonly labels?: Record<string, string>; readonly spec: ICertificate["spec"] }[]): CertificateManifest[] {
  const problems: Problem[] = [];
  const out = certs.map((c) => {
    const metadata = { name: c.name, namespace: c.namespace, ...(c.labels ? { labels: c.labels } : {}) };
    const model = new Certificate({ metadata, spec: c.spec });
    validated(`Certificate "${c.namespace}/${c.name}"`, model, problems);
    return { apiVersion: Certificate.apiVersion, kind: Certificate.kind, metadata, spec: model.spec };
  });
  throwIfProblems("cert-manager Certificate", problems);
  return out;
}
