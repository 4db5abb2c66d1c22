/**
 * The ingress-nginx edge as plain values: the controller settings (a values object for
 * the ingress-nginx Helm chart) and one Ingress spec per host and timeout class.
 *
 * ingress-nginx applies rate-limit and timeout annotations to a whole Ingress, so the
 * coordination agent's longer timeout needs an Ingress of its own.
 */
import { throwIfProblems, type Problem } from "@pfv5/zones";
import {
  ACME_CHALLENGE_PATH, AGENT_PATHS, API_PATH, CORS_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS,
  COORDINATION_TIMEOUT_SECONDS, HSTS_MAX_AGE_SECONDS, PROXY_TIMEOUT_SECONDS,
  RATE_LIMITS, RATE_LIMIT_STATUS, SECURITY_HEADERS, TLS_CIPHERS, TLS_PROTOCOLS,
} from "../defaults";
import { bagAt, isBag, missing, unknownKeys } from "../input";
import {
  checkDomainAndHosts, checkHttpsOrigin, checkK8sName, checkPort, checkPositiveInt, INGRESS_EDGE_KEYS, resolveHosts,
  unknownSiteKeys, type HostNames,
} from "../validate";

const ANNOTATION = "nginx.ingress.kubernetes.io";

/**
 * ingress-nginx computes a limit's burst as the rate times an integer multiplier, so the
 * seed's bursts (20 on 100/min, 50 on 200/min) cannot be expressed exactly; 1, the
 * smallest multiplier, allows a burst equal to the per-minute rate. The standalone nginx
 * renderer keeps the exact bursts.
 */
export const DEFAULT_BURST_MULTIPLIER = 1;

/** The controller ConfigMap settings (`controller.config` in the Helm chart). */
export function ingressNginxConfig(): Record<string, string> {
  return {
    "ssl-protocols": TLS_PROTOCOLS.join(" "),
    "ssl-ciphers": TLS_CIPHERS.join(":"),
    "ssl-session-timeout": "1d",
    "ssl-session-cache-size": "50m",
    "ssl-session-tickets": "false",
    hsts: "true",
    "hsts-max-age": String(HSTS_MAX_AGE_SECONDS),
    "hsts-include-subdomains": "true",
    "hsts-preload": "false",
    "ssl-redirect": "true",
    "force-ssl-redirect": "true",
    // The default already, stated so the exemption for ACME http-01 is visible and kept.
    "no-tls-redirect-locations": ACME_CHALLENGE_PATH.replace(/\/$/, ""),
    "http-redirect-code": "301",
    "limit-req-status-code": String(RATE_LIMIT_STATUS),
    "server-tokens": "false",
    "hide-headers": "X-Powered-By,Server",
    // Snippet annotations let anyone who can write an Ingress inject nginx configuration.
    "allow-snippet-annotations": "false",
  };
}

/**
 * The values for the ingress-nginx Helm chart. `controller.addHeaders` makes the chart
 * create the headers ConfigMap and point the `add-headers` setting at it.
 */
export function ingressNginxValues(): { controller: { config: Record<string, string>; addHeaders: Record<string, string> } } {
  return { controller: { config: ingressNginxConfig(), addHeaders: { ...SECURITY_HEADERS } } };
}

/** A Service the Ingress routes to. */
export interface IngressBackend {
  readonly service: string;
  readonly port: number;
}

export interface IngressBackends {
  readonly app: IngressBackend;
  readonly api: IngressBackend;
  readonly mca: IngressBackend;
  readonly npa: IngressBackend;
  readonly wpa: IngressBackend;
  /** The admin console; without it the admin host gets no Ingress. */
  readonly admin?: IngressBackend;
}

export interface RateLimit {
  readonly requestsPerMinute: number;
  readonly burstMultiplier: number;
}

export interface IngressPlanInput {
  readonly domain: string;
  readonly hosts?: Partial<HostNames>;
  readonly namespace: string;
  readonly backends: IngressBackends;
  readonly tlsSecretName: string;
  readonly ingressClassName?: string;
  readonly corsOrigin?: string;
  readonly rateLimits?: { readonly api?: Partial<RateLimit>; readonly agents?: Partial<RateLimit> };
  readonly proxyTimeoutSeconds?: number;
  readonly coordinationTimeoutSeconds?: number;
}

