/**
 * The internal certificate authority as plain values: key types, subjects, validity and
 * the uses each certificate allows. No Pulumi here, so it is tested without mocks.
 */
import { throwIfProblems, type Problem } from "@pfv5/zones";
import { bagAt, checkBoolean, isBag, listAt, unknownKeys } from "../input";
import { checkK8sName, checkPositiveInt } from "../validate";

/** ECDSA curves the CA supports, by the names the tls provider uses. */
export type EcdsaCurve = "P256" | "P384";
export const ECDSA_CURVES: readonly EcdsaCurve[] = ["P256", "P384"];

/**
 * Key uses the tls provider accepts (RFC 5280 key usages and extended key usages).
 * Anything else is a typo that the provider would silently drop.
 */
export const KEY_USES = [
  "anyExtended", "certSigning", "clientAuth", "codeSigning", "contentCommitment", "crlSigning",
  "dataEncipherment", "decipherOnly", "digitalSignature", "emailProtection", "encipherOnly",
  "ipsecEndSystem", "ipsecTunnel", "ipsecUser", "keyAgreement", "keyEncipherment",
  "microsoftCommercialCodeSigning", "microsoftKernelCodeSigning", "microsoftServerGatedCrypto",
  "netscapeServerGatedCrypto", "ocspSigning", "serverAuth", "timestamping",
] as const;
export type KeyUse = (typeof KEY_USES)[number];

export const DEFAULT_CA_CURVE: EcdsaCurve = "P256";
export const DEFAULT_ROOT_COMMON_NAME = "Progressive-Framework-v5 Root CA";
export const DEFAULT_INTERMEDIATE_COMMON_NAME = "Progressive-Framework-v5 Intermediate CA";
export const DEFAULT_ORGANIZATION = "Progressive-Framework-v5";
/** Ten years: the root is rotated by hand, rarely. */
export const DEFAULT_ROOT_VALIDITY_HOURS = 87600;
/** Five years, well inside the root's lifetime. */
export const DEFAULT_INTERMEDIATE_VALIDITY_HOURS = 43800;
/** Ninety days for leaf certificates, renewed 30 days early. */
export const DEFAULT_LEAF_VALIDITY_HOURS = 2160;
export const DEFAULT_LEAF_EARLY_RENEWAL_HOURS = 720;
/** A CA signs certificates and revocation lists, nothing else. */
export const DEFAULT_CA_USES: readonly KeyUse[] = ["certSigning", "crlSigning"];
/** A TLS server certificate with an ECDSA key signs the handshake; it never encrypts keys. */
export const DEFAULT_LEAF_USES: readonly KeyUse[] = ["digitalSignature", "serverAuth"];
/** The namespace and name of Istio's plug-in CA secret. */
export const ISTIO_NAMESPACE = "istio-system";
export const ISTIO_CACERTS_SECRET = "cacerts";
/** cert-manager reads a ClusterIssuer's secret from its cluster resource namespace. */
export const CERT_MANAGER_NAMESPACE = "cert-manager";

export interface CertificatePlan {
  readonly commonName: string;
  readonly organization: string;
  readonly validityPeriodHours: number;
  readonly allowedUses: readonly KeyUse[];
  /**
   * Path length for CA certificates. The root allows one CA below it; the intermediate
   * gets none set, because the tls provider cannot encode a zero path length (it leaves
   * Go's MaxPathLenZero unset) and the root's limit already forbids a CA under it.
   */
  readonly maxPathLength?: number;
}

export interface CaPlan {
  readonly curve: EcdsaCurve;
  readonly root: CertificatePlan;
  readonly intermediate: CertificatePlan;
}

/** The CA arguments that shape the plan and the objects (`InternalCaArgs` without its resources). */
export interface CaPlanInput {
  readonly curve?: EcdsaCurve;
  readonly rootCommonName?: string;
  readonly intermediateCommonName?: string;
  readonly organization?: string;
  readonly rootValidityHours?: number;
  readonly intermediateValidityHours?: number;
  readonly rootAllowedUses?: readonly string[];
  readonly intermediateAllowedUses?: readonly string[];
  readonly protect?: boolean;
  readonly istio?: { readonly namespace?: string };
  readonly clusterIssuer?: { readonly name?: string; readonly secretNamespace?: string };
}

/** The settings of `InternalCa`. */
export const INTERNAL_CA_KEYS = [
  "curve", "rootCommonName", "intermediateCommonName", "organization", "rootValidityHours", "intermediateValidityHours",
  "rootAllowedUses", "intermediateAllowedUses", "protect", "istio", "clusterIssuer", "certManagerRelease", "kubernetesDependsOn",
] as const;

/** The settings of `LeafCertificate`. */
export const LEAF_CERTIFICATE_KEYS = ["issuer", "dnsNames", "ipAddresses", "commonName", "curve", "validityHours", "earlyRenewalHours", "allowedUses"] as const;

