/**
 * Checks shared by every part of the package. Each returns problems (never throws) so a
 * caller gathers all of them and fails once.
 */
import type { Problem } from "@pfv5/zones";
import { isBag, missing, unknownKeys, type Bag } from "./input";

/** The public hosts of the product under one domain. */
export interface HostNames {
  /** The web application, e.g. `example.com`. */
  readonly app: string;
  /** The public API, e.g. `api.example.com`. */
  readonly api: string;
  /** The context agents (MCA, NPA, WPA), e.g. `agents.example.com`. */
  readonly agents: string;
  /** The administration console, e.g. `admin.example.com`. */
  readonly admin: string;
}

/** The hosts the seed uses: the app on the apex, the others one label below it. */
export function defaultHosts(domain: string): HostNames {
  return { app: domain, api: `api.${domain}`, agents: `agents.${domain}`, admin: `admin.${domain}` };
}

/** The hosts with `overrides` applied over the defaults for `domain`. */
export function resolveHosts(domain: string, overrides: Partial<HostNames> | undefined): HostNames {
  return { ...defaultHosts(domain), ...(overrides ?? {}) };
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `value` is a lower-case DNS name of at least two labels (RFC 1123). */
export function isHostname(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1] ?? "");
}

/** Problems with a DNS name argument. */
export function checkHostname(key: string, value: unknown): Problem[] {
  if (value === undefined) return [missing(key, "a lower-case DNS name of at least two labels, e.g. example.com")];
  if (typeof value !== "string" || !isHostname(value)) {
    return [{ key, value, message: "expected a lower-case DNS name of at least two labels, e.g. example.com" }];
  }
  return [];
}

const HOST_ROLES = ["app", "api", "agents", "admin"] as const;

/**
 * Problems with a set of hosts: each a DNS name, distinct, and under `domain`. Names that
 * are not DNS names are reported once, under their own key.
 */
export function checkHosts(key: string, hosts: Readonly<Record<keyof HostNames, unknown>>, domain: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const role of HOST_ROLES) {
    const host = hosts[role];
    const bad = checkHostname(`${key}.${role}`, host);
    problems.push(...bad);
    if (bad.length > 0 || typeof host !== "string") continue;
    if (host !== domain && !host.endsWith(`.${domain}`)) {
      problems.push({ key: `${key}.${role}`, value: host, message: `is not under the domain "${domain}": certificates and the wildcard cover that domain only; use a name under it` });
      continue;
    }
    const other = seen.get(host);
    if (other !== undefined) {
      problems.push({ key: `${key}.${role}`, value: host, message: `is also the ${other} host: each host needs its own name` });
    }
    seen.set(host, role);
  }
  return problems;
}

/**
 * Problems with `domain` and the optional `hosts` overrides as received. Without a valid
 * domain only the overrides given are checked (the defaults derive from the domain, and
 * the domain's own problem is reported once, under `domain`).
 */
export function checkDomainAndHosts(domain: unknown, hosts: unknown): Problem[] {
  const problems = domain === undefined ? [missing("domain", "the domain the hosts live under, as a lower-case DNS name, e.g. example.com")] : checkHostname("domain", domain);
  if (hosts !== undefined && !isBag(hosts)) {
    problems.push({ key: "hosts", value: hosts, message: `expected an object of host names by role, e.g. { app: "www.example.com" } (roles: ${HOST_ROLES.join(", ")})` });
    return problems;
  }
  const given: Bag = hosts ?? {};
  unknownKeys("hosts", given, HOST_ROLES, problems);
  if (typeof domain === "string" && problems.every((p) => p.key !== "domain")) {
    const defaults = defaultHosts(domain);
    const resolved = Object.fromEntries(HOST_ROLES.map((r) => [r, given[r] !== undefined ? given[r] : defaults[r]])) as Record<keyof HostNames, unknown>;
    problems.push(...checkHosts("hosts", resolved, domain));
  } else {
    for (const r of HOST_ROLES) if (given[r] !== undefined) problems.push(...checkHostname(`hosts.${r}`, given[r]));
  }
  return problems;
}

/** Problems with an e-mail address (the ACME account contact). */
export function checkEmail(key: string, value: unknown): Problem[] {
  if (value === undefined) return [missing(key, "the e-mail address of the ACME account, e.g. admin@example.com; Let's Encrypt sends expiry notices there")];
  if (typeof value !== "string" || !/^[^\s@"<>]+@[^\s@"<>]+$/.test(value) || !isHostname(value.split("@")[1] ?? "")) {
    return [{ key, value, message: "expected an e-mail address such as admin@example.com; Let's Encrypt sends expiry notices there" }];
  }
  return [];
}

/** Problems with a Kubernetes object name (RFC 1123 subdomain). */
export function checkK8sName(key: string, value: unknown): Problem[] {
  if (value === undefined) return [missing(key, "a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit")];
  if (typeof value !== "string" || value.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) {
    return [{ key, value, message: "expected a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit" }];
  }
  return [];
}

/** Problems with a TCP port. */
export function checkPort(key: string, value: unknown): Problem[] {
  if (value === undefined) return [missing(key, "a port number from 1 to 65535")];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    return [{ key, value, message: "expected a port number from 1 to 65535" }];
  }
  return [];
}

/** Problems with a positive whole number. */
export function checkPositiveInt(key: string, value: unknown, what: string): Problem[] {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    return [{ key, value, message: `expected ${what} as a whole number of at least 1` }];
  }
  return [];
}

/** A Route 53 hosted zone id, e.g. `Z0123456789ABCDEFGHIJ`. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

/**
 * The settings of `AcmeCertificates` and of `IngressEdge`. The two serve the same hosts
 * and are usually configured from one object (a stack's TLS config), so each check lets
 * the other's settings through and leaves them to the other; a key neither knows is
 * reported, with the same words from both, so it reads once.
 */
export const ACME_CERTIFICATES_KEYS = [
  "domain", "hosts", "email", "namespace", "ingressClassName", "route53", "wildcard", "use", "production", "staging",
  "certificateName", "wildcardCertificateName", "duration", "renewBefore", "certManagerRelease", "dependsOn",
] as const;
export const INGRESS_EDGE_KEYS = [
  "domain", "hosts", "namespace", "backends", "tlsSecretName", "ingressClassName", "corsOrigin", "rateLimits",
  "proxyTimeoutSeconds", "coordinationTimeoutSeconds", "ingressControllerRelease", "dependsOn",
] as const;

/** Problems with the top-level keys of `AcmeCertificates` or `IngressEdge` arguments. */
export function unknownSiteKeys(input: Bag, known: readonly string[], problems: Problem[]): void {
  const sibling = [...ACME_CERTIFICATES_KEYS, ...INGRESS_EDGE_KEYS].filter((k) => !known.includes(k));
  unknownKeys("", input, known, problems, {
    alsoAccepted: sibling,
    listing: `AcmeCertificates takes ${ACME_CERTIFICATES_KEYS.join(", ")}; IngressEdge takes ${INGRESS_EDGE_KEYS.join(", ")}`,
  });
}

/** Problems with an `https://host[:port]` origin. */
export function checkHttpsOrigin(key: string, value: unknown): Problem[] {
  if (typeof value !== "string" || !/^https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/.test(value) || !isHostname(value.slice(8).split(":")[0] ?? "")) {
    return [{ key, value, message: "expected an HTTPS origin without a path, e.g. https://example.com" }];
  }
  return [];
}
