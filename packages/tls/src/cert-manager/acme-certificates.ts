/**
 * Let's Encrypt through cert-manager: the production and staging ClusterIssuers and the
 * public certificates (the hosts, and the wildcard) as custom resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/kubernetes";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import { checkResource, checkResources, setting } from "../resources";
import type { HostNames } from "../validate";
import type { ManifestObject } from "./models";
import { checkAcmeInput, planAcme, type AcmeIssuerArgs, type Route53SolverArgs } from "./plan";

export interface AcmeCertificatesArgs {
  /** The domain the hosts live under, e.g. `example.com`. */
  readonly domain: string;
  /**
   * Host names, each under `domain`.
   * @default app on the apex, `api.`, `agents.` and `admin.` below it
   */
  readonly hosts?: Partial<HostNames>;
  /** The ACME account contact; Let's Encrypt sends expiry notices there. */
  readonly email: string;
  /** The namespace of the Certificates and their Secrets (where the Ingresses live). */
  readonly namespace: string;
  /** The ingress class of the http-01 solver Ingress. @default "nginx" (INGRESS_CLASS_NAME) */
  readonly ingressClassName?: string;
  /**
   * dns-01 through Route 53, for the wildcard. Credentials come from cert-manager's
   * ambient identity (IRSA), an assumed `role`, or a `credentialsSecret`; never inline.
   * Required unless `wildcard` is false.
   */
  readonly route53?: Route53SolverArgs;
  /** Request `*.domain` as a second certificate. @default true */
  readonly wildcard?: boolean;
  /** Which issuer the certificates use. @default "production" */
  readonly use?: "production" | "staging";
  /** The production issuer: its name, ACME directory and account key Secret. @default name "letsencrypt-prod", the Let's Encrypt production directory */
  readonly production?: AcmeIssuerArgs;
  /** The staging issuer, for trying changes without Let's Encrypt's production rate limits. @default name "letsencrypt-staging", the Let's Encrypt staging directory */
  readonly staging?: AcmeIssuerArgs;
  /** The hosts' Certificate name; its Secret is this name with `-secret`. @default "progressive-framework-tls" (DEFAULT_CERTIFICATE_NAME) */
  readonly certificateName?: string;
  /** The wildcard Certificate name; its Secret is this name with `-secret`. @default "progressive-framework-wildcard" (DEFAULT_WILDCARD_CERTIFICATE_NAME) */
  readonly wildcardCertificateName?: string;
  /** Requested lifetime (a Go duration). @default "2160h" (CERTIFICATE_DURATION) */
  readonly duration?: string;
  /** Renew this long before expiry. @default "720h" (CERTIFICATE_RENEW_BEFORE) */
  readonly renewBefore?: string;
  /**
   * The cert-manager release (Helm chart) that installs the CRDs and the webhook. Every
   * object here waits for it; without it preview fails with "no matches for kind".
   */
  readonly certManagerRelease?: pulumi.Resource;
  /** Extra dependencies, e.g. the Namespace of the certificates. */
  readonly dependsOn?: pulumi.Resource[];
}

/**
 * Every problem with `AcmeCertificates` arguments, for a stack to gather before failing
 * once. Takes the arguments as received (a config object, say): a missing or wrongly
 * typed setting is a problem, never an exception.
 */
export function checkAcmeCertificatesArgs(args: unknown): Problem[] {
  return [
    ...checkAcmeInput(args),
    ...checkResource("certManagerRelease", setting(args, "certManagerRelease"), "the cert-manager release"),
    ...checkResources("dependsOn", setting(args, "dependsOn")),
  ];
}

export class AcmeCertificates extends pulumi.ComponentResource {
  /** The resolved host names. */
  readonly hosts: HostNames;
  /** Names of the two ClusterIssuers. */
  readonly productionIssuerName: string;
  readonly stagingIssuerName: string;
  /** The issuer the certificates name. */
  readonly issuerName: string;
  /** The Secret holding the hosts' certificate (the Ingress `tls.secretName`). */
  readonly hostsSecretName: string;
  /** The Secret holding the wildcard certificate, when requested. */
  readonly wildcardSecretName: string | undefined;

  constructor(name: string, args: AcmeCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input leaves no trace in the stack.
    throwIfProblems("AcmeCertificates", checkAcmeCertificatesArgs(args));
    const plan = planAcme(args);
    super("pfv5:tls:AcmeCertificates", name, {}, opts);
    const dependsOn = [...(args.certManagerRelease !== undefined ? [args.certManagerRelease] : []), ...(args.dependsOn ?? [])];
    const create = (logical: string, manifest: ManifestObject<unknown>, deps: pulumi.Resource[]) =>
      new kubernetes.apiextensions.CustomResource(logical, { ...manifest }, { parent: this, dependsOn: deps });

    const production = create(`${name}-letsencrypt-production`, plan.issuers.production, dependsOn);
    const staging = create(`${name}-letsencrypt-staging`, plan.issuers.staging, dependsOn);
    const used = plan.issuerName === plan.issuers.production.metadata.name ? production : staging;
    plan.certificates.forEach((cert, i) => {
      create(`${name}-${i === 0 ? "hosts" : "wildcard"}`, cert, [used, ...dependsOn]);
    });

    this.hosts = plan.hosts;
    this.productionIssuerName = plan.issuers.production.metadata.name;
    this.stagingIssuerName = plan.issuers.staging.metadata.name;
    this.issuerName = plan.issuerName;
    this.hostsSecretName = plan.hostsSecretName;
    this.wildcardSecretName = plan.wildcardSecretName;
    this.registerOutputs({
      hosts: this.hosts,
      productionIssuerName: this.productionIssuerName,
      stagingIssuerName: this.stagingIssuerName,
      issuerName: this.issuerName,
      hostsSecretName: this.hostsSecretName,
      wildcardSecretName: this.wildcardSecretName,
    });
  }
}