export interface IngressPath {
  readonly path: string;
  readonly pathType: "Prefix" | "ImplementationSpecific";
  readonly backend: IngressBackend;
}

export interface IngressPlan {
  /** The Ingress name and the suffix of its logical name. */
  readonly name: string;
  readonly host: string;
  readonly annotations: Record<string, string>;
  readonly paths: readonly IngressPath[];
}

const REQUIRED_BACKENDS = ["app", "api", "mca", "npa", "wpa"] as const;
const BACKEND_EXAMPLE = '{ service: "web", port: 80 }';

function checkBackend(key: string, value: unknown, problems: Problem[]): void {
  if (value === undefined) {
    problems.push(missing(key, `the Service behind it, e.g. ${BACKEND_EXAMPLE}`));
    return;
  }
  const b = bagAt(key, value, BACKEND_EXAMPLE, problems);
  if (b === undefined) return;
  unknownKeys(key, b, ["service", "port"], problems);
  problems.push(...checkK8sName(`${key}.service`, b.service), ...checkPort(`${key}.port`, b.port));
}

function checkBackends(value: unknown, problems: Problem[]): void {
  const example = `{ app: ${BACKEND_EXAMPLE}, api: ..., mca: ..., npa: ..., wpa: ... }`;
  if (value === undefined) {
    problems.push(missing("backends", `the Services behind ${REQUIRED_BACKENDS.join(", ")} (admin optional), e.g. ${example}`));
    return;
  }
  const b = bagAt("backends", value, example, problems);
  if (b === undefined) return;
  unknownKeys("backends", b, [...REQUIRED_BACKENDS, "admin"], problems);
  for (const k of REQUIRED_BACKENDS) checkBackend(`backends.${k}`, b[k], problems);
  if (b.admin !== undefined) checkBackend("backends.admin", b.admin, problems);
}

function checkRateLimits(value: unknown, problems: Problem[]): void {
  const limits = bagAt("rateLimits", value, "{ api: { requestsPerMinute: 100, burstMultiplier: 1 } }", problems);
  if (limits === undefined) return;
  unknownKeys("rateLimits", limits, ["api", "agents"], problems);
  for (const host of ["api", "agents"] as const) {
    const r = bagAt(`rateLimits.${host}`, limits[host], "{ requestsPerMinute: 100, burstMultiplier: 1 }", problems);
    if (r === undefined) continue;
    unknownKeys(`rateLimits.${host}`, r, ["requestsPerMinute", "burstMultiplier"], problems);
    if (r.requestsPerMinute !== undefined) problems.push(...checkPositiveInt(`rateLimits.${host}.requestsPerMinute`, r.requestsPerMinute, "a rate"));
    if (r.burstMultiplier !== undefined) problems.push(...checkPositiveInt(`rateLimits.${host}.burstMultiplier`, r.burstMultiplier, "a multiplier (ingress-nginx takes integers only)"));
  }
}

/**
 * Every problem with the ingress arguments, as received: a missing or wrongly typed
 * setting is a problem here, never an exception.
 */
export function checkIngressInput(input: unknown): Problem[] {
  if (!isBag(input)) {
    return [{ key: "args", value: input, message: "expected an object of IngressEdge settings: domain, namespace, tlsSecretName and backends at least" }];
  }
  const problems: Problem[] = [];
  unknownSiteKeys(input, INGRESS_EDGE_KEYS, problems);
  problems.push(...checkDomainAndHosts(input.domain, input.hosts), ...checkK8sName("namespace", input.namespace));
  checkBackends(input.backends, problems);
  problems.push(...checkK8sName("tlsSecretName", input.tlsSecretName));
  if (input.ingressClassName !== undefined) problems.push(...checkK8sName("ingressClassName", input.ingressClassName));
  if (input.corsOrigin !== undefined) problems.push(...checkHttpsOrigin("corsOrigin", input.corsOrigin));
  checkRateLimits(input.rateLimits, problems);
  for (const k of ["proxyTimeoutSeconds", "coordinationTimeoutSeconds"] as const) {
    const v = input[k];
    if (v !== undefined) problems.push(...checkPositiveInt(k, v, "a timeout in seconds"));
  }
  return problems;
}

