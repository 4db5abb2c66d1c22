/**
 * Let's Encrypt issuers and the public certificates as plain cert-manager manifests.
 *
 * Each issuer carries two solvers with selectors, so the choice never depends on solver
 * order: http-01 through the nginx ingress class for the plain host names, dns-01
 * through Route 53 for the wildcard (the only challenge that can prove a wildcard).
 */
import { throwIfProblems, type Problem } from "@pfv5/zones";
import {
  CERTIFICATE_DURATION, CERTIFICATE_RENEW_BEFORE, INGRESS_CLASS_NAME, LETSENCRYPT_PRODUCTION_ISSUER,
  LETSENCRYPT_PRODUCTION_URL, LETSENCRYPT_STAGING_ISSUER, LETSENCRYPT_STAGING_URL,
} from "../defaults";
import { bagAt, checkBoolean, isBag, missing, unknownKeys, type Bag } from "../input";
import {
  ACME_CERTIFICATES_KEYS, checkDomainAndHosts, checkEmail, checkK8sName, HOSTED_ZONE_ID, resolveHosts, unknownSiteKeys, type HostNames,
} from "../validate";
import {
  certificateManifests, clusterIssuerManifests, type AcmeSolver, type CertificateManifest,
  type ClusterIssuerManifest, type Http01IngressWithClassName,
} from "./models";

export const DEFAULT_CERTIFICATE_NAME = "progressive-framework-tls";
export const DEFAULT_WILDCARD_CERTIFICATE_NAME = "progressive-framework-wildcard";

/** Route 53 credentials for dns-01. Never an inline key: a Secret reference or none. */
export interface Route53SolverArgs {
  /** The AWS region of the Route 53 API calls, e.g. `us-east-1`. */
  readonly region: string;
  /** The hosted zone of the domain; cert-manager looks it up when omitted. */
  readonly hostedZoneId?: string;
  /** An IAM role ARN for cert-manager to assume with its ambient credentials (IRSA). */
  readonly role?: string;
  /**
   * A Secret (in the cert-manager namespace) holding a static key pair. Omit it to use
   * the ambient credentials of the cert-manager pod (IRSA or the node role).
   */
  readonly credentialsSecret?: {
    readonly name: string;
    /** @default "access-key-id" */
    readonly accessKeyIdKey?: string;
    /** @default "secret-access-key" */
    readonly secretAccessKeyKey?: string;
  };
}

export interface AcmeIssuerArgs {
  /** @default "letsencrypt-prod" / "letsencrypt-staging" */
  readonly name?: string;
  /** The ACME directory URL. @default the Let's Encrypt production / staging URL */
  readonly server?: string;
  /** The Secret cert-manager keeps the ACME account key in. @default `${name}-account-key` */
  readonly accountKeySecretName?: string;
}

export interface AcmePlanInput {
  readonly domain: string;
  readonly hosts?: Partial<HostNames>;
  readonly email: string;
  readonly namespace: string;
  readonly ingressClassName?: string;
  readonly route53?: Route53SolverArgs;
  readonly wildcard?: boolean;
  readonly use?: "production" | "staging";
  readonly production?: AcmeIssuerArgs;
  readonly staging?: AcmeIssuerArgs;
  readonly certificateName?: string;
  readonly wildcardCertificateName?: string;
  readonly duration?: string;
  readonly renewBefore?: string;
}

export interface AcmePlan {
  readonly hosts: HostNames;
  readonly issuers: { readonly production: ClusterIssuerManifest; readonly staging: ClusterIssuerManifest };
  /** The issuer the certificates name. */
  readonly issuerName: string;
  readonly certificates: readonly CertificateManifest[];
  /** The Secret the host certificate lands in (for the Ingress `tls` section). */
  readonly hostsSecretName: string;
  /** The Secret of the wildcard certificate, when one is requested. */
  readonly wildcardSecretName?: string;
}

const DURATION = /^([0-9]+(\.[0-9]+)?(h|m|s))+$/;

function checkDuration(key: string, value: unknown): Problem[] {
  if (value === undefined || (typeof value === "string" && DURATION.test(value))) return [];
  return [{ key, value, message: "expected a Go duration such as \"2160h\" (hours, minutes, seconds)" }];
}

function hours(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/([0-9]+(?:\.[0-9]+)?)(h|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n : m[2] === "m" ? n / 60 : n / 3600;
  }
  return total;
}

const ISSUER_EXAMPLE = '{ name: "letsencrypt-prod", server: "https://acme-v02.api.letsencrypt.org/directory" }';

