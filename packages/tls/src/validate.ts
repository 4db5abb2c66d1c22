/**
 * Checks shared by every part of the package. Each returns problems (never throws) so a
 * caller gathers all of them and fails once.
 */
import type { Problem } from "@pfv5/zones";

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
  if (typeof value !== "string" || !isHostname(value)) {
    return [{ key, value, message: "expected a lower-case DNS name of at least two labels, e.g. example.com" }];
  }
  return [];
}

/** Problems with a set of hosts: each a DNS name, distinct, and under `domain`. */
export function checkHosts(key: string, hosts: HostNames, domain: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const [role, host] of Object.entries(hosts) as [keyof HostNames, string][]) {
    const bad = checkHostname(`${key}.${role}`, host);
    problems.push(...bad);
    if (bad.length > 0) continue;
    if (host !== domain && !host.endsWith(`.${domain}`)) {
      problems.push({ key: `${key}.${role}`, value: host, message: `is not under the domain "${domain}": certificates and the wildcard cover that domain only; use a name under it` });
    }
    const other = seen.get(host);
    if (other !== undefined) {
      problems.push({ key: `${key}.${role}`, value: host, message: `is also the ${other} host: each host needs its own name` });
    }
    seen.set(host, role);
  }
  return problems;
}

/** Problems with an e-mail address (the ACME account contact). */
export function checkEmail(key: string, value: unknown): Problem[] {
  if (typeof value !== "string" || !/^[^\s@"<>]+@[^\s@"<>]+$/.test(value) || !isHostname(value.split("@")[1] ?? "")) {
    return [{ key, value, message: "expected an e-mail address such as admin@example.com; Let's Encrypt sends expiry notices there" }];
  }
  return [];
}

/** Problems with a Kubernetes object name (RFC 1123 subdomain). */
export function checkK8sName(key: string, value: unknown): Problem[] {
  if (typeof value !== "string" || value.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) {
    return [{ key, value, message: "expected a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit" }];
  }
  return [];
}

/** Problems with a TCP port. */
export function checkPort(key: string, value: unknown): Problem[] {
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

/** Problems with an `https://host[:port]` origin. */
export function checkHttpsOrigin(key: string, value: unknown): Problem[] {
  if (typeof value !== "string" || !/^https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/.test(value) || !isHostname(value.slice(8).split(":")[0] ?? "")) {
    return [{ key, value, message: "expected an HTTPS origin without a path, e.g. https://example.com" }];
  }
  return [];
}
