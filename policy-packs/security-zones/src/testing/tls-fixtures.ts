/**
 * Fixtures for the TLS policies: cert-manager custom resources (which have no SDK class of
 * their own, so each kind gets a subclass of CustomResource carrying its type token), and
 * the seed's Let's Encrypt ClusterIssuer and wildcard Certificate, verbatim.
 */
import * as kubernetes from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import type { StackBuilder } from "./harness";

/** A cert-manager ClusterIssuer as the harness builds it. */
export class ClusterIssuerResource extends kubernetes.apiextensions.CustomResource {
  static readonly __pulumiType = "kubernetes:cert-manager.io/v1:ClusterIssuer";
}

/** A namespaced cert-manager Issuer. */
export class IssuerResource extends kubernetes.apiextensions.CustomResource {
  static readonly __pulumiType = "kubernetes:cert-manager.io/v1:Issuer";
}

/** A cert-manager Certificate. */
export class CertificateResource extends kubernetes.apiextensions.CustomResource {
  static readonly __pulumiType = "kubernetes:cert-manager.io/v1:Certificate";
}

/** The seed's production issuer: an access key id inline, solvers without selectors. */
export const SEED_PRODUCTION_ISSUER = {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "letsencrypt-prod" },
  spec: {
    acme: {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: "admin@your-domain.com",
      privateKeySecretRef: { name: "letsencrypt-prod-private-key" },
      solvers: [
        { http01: { ingress: { class: "nginx" } } },
        { dns01: { route53: { region: "us-east-1", accessKeyID: "AKIA...", secretAccessKeySecretRef: { name: "route53-credentials", key: "secret-access-key" } } } },
      ],
    },
  },
};

/** The seed's wildcard certificate. */
export const SEED_WILDCARD_CERTIFICATE = {
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "progressive-framework-wildcard", namespace: "progressive-framework-prod" },
  spec: {
    secretName: "progressive-framework-wildcard-secret",
    issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer" },
    dnsNames: ["*.your-domain.com"],
    usages: ["digital signature", "key encipherment"],
  },
};

/** The seed's issuer and wildcard certificate in a stack. */
export function seedStack(b: StackBuilder): { issuer: PolicyResource; certificate: PolicyResource } {
  return {
    issuer: b.add(ClusterIssuerResource, "letsencrypt-prod", SEED_PRODUCTION_ISSUER),
    certificate: b.add(CertificateResource, "progressive-framework-wildcard", SEED_WILDCARD_CERTIFICATE),
  };
}

/** A custom resource's properties as the tests write them. */
export interface CustomResourceProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** An ACME ClusterIssuer with the given solvers, for compact tests. */
export function acmeIssuer(name: string, solvers: readonly Record<string, unknown>[]): CustomResourceProps {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name },
    spec: { acme: { server: "https://acme.example/directory", email: "ops@example.com", privateKeySecretRef: { name: `${name}-key` }, solvers: [...solvers] } },
  };
}

/** A Certificate for `dnsNames` from the ClusterIssuer `issuer`. */
export function certificate(name: string, issuer: string, dnsNames: readonly string[], extra: Record<string, unknown> = {}): CustomResourceProps {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name, namespace: "pf" },
    spec: { secretName: `${name}-tls`, issuerRef: { name: issuer, kind: "ClusterIssuer", group: "cert-manager.io" }, dnsNames: [...dnsNames], ...extra },
  };
}