function checkIssuer(key: string, value: unknown, problems: Problem[]): void {
  const issuer = bagAt(key, value, ISSUER_EXAMPLE, problems);
  if (issuer === undefined) return;
  unknownKeys(key, issuer, ["name", "server", "accountKeySecretName"], problems);
  if (issuer.name !== undefined) problems.push(...checkK8sName(`${key}.name`, issuer.name));
  if (issuer.accountKeySecretName !== undefined) problems.push(...checkK8sName(`${key}.accountKeySecretName`, issuer.accountKeySecretName));
  if (issuer.server !== undefined && (typeof issuer.server !== "string" || !/^https:\/\/[^\s]+$/.test(issuer.server))) {
    problems.push({ key: `${key}.server`, value: issuer.server, message: "expected an https:// ACME directory URL" });
  }
}

const ROUTE53_EXAMPLE = '{ region: "us-east-1", hostedZoneId: "Z0123456789ABCDEFGHIJ" }';

function checkRoute53(r: Bag, problems: Problem[]): void {
  unknownKeys("route53", r, ["region", "hostedZoneId", "role", "credentialsSecret"], problems);
  if (r.region === undefined) problems.push(missing("route53.region", "the AWS region of the Route 53 API calls, e.g. us-east-1"));
  else if (typeof r.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(r.region)) {
    problems.push({ key: "route53.region", value: r.region, message: "expected an AWS region such as us-east-1" });
  }
  if (r.hostedZoneId !== undefined && (typeof r.hostedZoneId !== "string" || !HOSTED_ZONE_ID.test(r.hostedZoneId))) {
    problems.push({ key: "route53.hostedZoneId", value: r.hostedZoneId, message: "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" });
  }
  if (r.role !== undefined && (typeof r.role !== "string" || !/^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/.test(r.role))) {
    problems.push({ key: "route53.role", value: r.role, message: "expected an IAM role ARN such as arn:aws:iam::123456789012:role/cert-manager" });
  }
  const c = bagAt("route53.credentialsSecret", r.credentialsSecret, '{ name: "route53-credentials" }', problems);
  if (c === undefined) return;
  unknownKeys("route53.credentialsSecret", c, ["name", "accessKeyIdKey", "secretAccessKeyKey"], problems);
  problems.push(...checkK8sName("route53.credentialsSecret.name", c.name));
  for (const k of ["accessKeyIdKey", "secretAccessKeyKey"] as const) {
    const v = c[k];
    if (v !== undefined && (typeof v !== "string" || !/^[-._a-zA-Z0-9]+$/.test(v))) {
      problems.push({ key: `route53.credentialsSecret.${k}`, value: v, message: "expected a Secret data key (letters, digits, '-', '_', '.')" });
    }
  }
}

/** The issuer name as given (possibly not a string yet), or the default. */
function issuerName(value: unknown, fallback: string): unknown {
  return isBag(value) && value.name !== undefined ? value.name : fallback;
}

/**
 * Every problem with the ACME arguments, as received: a missing or wrongly typed setting
 * is a problem here, never an exception.
 */
export function checkAcmeInput(input: unknown): Problem[] {
  if (!isBag(input)) {
    return [{ key: "args", value: input, message: "expected an object of AcmeCertificates settings: domain, email and namespace at least" }];
  }
  const problems: Problem[] = [];
  unknownSiteKeys(input, ACME_CERTIFICATES_KEYS, problems);
  problems.push(...checkDomainAndHosts(input.domain, input.hosts), ...checkEmail("email", input.email), ...checkK8sName("namespace", input.namespace));
  if (input.ingressClassName !== undefined) problems.push(...checkK8sName("ingressClassName", input.ingressClassName));
  checkIssuer("production", input.production, problems);
  checkIssuer("staging", input.staging, problems);
  const prodName = issuerName(input.production, LETSENCRYPT_PRODUCTION_ISSUER);
  const stagingName = issuerName(input.staging, LETSENCRYPT_STAGING_ISSUER);
  // Compared only when both names are valid, so a bad name is reported once, as bad.
  if (checkK8sName("staging.name", stagingName).length === 0 && prodName === stagingName) {
    problems.push({ key: "staging.name", value: stagingName, message: "is also the production issuer's name: give the two issuers different names" });
  }
  if (input.use !== undefined && input.use !== "production" && input.use !== "staging") {
    problems.push({ key: "use", value: input.use, message: "use \"production\" or \"staging\"" });
  }
  problems.push(...checkBoolean("wildcard", input.wildcard));
  if (input.route53 === undefined) {
    if (input.wildcard === undefined || input.wildcard === true) {
      problems.push({ key: "route53", value: undefined, message: `is required for the wildcard certificate: only dns-01 can prove a wildcard name; set route53, e.g. ${ROUTE53_EXAMPLE}, or wildcard: false` });
    }
  } else {
    const r = bagAt("route53", input.route53, ROUTE53_EXAMPLE, problems);
    if (r !== undefined) checkRoute53(r, problems);
  }
  for (const k of ["certificateName", "wildcardCertificateName"] as const) {
    if (input[k] !== undefined) problems.push(...checkK8sName(k, input[k]));
  }
  problems.push(...checkDuration("duration", input.duration), ...checkDuration("renewBefore", input.renewBefore));
  const duration = input.duration === undefined ? CERTIFICATE_DURATION : input.duration;
  const renewBefore = input.renewBefore === undefined ? CERTIFICATE_RENEW_BEFORE : input.renewBefore;
  if (typeof duration === "string" && typeof renewBefore === "string" && DURATION.test(duration) && DURATION.test(renewBefore) && hours(renewBefore) >= hours(duration)) {
    problems.push({ key: "renewBefore", value: renewBefore, message: `must be shorter than the duration (${duration}), or cert-manager renews continuously` });
  }
  return problems;
}

