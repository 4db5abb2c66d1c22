/**
 * What the TLS policies share: the resource types they read (added to the pack's typed
 * registry by interface augmentation, so `propsOf` and `graph.ofType` type them), the TLS
 * rules as data, and cert-manager's way of choosing an issuer and a solver.
 *
 * The rule data mirrors `@pfv5/tls` (the components' defaults); the pack does not import
 * that package at runtime, to keep provider SDKs out of every preview that loads it.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { CertificateArgs as AcmCertificateArgs } from "@pulumi/aws/acm/certificate";
import type { ListenerArgs } from "@pulumi/aws/lb/listener";
import type { ListenerRuleArgs } from "@pulumi/aws/lb/listenerRule";
import type { ConfigMapArgs } from "@pulumi/kubernetes/core/v1/configMap";
import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3/release";
import type { IngressArgs } from "@pulumi/kubernetes/networking/v1/ingress";
import type { PrivateKeyArgs } from "@pulumi/tls/privateKey";
import type { SelfSignedCertArgs } from "@pulumi/tls/selfSignedCert";
import type { StackGraph } from "./graph";
import { label } from "./graph";
import type { Props } from "./types";

export const TLS_T = {
  listener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  albListenerRule: "aws:alb/listenerRule:ListenerRule",
  acmCertificate: "aws:acm/certificate:Certificate",
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  configMap: "kubernetes:core/v1:ConfigMap",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  clusterIssuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
  issuer: "kubernetes:cert-manager.io/v1:Issuer",
  certificate: "kubernetes:cert-manager.io/v1:Certificate",
} as const;

/** The parts of a cert-manager object the policies read; the CRD schema allows more. */
export interface CertManagerObject {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: Readonly<Record<string, unknown>>;
}

declare module "./types" {
  interface PropsByType {
    [TLS_T.listener]: Props<ListenerArgs>;
    [TLS_T.albListener]: Props<ListenerArgs>;
    [TLS_T.listenerRule]: Props<ListenerRuleArgs>;
    [TLS_T.albListenerRule]: Props<ListenerRuleArgs>;
    [TLS_T.acmCertificate]: Props<AcmCertificateArgs>;
    [TLS_T.privateKey]: Props<PrivateKeyArgs>;
    [TLS_T.selfSignedCert]: Props<SelfSignedCertArgs>;
    [TLS_T.configMap]: Props<ConfigMapArgs>;
    [TLS_T.helmRelease]: Props<ReleaseArgs>;
    [TLS_T.ingress]: Props<IngressArgs>;
    [TLS_T.clusterIssuer]: CertManagerObject;
    [TLS_T.issuer]: CertManagerObject;
    [TLS_T.certificate]: CertManagerObject;
  }
}

/** Protocol versions the edge may accept. */
export const ALLOWED_TLS_PROTOCOLS: readonly string[] = ["TLSv1.2", "TLSv1.3"];