function checkUses(key: string, value: unknown, mustSign: boolean): Problem[] {
  if (value === undefined) return [];
  const example = '["certSigning", "crlSigning"]';
  if (!Array.isArray(value)) return [{ key, value, message: `expected a list of key uses, e.g. ${example}` }];
  const uses = value as readonly unknown[];
  const problems: Problem[] = [];
  if (uses.length === 0) problems.push({ key, value, message: `is empty: list the key uses, e.g. ${example}` });
  uses.forEach((use, i) => {
    if (typeof use !== "string" || !(KEY_USES as readonly string[]).includes(use)) {
      problems.push({ key: `${key}[${i}]`, value: use, message: `is not a key use the tls provider knows: use one of ${KEY_USES.join(", ")}` });
    }
  });
  if (mustSign && uses.length > 0 && !uses.includes("certSigning")) {
    problems.push({ key, value, message: "lacks \"certSigning\": a CA certificate without it cannot sign anything; add it" });
  }
  return problems;
}

function checkCurve(value: unknown): Problem[] {
  if (value === undefined || (ECDSA_CURVES as readonly unknown[]).includes(value)) return [];
  return [{ key: "curve", value, message: `use one of ${ECDSA_CURVES.join(", ")}` }];
}

function checkCommonName(key: string, value: unknown): Problem[] {
  if (value === undefined || (typeof value === "string" && value.trim() !== "" && value.length <= 64)) return [];
  return [{ key, value, message: "expected a name of 1 to 64 characters (the X.509 limit for a common name)" }];
}