function solvers(input: AcmePlanInput, hosts: HostNames): AcmeSolver[] {
  const ingress: Http01IngressWithClassName = { ingressClassName: input.ingressClassName ?? INGRESS_CLASS_NAME };
  const out: AcmeSolver[] = [{ selector: { dnsNames: [hosts.app, hosts.api, hosts.agents, hosts.admin] }, http01: { ingress } }];
  const r = input.route53;
  if (r !== undefined) {
    const c = r.credentialsSecret;
    out.push({
      selector: { dnsNames: [`*.${input.domain}`] },
      dns01: {
        route53: {
          region: r.region,
          ...(r.hostedZoneId !== undefined ? { hostedZoneID: r.hostedZoneId } : {}),
          ...(r.role !== undefined ? { role: r.role } : {}),
          ...(c !== undefined
            ? {
                accessKeyIDSecretRef: { name: c.name, key: c.accessKeyIdKey ?? "access-key-id" },
                secretAccessKeySecretRef: { name: c.name, key: c.secretAccessKeyKey ?? "secret-access-key" },
              }
            : {}),
        },
      },
    });
  }
  return out;
}

/** The issuers and certificates for valid input; throws one error listing every problem. */
export function planAcme(input: AcmePlanInput): AcmePlan {
  throwIfProblems("AcmeCertificates", checkAcmeInput(input));
  const hosts = resolveHosts(input.domain, input.hosts);
  const issuer = (which: "production" | "staging") => {
    const a = input[which];
    const name = a?.name ?? (which === "production" ? LETSENCRYPT_PRODUCTION_ISSUER : LETSENCRYPT_STAGING_ISSUER);
    return {
      name,
      spec: {
        acme: {
          server: a?.server ?? (which === "production" ? LETSENCRYPT_PRODUCTION_URL : LETSENCRYPT_STAGING_URL),
          email: input.email,
          privateKeySecretRef: { name: a?.accountKeySecretName ?? `${name}-account-key` },
          solvers: solvers(input, hosts),
        },
      },
    };
  };
  const [production, staging] = clusterIssuerManifests([issuer("production"), issuer("staging")]);
  if (production === undefined || staging === undefined) throw new Error("unreachable: two issuers were built");
  const issuerName = (input.use ?? "production") === "production" ? production.metadata.name : staging.metadata.name;
  const common = {
    issuerRef: { name: issuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
    duration: input.duration ?? CERTIFICATE_DURATION,
    renewBefore: input.renewBefore ?? CERTIFICATE_RENEW_BEFORE,
    // A new key on every renewal: a leaked key stops being useful at the next rotation.
    privateKey: { algorithm: "ECDSA" as const, size: 256, rotationPolicy: "Always" as const },
    // ECDSA keys sign the handshake; "key encipherment" applies to RSA key transport only.
    usages: ["digital signature" as const, "server auth" as const],
  };
  const certName = input.certificateName ?? DEFAULT_CERTIFICATE_NAME;
  const wildcardName = input.wildcardCertificateName ?? DEFAULT_WILDCARD_CERTIFICATE_NAME;
  const wildcard = input.wildcard ?? true;
  const certificates = certificateManifests([
    { name: certName, namespace: input.namespace, spec: { ...common, secretName: `${certName}-secret`, dnsNames: [hosts.app, hosts.api, hosts.agents, hosts.admin] } },
    ...(wildcard ? [{ name: wildcardName, namespace: input.namespace, spec: { ...common, secretName: `${wildcardName}-secret`, dnsNames: [`*.${input.domain}`] } }] : []),
  ]);
  return {
    hosts,
    issuers: { production, staging },
    issuerName,
    certificates,
    hostsSecretName: `${certName}-secret`,
    ...(wildcard ? { wildcardSecretName: `${wildcardName}-secret` } : {}),
  };
}