function timeouts(seconds: number): Record<string, string> {
  return {
    [`${ANNOTATION}/proxy-connect-timeout`]: String(seconds),
    [`${ANNOTATION}/proxy-send-timeout`]: String(seconds),
    [`${ANNOTATION}/proxy-read-timeout`]: String(seconds),
  };
}

function rateLimit(r: RateLimit): Record<string, string> {
  return {
    [`${ANNOTATION}/limit-rpm`]: String(r.requestsPerMinute),
    [`${ANNOTATION}/limit-burst-multiplier`]: String(r.burstMultiplier),
  };
}

/**
 * Agent paths are regular expressions so the prefix can be cut before the request
 * reaches the agent (what the seed's `proxy_pass http://agent/;` does).
 */
function agentPath(prefix: string, backend: IngressBackend): IngressPath {
  return { path: `${prefix.replace(/\/$/, "")}(/|$)(.*)`, pathType: "ImplementationSpecific", backend };
}

/** The Ingress specs for valid input; throws one error listing every problem. */
export function planIngress(input: IngressPlanInput): IngressPlan[] {
  throwIfProblems("IngressEdge", checkIngressInput(input));
  const hosts = resolveHosts(input.domain, input.hosts);
  const proxy = input.proxyTimeoutSeconds ?? PROXY_TIMEOUT_SECONDS;
  const coordination = input.coordinationTimeoutSeconds ?? COORDINATION_TIMEOUT_SECONDS;
  const api: RateLimit = {
    requestsPerMinute: input.rateLimits?.api?.requestsPerMinute ?? RATE_LIMITS.api.requestsPerMinute,
    burstMultiplier: input.rateLimits?.api?.burstMultiplier ?? DEFAULT_BURST_MULTIPLIER,
  };
  const agents: RateLimit = {
    requestsPerMinute: input.rateLimits?.agents?.requestsPerMinute ?? RATE_LIMITS.agents.requestsPerMinute,
    burstMultiplier: input.rateLimits?.agents?.burstMultiplier ?? DEFAULT_BURST_MULTIPLIER,
  };
  const rewrite = { [`${ANNOTATION}/use-regex`]: "true", [`${ANNOTATION}/rewrite-target`]: "/$2" };
  const plans: IngressPlan[] = [
    { name: "app", host: hosts.app, annotations: timeouts(proxy), paths: [{ path: "/", pathType: "Prefix", backend: input.backends.app }] },
    {
      name: "api",
      host: hosts.api,
      annotations: {
        ...timeouts(proxy),
        ...rateLimit(api),
        // CORS on the API host only, for the app's origin only.
        [`${ANNOTATION}/enable-cors`]: "true",
        [`${ANNOTATION}/cors-allow-origin`]: input.corsOrigin ?? `https://${hosts.app}`,
        [`${ANNOTATION}/cors-allow-methods`]: CORS_METHODS.join(", "),
        [`${ANNOTATION}/cors-allow-headers`]: CORS_HEADERS.join(", "),
        [`${ANNOTATION}/cors-max-age`]: String(CORS_MAX_AGE_SECONDS),
        // ingress-nginx allows credentials unless told otherwise.
        [`${ANNOTATION}/cors-allow-credentials`]: "false",
      },
      paths: [{ path: API_PATH, pathType: "Prefix", backend: input.backends.api }],
    },
    { name: "agents-coordination", host: hosts.agents, annotations: { ...timeouts(coordination), ...rateLimit(agents), ...rewrite }, paths: [agentPath(AGENT_PATHS.mca, input.backends.mca)] },
    {
      name: "agents",
      host: hosts.agents,
      annotations: { ...timeouts(proxy), ...rateLimit(agents), ...rewrite },
      paths: [agentPath(AGENT_PATHS.npa, input.backends.npa), agentPath(AGENT_PATHS.wpa, input.backends.wpa)],
    },
  ];
  if (input.backends.admin !== undefined) {
    plans.push({ name: "admin", host: hosts.admin, annotations: timeouts(proxy), paths: [{ path: "/", pathType: "Prefix", backend: input.backends.admin }] });
  }
  return plans;
}