/** A validity in whole hours, or undefined when it is not one (its problem is reported apart). */
function wholeHours(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/**
 * Every problem with the CA arguments, as received: a missing or wrongly typed setting is
 * a problem here, never an exception.
 */
export function checkCaInput(input: unknown): Problem[] {
  if (input === undefined) return [];
  if (!isBag(input)) return [{ key: "args", value: input, message: "expected an object of InternalCa settings, e.g. { istio: {}, clusterIssuer: {} }" }];
  const problems: Problem[] = [];
  unknownKeys("", input, INTERNAL_CA_KEYS, problems);
  problems.push(...checkCurve(input.curve));
  for (const key of ["rootCommonName", "intermediateCommonName", "organization"] as const) problems.push(...checkCommonName(key, input[key]));
  if (input.rootValidityHours !== undefined) problems.push(...checkPositiveInt("rootValidityHours", input.rootValidityHours, "a validity in hours"));
  if (input.intermediateValidityHours !== undefined) problems.push(...checkPositiveInt("intermediateValidityHours", input.intermediateValidityHours, "a validity in hours"));
  const root = input.rootValidityHours === undefined ? DEFAULT_ROOT_VALIDITY_HOURS : wholeHours(input.rootValidityHours);
  const inter = input.intermediateValidityHours === undefined ? DEFAULT_INTERMEDIATE_VALIDITY_HOURS : wholeHours(input.intermediateValidityHours);
  if (root !== undefined && inter !== undefined && inter >= root) {
    problems.push({ key: "intermediateValidityHours", value: inter, message: `must be shorter than the root's ${root} hours: an intermediate outliving its root stops validating when the root expires` });
  }
  problems.push(...checkUses("rootAllowedUses", input.rootAllowedUses, true));
  problems.push(...checkUses("intermediateAllowedUses", input.intermediateAllowedUses, true));
  problems.push(...checkBoolean("protect", input.protect));
  const istio = bagAt("istio", input.istio, '{ namespace: "istio-system" }', problems);
  if (istio !== undefined) {
    unknownKeys("istio", istio, ["namespace"], problems);
    if (istio.namespace !== undefined) problems.push(...checkK8sName("istio.namespace", istio.namespace));
  }
  const issuer = bagAt("clusterIssuer", input.clusterIssuer, '{ name: "internal-ca" }', problems);
  if (issuer !== undefined) {
    unknownKeys("clusterIssuer", issuer, ["name", "secretNamespace"], problems);
    if (issuer.name !== undefined) problems.push(...checkK8sName("clusterIssuer.name", issuer.name));
    if (issuer.secretNamespace !== undefined) problems.push(...checkK8sName("clusterIssuer.secretNamespace", issuer.secretNamespace));
  }
  return problems;
}

/** The CA plan for valid input; throws one error listing every problem otherwise. */
export function planCa(input: CaPlanInput): CaPlan {
  throwIfProblems("InternalCa", checkCaInput(input));
  const organization = input.organization ?? DEFAULT_ORGANIZATION;
  return {
    curve: input.curve ?? DEFAULT_CA_CURVE,
    root: {
      commonName: input.rootCommonName ?? DEFAULT_ROOT_COMMON_NAME,
      organization,
      validityPeriodHours: input.rootValidityHours ?? DEFAULT_ROOT_VALIDITY_HOURS,
      allowedUses: (input.rootAllowedUses as readonly KeyUse[] | undefined) ?? DEFAULT_CA_USES,
      maxPathLength: 1,
    },
    intermediate: {
      commonName: input.intermediateCommonName ?? DEFAULT_INTERMEDIATE_COMMON_NAME,
      organization,
      validityPeriodHours: input.intermediateValidityHours ?? DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
      allowedUses: (input.intermediateAllowedUses as readonly KeyUse[] | undefined) ?? DEFAULT_CA_USES,
    },
  };
}

export interface LeafPlanInput {
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly commonName?: string;
  readonly curve?: EcdsaCurve;
  readonly validityHours?: number;
  readonly earlyRenewalHours?: number;
  readonly allowedUses?: readonly string[];
}

export interface LeafPlan {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly commonName: string;
  readonly curve: EcdsaCurve;
  readonly validityPeriodHours: number;
  readonly earlyRenewalHours: number;
  readonly allowedUses: readonly KeyUse[];
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;

/**
 * Every problem with the leaf arguments, as received: a missing or wrongly typed setting
 * is a problem here, never an exception. The issuer is the component's to check.
 */
export function checkLeafInput(input: unknown): Problem[] {
  if (!isBag(input)) return [{ key: "args", value: input, message: "expected an object of LeafCertificate settings, e.g. { dnsNames: [\"api.example.com\"] }" }];
  const problems: Problem[] = [];
  unknownKeys("", input, LEAF_CERTIFICATE_KEYS, problems);
  const names = input.dnsNames;
  if (names === undefined || (Array.isArray(names) && names.length === 0)) {
    problems.push({ key: "dnsNames", value: names, message: "list at least one DNS name: clients match the certificate by its names, not its common name" });
  } else if (!Array.isArray(names)) {
    problems.push({ key: "dnsNames", value: names, message: "expected a list of DNS names, e.g. [\"api.example.com\"]" });
  } else {
    (names as readonly unknown[]).forEach((n, i) => {
      const name = typeof n === "string" && n.startsWith("*.") ? n.slice(2) : n;
      // Internal names may be cluster service names of any depth (e.g. "api.prod.svc").
      if (typeof name !== "string" || name.length > 253 || !name.split(".").every((l) => DNS_LABEL.test(l))) {
        problems.push({ key: `dnsNames[${i}]`, value: n, message: "expected a lower-case DNS name, optionally starting with \"*.\"" });
      }
    });
  }
  const ips = listAt("ipAddresses", input.ipAddresses, '["10.0.10.5"]', problems);
  (ips ?? []).forEach((ip, i) => {
    if (typeof ip !== "string" || (!IPV4.test(ip) && !/^[0-9a-f:]+$/i.test(ip))) problems.push({ key: `ipAddresses[${i}]`, value: ip, message: "expected an IPv4 or IPv6 address" });
  });
  problems.push(...checkCommonName("commonName", input.commonName), ...checkCurve(input.curve));
  if (input.validityHours !== undefined) problems.push(...checkPositiveInt("validityHours", input.validityHours, "a validity in hours"));
  const validity = input.validityHours === undefined ? DEFAULT_LEAF_VALIDITY_HOURS : wholeHours(input.validityHours);
  const early = input.earlyRenewalHours ?? (validity === undefined ? undefined : Math.min(DEFAULT_LEAF_EARLY_RENEWAL_HOURS, Math.floor(validity / 3)));
  const earlyValid = typeof early === "number" && Number.isInteger(early) && early >= 0;
  if (early !== undefined && (!earlyValid || (validity !== undefined && early >= validity))) {
    const range = validity !== undefined ? `from 0 to below the validity (${validity} hours)` : "of 0 or more, below the validity";
    problems.push({ key: "earlyRenewalHours", value: early, message: `must be a whole number ${range}, or the certificate is replaced on every update` });
  }
  problems.push(...checkUses("allowedUses", input.allowedUses, false));
  return problems;
}

/** The leaf plan for valid input; throws one error listing every problem otherwise. */
export function planLeaf(input: LeafPlanInput): LeafPlan {
  throwIfProblems("LeafCertificate", checkLeafInput(input));
  const validity = input.validityHours ?? DEFAULT_LEAF_VALIDITY_HOURS;
  const first = input.dnsNames[0] ?? "";
  return {
    dnsNames: [...input.dnsNames],
    ipAddresses: [...(input.ipAddresses ?? [])],
    commonName: input.commonName ?? first,
    curve: input.curve ?? DEFAULT_CA_CURVE,
    validityPeriodHours: validity,
    earlyRenewalHours: input.earlyRenewalHours ?? Math.min(DEFAULT_LEAF_EARLY_RENEWAL_HOURS, Math.floor(validity / 3)),
    allowedUses: (input.allowedUses as readonly KeyUse[] | undefined) ?? DEFAULT_LEAF_USES,
  };
}