/** ALB security policies that accept nothing below TLS 1.2 (as `@pfv5/tls` ALB_TLS12_POLICIES). */
export const ALB_TLS12_POLICIES: readonly string[] = [
  ...["", "-Res", "-Ext1", "-Ext2"].map((v) => `ELBSecurityPolicy-TLS13-1-2${v}-2021-06`),
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  ...["", "-Res", "-Ext0", "-Ext1", "-Ext2"].map((v) => `ELBSecurityPolicy-TLS13-1-2${v}-FIPS-2023-04`),
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  ...["", "-Res", "-Ext1", "-Ext2"].map((v) => `ELBSecurityPolicy-TLS13-1-2${v}-PQ-2025-09`),
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  ...["", "-Res", "-Ext0", "-Ext1", "-Ext2"].map((v) => `ELBSecurityPolicy-TLS13-1-2${v}-FIPS-PQ-2025-09`),
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/** The cluster issuers a Certificate may name (as `@pfv5/tls` APPROVED_CLUSTER_ISSUERS). */
export const APPROVED_CLUSTER_ISSUERS: readonly string[] = ["letsencrypt-prod", "letsencrypt-staging", "internal-ca"];

/**
 * Name suffixes that never resolve on the public internet: cluster and private names, and
 * the names RFC 2606, 6761 and 8375 reserve.
 */
export const INTERNAL_SUFFIXES: readonly string[] = [".cluster.local", ".svc", ".local", ".internal", ".localhost", ".test", ".example", ".invalid", ".home.arpa"];

/** Whether a DNS name is public: more than one label and no internal suffix. */
export function isPublicName(name: string): boolean {
  const n = name.replace(/^\*\./, "").replace(/\.$/, "").toLowerCase();
  if (!n.includes(".")) return false;
  return !INTERNAL_SUFFIXES.some((s) => n.endsWith(s) || n === s.slice(1));
}

/** A plain object, or undefined. */
export function record(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A list of strings (entries that are not strings dropped), or []. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export interface ResolvedIssuer {
  readonly resource: PolicyResource;
  readonly props: CertManagerObject;
  readonly kind: "ClusterIssuer" | "Issuer";
}

/**
 * The issuer a Certificate names, found in the stack by name (and namespace for a
 * namespaced Issuer, cert-manager's default kind), or why it cannot be found.
 */
export function resolveIssuer(graph: StackGraph, cert: CertManagerObject): ResolvedIssuer | { readonly reason: string } {
  const ref = record(cert.spec?.["issuerRef"]);
  const name = typeof ref?.["name"] === "string" ? ref["name"] : undefined;
  const kind = ref?.["kind"] === "ClusterIssuer" ? "ClusterIssuer" : "Issuer";
  if (name === undefined) return { reason: "its spec.issuerRef names no issuer" };
  const group = ref?.["group"];
  if (group !== undefined && group !== "cert-manager.io") return { reason: `its issuer is an external ${JSON.stringify(group)} issuer` };
  const candidates = kind === "ClusterIssuer"
    ? graph.ofType(TLS_T.clusterIssuer).filter((i) => i.props.metadata?.name === name)
    : graph.ofType(TLS_T.issuer).filter((i) => i.props.metadata?.name === name && i.props.metadata.namespace === cert.metadata?.namespace);
  const [only, ...more] = candidates;
  if (only === undefined) return { reason: `${kind} "${name}" is not in this stack` };
  if (more.length > 0) return { reason: `${candidates.length} ${kind} resources are named "${name}" (${candidates.map((c) => label(c.resource)).join(", ")})` };
  return { resource: only.resource, props: only.props, kind };
}

export interface SolverChoice {
  /** The index in spec.acme.solvers of the solver cert-manager would use. */
  readonly index: number;
  readonly type: "http01" | "dns01" | "none";
  /** How it was chosen: by a dnsNames or dnsZones selector, or as a catch-all. */
  readonly by: "dnsNames" | "dnsZones" | "catch-all";
}

/**
 * The solver cert-manager picks for `name` (a wildcard stays written with `*.`): among
 * solvers whose matchLabels the Certificate carries, a dnsNames selector listing the name
 * wins, then the longest dnsZones suffix, then a solver without name selectors; ties go to
 * the solver with more matchLabels, then the earlier one.
 */
export function chooseSolvers(issuerSpec: Readonly<Record<string, unknown>> | undefined, name: string, certLabels: Readonly<Record<string, string>>): SolverChoice[] {
  const acme = record(issuerSpec?.["acme"]);
  const solvers = Array.isArray(acme?.["solvers"]) ? (acme["solvers"] as unknown[]) : [];
  type Candidate = { index: number; type: SolverChoice["type"]; labels: number; dnsNames: string[]; dnsZones: string[] };
  const candidates: Candidate[] = [];
  solvers.forEach((raw, index) => {
    const s = record(raw);
    const selector = record(s?.["selector"]);
    const matchLabels = record(selector?.["matchLabels"]) ?? {};
    if (!Object.entries(matchLabels).every(([k, v]) => certLabels[k] === v)) return;
    const type = s?.["dns01"] !== undefined ? "dns01" : s?.["http01"] !== undefined ? "http01" : "none";
    candidates.push({ index, type, labels: Object.keys(matchLabels).length, dnsNames: strings(selector?.["dnsNames"]), dnsZones: strings(selector?.["dnsZones"]) });
  });
  const best = (list: Candidate[], by: SolverChoice["by"]): SolverChoice[] => {
    const top = Math.max(...list.map((c) => c.labels));
    return list.filter((c) => c.labels === top).map((c) => ({ index: c.index, type: c.type, by }));
  };
  const byName = candidates.filter((c) => c.dnsNames.includes(name));
  if (byName.length > 0) return best(byName, "dnsNames").slice(0, 1);
  const bare = name.replace(/^\*\./, "");
  const zoneLength = (c: Candidate) => Math.max(-1, ...c.dnsZones.filter((z) => bare === z || bare.endsWith(`.${z}`)).map((z) => z.length));
  const zoned = candidates.filter((c) => zoneLength(c) >= 0);
  if (zoned.length > 0) {
    const longest = Math.max(...zoned.map(zoneLength));
    return best(zoned.filter((c) => zoneLength(c) === longest), "dnsZones").slice(0, 1);
  }
  // Solvers without name selectors all match; which one serves depends on the challenge
  // types the ACME server offers, so every catch-all is a possible choice.
  const catchAll = candidates.filter((c) => c.dnsNames.length === 0 && c.dnsZones.length === 0);
  return catchAll.length > 0 ? best(catchAll, "catch-all") : [];
}
