/**
 * Validation and defaults of {@link ClusterSecurityArgs}: every problem is collected, then
 * thrown once, before anything is registered. The input is checked as untyped data because
 * it usually comes from stack config.
 */
import { coversPublicSpace, isValidCidr, istio, k8s, parseCidr, throwIfProblems, type Problem } from "@pfv5/zones";
import type { ClusterSecurityArgs, InstallOptions } from "./args";
import { CHARTS, commonLabels, DEFAULT_EXTERNAL_PATHS, DEFAULT_NAMESPACES, DEFAULT_PUBLIC_PATHS, DEFAULT_SERVICE_ACCOUNTS, DEFAULT_TRUST_DOMAIN } from "./defaults";

export interface ResolvedEgress {
  readonly cidr: string;
  readonly protocol: "TCP" | "UDP";
  readonly ports: readonly number[];
}

export type ServiceAccountRole = keyof typeof DEFAULT_SERVICE_ACCOUNTS;

/** The arguments with every default filled in. */
export interface ResolvedClusterSecurity {
  readonly environment: string;
  readonly namespaces: k8s.KubernetesNamespaces;
  readonly serviceAccounts: Readonly<Record<ServiceAccountRole, string>>;
  readonly trustDomain: string;
  readonly mesh: boolean;
  readonly meshWideMtls: boolean;
  readonly jwt?: { readonly issuer: string; readonly jwksUri: string; readonly audiences: readonly string[] };
  readonly externalPaths: readonly string[];
  readonly publicPaths: readonly string[];
  readonly appEgress: readonly ResolvedEgress[];
  readonly installs: { readonly istio?: string; readonly certManager?: string; readonly falco?: string };
  readonly labels: Readonly<Record<string, string>>;
}

const KNOWN_KEYS = ["provider", "environment", "namespaces", "serviceAccounts", "trustDomain", "mesh", "meshWideMtls", "jwt", "externalPaths", "publicPaths", "appEgress", "installs"];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => v !== null && typeof v === "object" && !Array.isArray(v);

function unknownKeys(key: string, value: Bag, known: readonly string[], problems: Problem[]): void {
  for (const k of Object.keys(value)) {
    if (!known.includes(k)) problems.push({ key: key === "" ? k : `${key}.${k}`, value: value[k], message: `is not a setting here; known settings: ${known.join(", ")}` });
  }
}

function bag(key: string, value: unknown, problems: Problem[]): Bag {
  if (value === undefined) return {};
  if (isBag(value)) return value;
  problems.push({ key, value, message: "expected an object of settings" });
  return {};
}

function text(key: string, value: unknown, fallback: string, pattern: RegExp, max: number, what: string, problems: Problem[]): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.length > max || !pattern.test(value)) {
    problems.push({ key, value, message: `must be ${what} (lower-case letters, digits and '-', at most ${max} characters)` });
    return fallback;
  }
  return value;
}

function bool(key: string, value: unknown, fallback: boolean, problems: Problem[]): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    problems.push({ key, value, message: "expected true or false" });
    return fallback;
  }
  return value;
}

function paths(key: string, value: unknown, fallback: readonly string[], problems: Problem[]): string[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ key, value, message: 'expected a non-empty list of paths, e.g. ["/api/*"]' });
    return [...fallback];
  }
  value.forEach((p, i) => {
    if (typeof p !== "string" || !p.startsWith("/") || p.indexOf("*") !== p.lastIndexOf("*") || (p.includes("*") && !p.endsWith("*"))) {
      problems.push({ key: `${key}[${i}]`, value: p, message: "a path starts with '/' and may end in one '*' (prefix match), e.g. /api/*" });
    }
  });
  return value.filter((p): p is string => typeof p === "string");
}

function overlaps(a: string, b: string): boolean {
  const bare = (p: string): string => p.replace(/\*$/, "");
  return istio.matchValue(a, bare(b)) || istio.matchValue(b, bare(a));
}

function installVersion(key: string, value: unknown, pinned: string, problems: Problem[]): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return pinned;
  if (isBag(value)) {
    unknownKeys(key, value, ["version"], problems);
    const v = (value as InstallOptions).version;
    if (v === undefined) return pinned;
    if (typeof v === "string" && /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v)) return v;
    problems.push({ key: `${key}.version`, value: v, message: "expected a chart version such as 1.25.2" });
    return undefined;
  }
  problems.push({ key, value, message: 'expected true, false or { version: "..." }' });
  return undefined;
}

function egress(value: unknown, problems: Problem[]): ResolvedEgress[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ key: "appEgress", value, message: 'expected a list such as [{ cidr: "198.51.100.0/24", ports: [443] }]' });
    return [];
  }
  const out: ResolvedEgress[] = [];
  value.forEach((e: unknown, i) => {
    const key = `appEgress[${i}]`;
    const b = bag(key, e, problems);
    unknownKeys(key, b, ["cidr", "protocol", "ports"], problems);
    const cidr = b["cidr"];
    let ok = true;
    if (typeof cidr !== "string" || !isValidCidr(cidr)) {
      problems.push({ key: `${key}.cidr`, value: cidr, message: "expected a CIDR block with host bits clear, e.g. 198.51.100.0/24" });
      ok = false;
    } else if (parseCidr(cidr).prefix === 0 || (coversPublicSpace(cidr) && parseCidr(cidr).prefix < 8)) {
      problems.push({ key: `${key}.cidr`, value: cidr, message: "opens egress to most of the internet: list the service's own blocks (an egress gateway is the way to reach arbitrary hosts)" });
      ok = false;
    }
    const protocol = b["protocol"] ?? "TCP";
    if (protocol !== "TCP" && protocol !== "UDP") {
      problems.push({ key: `${key}.protocol`, value: protocol, message: "use TCP or UDP" });
      ok = false;
    }
    const ports = b["ports"];
    if (!Array.isArray(ports) || ports.length === 0 || ports.some((p) => typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > 65535)) {
      problems.push({ key: `${key}.ports`, value: ports ?? null, message: "expected a non-empty list of port numbers from 1 to 65535" });
      ok = false;
    }
    if (ok) out.push({ cidr: cidr as string, protocol: protocol as "TCP" | "UDP", ports: ports as number[] });
  });
  return out;
}

/** Checks the arguments and fills the defaults; throws one ValidationError listing every problem. */
export function resolveClusterSecurityArgs(name: string, input: ClusterSecurityArgs | Bag): ResolvedClusterSecurity {
  const problems: Problem[] = [];
  const args: Bag = isBag(input) ? input : {};
  if (!isBag(input)) problems.push({ key: "args", value: input, message: "expected an object of settings" });
  unknownKeys("", args, KNOWN_KEYS, problems);

  const envRaw = args["environment"];
  if (envRaw === undefined) problems.push({ key: "environment", value: null, message: 'is required: name the environment, e.g. "prod"' });
  const environment = text("environment", envRaw, "env", DNS_LABEL, 30, "a DNS label", problems);

  const nsIn = bag("namespaces", args["namespaces"], problems);
  unknownKeys("namespaces", nsIn, ["app", "ingress", "monitoring", "dns", "mesh"], problems);
  const ns = (k: keyof k8s.KubernetesNamespaces, fallback: string): string => text(`namespaces.${k}`, nsIn[k], fallback, DNS_LABEL, 63, "a DNS label", problems);
  const namespaces: k8s.KubernetesNamespaces = {
    app: ns("app", k8s.defaultAppNamespace(environment)),
    ingress: ns("ingress", DEFAULT_NAMESPACES.ingress),
    monitoring: ns("monitoring", DEFAULT_NAMESPACES.monitoring),
    dns: ns("dns", DEFAULT_NAMESPACES.dns),
    mesh: ns("mesh", DEFAULT_NAMESPACES.mesh),
  };
  for (const other of ["ingress", "monitoring", "dns", "mesh"] as const) {
    if (namespaces[other] === namespaces.app) {
      problems.push({ key: "namespaces.app", value: namespaces.app, message: `is also the ${other} namespace: the application needs a namespace of its own, or its policies would govern ${other} pods` });
    }
  }

  const saIn = bag("serviceAccounts", args["serviceAccounts"], problems);
  const roles = Object.keys(DEFAULT_SERVICE_ACCOUNTS) as ServiceAccountRole[];
  unknownKeys("serviceAccounts", saIn, roles, problems);
  const serviceAccounts = Object.fromEntries(
    roles.map((r) => [r, text(`serviceAccounts.${r}`, saIn[r], DEFAULT_SERVICE_ACCOUNTS[r], DNS_SUBDOMAIN, 253, "a DNS subdomain", problems)]),
  ) as Record<ServiceAccountRole, string>;
  const own = ["app", "mca", "npa", "wpa"] as const;
  own.forEach((r, i) => {
    const twin = own.slice(0, i).find((o) => serviceAccounts[o] === serviceAccounts[r]);
    if (twin !== undefined) {
      problems.push({ key: `serviceAccounts.${r}`, value: serviceAccounts[r], message: `is also serviceAccounts.${twin}: each workload needs its own identity, or authorization cannot tell them apart` });
    }
  });

  const trustDomain = text("trustDomain", args["trustDomain"], DEFAULT_TRUST_DOMAIN, DNS_SUBDOMAIN, 253, "a DNS name such as cluster.local", problems);
  const mesh = bool("mesh", args["mesh"], true, problems);
  const meshWideMtls = bool("meshWideMtls", args["meshWideMtls"], true, problems);

  let jwt: ResolvedClusterSecurity["jwt"];
  const jwtIn = args["jwt"];
  if (jwtIn === undefined) {
    if (mesh) problems.push({ key: "jwt", value: null, message: "is required with the mesh on: give issuer, jwksUri and audiences of the tokens external requests carry" });
  } else {
    const j = bag("jwt", jwtIn, problems);
    unknownKeys("jwt", j, ["issuer", "jwksUri", "audiences"], problems);
    const issuer = j["issuer"];
    const jwksUri = j["jwksUri"];
    const audiences = j["audiences"];
    if (typeof issuer !== "string" || issuer.trim() === "") problems.push({ key: "jwt.issuer", value: issuer ?? null, message: "expected the token issuer (the iss claim), e.g. https://auth.example.com" });
    if (typeof jwksUri !== "string" || !/^https:\/\/[^\s/]+(\/\S*)?$/.test(jwksUri)) {
      problems.push({ key: "jwt.jwksUri", value: jwksUri ?? null, message: "expected an https URL of the issuer's key set; keys fetched over plain http can be swapped in transit" });
    }
    if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((a) => typeof a !== "string" || a === "")) {
      problems.push({ key: "jwt.audiences", value: audiences ?? null, message: 'expected a non-empty list of audiences, e.g. ["progressive-framework-v5"]; without one, tokens minted for other services would pass' });
    }
    jwt = { issuer: String(issuer), jwksUri: String(jwksUri), audiences: Array.isArray(audiences) ? audiences.map(String) : [] };
  }

  const externalPaths = paths("externalPaths", args["externalPaths"], DEFAULT_EXTERNAL_PATHS, problems);
  const publicPaths = paths("publicPaths", args["publicPaths"], DEFAULT_PUBLIC_PATHS, problems);
  publicPaths.forEach((p, i) => {
    const e = externalPaths.find((x) => overlaps(x, p));
    if (e !== undefined) problems.push({ key: `publicPaths[${i}]`, value: p, message: `overlaps the external path "${e}", so it would be reachable without a token: keep public paths outside the external ones` });
  });

  const appEgress = egress(args["appEgress"], problems);

  const installsIn = bag("installs", args["installs"], problems);
  unknownKeys("installs", installsIn, ["istio", "certManager", "falco"], problems);
  const istioVersion = installVersion("installs.istio", installsIn["istio"], CHARTS.istio.version, problems);
  const certManager = installVersion("installs.certManager", installsIn["certManager"], CHARTS.certManager.version, problems);
  const falco = installVersion("installs.falco", installsIn["falco"], CHARTS.falco.version, problems);
  if (istioVersion !== undefined && !mesh) {
    problems.push({ key: "installs.istio", value: installsIn["istio"], message: "installs Istio with mesh off, which leaves the mesh without STRICT mTLS and authorization: set mesh to true or drop the install" });
  }

  throwIfProblems(`ClusterSecurity "${name}"`, problems);
  return {
    environment,
    namespaces,
    serviceAccounts,
    trustDomain,
    mesh,
    meshWideMtls,
    ...(jwt !== undefined ? { jwt } : {}),
    externalPaths,
    publicPaths,
    appEgress,
    installs: {
      ...(istioVersion !== undefined ? { istio: istioVersion } : {}),
      ...(certManager !== undefined ? { certManager } : {}),
      ...(falco !== undefined ? { falco } : {}),
    },
    labels: commonLabels(environment),
  };
}
