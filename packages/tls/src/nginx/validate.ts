/**
 * Validation of the standalone nginx arguments. Every value ends up inside nginx
 * configuration text, so anything that could close a directive or open a block (`;`,
 * braces, quotes, `$`, whitespace) is refused, not escaped.
 */
import { ValidationError, type Problem } from "@pfv5/zones";
import { bagAt, checkBoolean, isBag, listAt, missing, unknownKeys } from "../input";
import { checkDomainAndHosts, checkHttpsOrigin, checkPort, checkPositiveInt, type HostNames } from "../validate";

/** The one error the renderer throws, listing every problem with its arguments. */
export class NginxConfigError extends ValidationError {
  constructor(problems: readonly Problem[]) {
    super("nginx site configuration", problems);
    this.name = "NginxConfigError";
  }
}

export interface NginxRateLimit {
  readonly requestsPerMinute: number;
  readonly burst: number;
}

export interface NginxUpstreams {
  /** `host:port`, `ip:port`, `[ipv6]:port` or `unix:/path`; the web app. */
  readonly app: string;
  readonly api: string;
  /** The coordination agent (MCA). */
  readonly mca: string;
  readonly npa: string;
  readonly wpa: string;
  /** The admin console; without it the admin host gets no server block. */
  readonly admin?: string;
}

export interface NginxSiteArgs {
  /** The domain the hosts live under, e.g. `example.com`. */
  readonly domain: string;
  /** @default app on the apex, `api.`, `agents.`, `admin.` below it */
  readonly hosts?: Partial<HostNames>;
  readonly upstreams: NginxUpstreams;
  /** Absolute paths of the certificate files. */
  readonly certificate: {
    /** The certificate followed by its intermediate (`ssl_certificate`). */
    readonly certificatePath: string;
    readonly keyPath: string;
    /** The intermediate and root, to verify stapled OCSP answers (`ssl_trusted_certificate`). */
    readonly trustedCertificatePath: string;
  };
  /** Where ACME clients (certbot --webroot) write challenge files. @default "/var/www/certbot" */
  readonly acmeWebroot?: string;
  /** Addresses to listen on; `*` for all IPv4 addresses, `[::]` for IPv6. @default ["*"] */
  readonly listenAddresses?: readonly string[];
  /** @default 80 */
  readonly httpPort?: number;
  /** @default 443 */
  readonly httpsPort?: number;
  /**
   * OCSP stapling. nginx logs a warning and staples nothing when a certificate names no
   * OCSP responder (Let's Encrypt announced the end of its OCSP service in 2025).
   * @default true
   */
  readonly stapling?: boolean;
  /** DNS resolvers nginx uses to reach the OCSP responder. @default ["10.0.0.2"] (the VPC resolver) */
  readonly resolvers?: readonly string[];
  /** @default api 100/min burst 20, agents 200/min burst 50 (RATE_LIMITS) */
  readonly rateLimits?: { readonly api?: Partial<NginxRateLimit>; readonly agents?: Partial<NginxRateLimit> };
  /** The only origin the API answers CORS for. @default `https://${hosts.app}` */
  readonly corsOrigin?: string;
  /** @default 60 (PROXY_TIMEOUT_SECONDS) */
  readonly proxyTimeoutSeconds?: number;
  /** @default 90 (COORDINATION_TIMEOUT_SECONDS) */
  readonly coordinationTimeoutSeconds?: number;
  /**
   * Render `http2 on;` (nginx 1.25.1 and later) instead of the `http2` listen parameter,
   * which newer versions still accept with a deprecation warning. @default false
   */
  readonly http2Directive?: boolean;
}

/** Process-level settings for a full nginx.conf. */
export interface NginxRuntime {
  /** @default "/run/nginx.pid" */
  readonly pidPath?: string;
  /** @default "/var/log/nginx/error.log" */
  readonly errorLogPath?: string;
  /** @default "/var/log/nginx/access.log" */
  readonly accessLogPath?: string;
  /** A directory for request-body and proxy buffers; the compiled-in paths when omitted. */
  readonly tempDir?: string;
  /** @default "www-data" (Debian's nginx user); ignored when nginx does not start as root */
  readonly user?: string;
  /** @default 1 */
  readonly workerProcesses?: number;
  /** Stay in the foreground (for a supervisor or a test). @default false */
  readonly foreground?: boolean;
}

const UNSAFE = /[\s;{}"'`$#\\]/;

export function checkPath(key: string, value: unknown): Problem[] {
  if (typeof value !== "string" || !value.startsWith("/") || UNSAFE.test(value) || value.includes("..")) {
    return [{ key, value, message: "expected an absolute path without spaces, quotes, ';', '{', '}', '$', '#' or '..'" }];
  }
  return [];
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
const IPV6_BRACKETED = /^\[[0-9a-fA-F:.]+\]$/;
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function checkUpstream(key: string, value: unknown): Problem[] {
  const fail = [{ key, value, message: "expected host:port (a name, an IPv4 address or [IPv6]) or unix:/absolute/path" }];
  if (typeof value !== "string") return fail;
  if (value.startsWith("unix:")) return checkPath(key, value.slice(5)).length === 0 ? [] : fail;
  const i = value.lastIndexOf(":");
  const host = value.slice(0, i);
  const port = Number(value.slice(i + 1));
  if (i <= 0 || !/^[0-9]{1,5}$/.test(value.slice(i + 1)) || port < 1 || port > 65535) return fail;
  return IPV4.test(host) || IPV6_BRACKETED.test(host) || NAME.test(host) ? [] : fail;
}

function checkAddress(key: string, value: unknown): Problem[] {
  if (typeof value === "string" && (value === "*" || IPV4.test(value) || IPV6_BRACKETED.test(value))) return [];
  return [{ key, value, message: "expected \"*\", an IPv4 address or a bracketed IPv6 address such as [::]" }];
}

function checkResolver(key: string, value: unknown): Problem[] {
  if (typeof value === "string") {
    const m = /^(.*?)(:([0-9]{1,5}))?$/.exec(value);
    const host = m?.[1] ?? "";
    if (IPV4.test(host) || IPV6_BRACKETED.test(host)) return [];
  }
  return [{ key, value, message: "expected a resolver IP address (IPv6 in brackets), optionally with :port" }];
}

/** The settings of the standalone nginx site and of its runtime. */
export const NGINX_SITE_KEYS = [
  "domain", "hosts", "upstreams", "certificate", "acmeWebroot", "listenAddresses", "httpPort", "httpsPort", "stapling",
  "resolvers", "rateLimits", "corsOrigin", "proxyTimeoutSeconds", "coordinationTimeoutSeconds", "http2Directive",
] as const;
export const NGINX_RUNTIME_KEYS = ["pidPath", "errorLogPath", "accessLogPath", "tempDir", "user", "workerProcesses", "foreground"] as const;

const UPSTREAMS = ["app", "api", "mca", "npa", "wpa"] as const;

function checkUpstreams(value: unknown, problems: Problem[]): void {
  const example = '{ app: "127.0.0.1:3000", api: "127.0.0.1:3001", mca: ..., npa: ..., wpa: ... }';
  if (value === undefined) {
    problems.push(missing("upstreams", `the address behind ${UPSTREAMS.join(", ")} (admin optional), e.g. ${example}`));
    return;
  }
  const upstreams = bagAt("upstreams", value, example, problems);
  if (upstreams === undefined) return;
  unknownKeys("upstreams", upstreams, [...UPSTREAMS, "admin"], problems);
  for (const k of UPSTREAMS) problems.push(...checkUpstream(`upstreams.${k}`, upstreams[k]));
  if (upstreams.admin !== undefined) problems.push(...checkUpstream("upstreams.admin", upstreams.admin));
}

function checkCertificatePaths(value: unknown, problems: Problem[]): void {
  const paths = ["certificatePath", "keyPath", "trustedCertificatePath"] as const;
  const example = '{ certificatePath: "/etc/ssl/site/fullchain.pem", keyPath: "/etc/ssl/site/key.pem", trustedCertificatePath: "/etc/ssl/site/chain.pem" }';
  if (value === undefined) {
    problems.push(missing("certificate", `the certificate file paths, e.g. ${example}`));
    return;
  }
  const cert = bagAt("certificate", value, example, problems);
  if (cert === undefined) return;
  unknownKeys("certificate", cert, paths, problems);
  for (const k of paths) problems.push(...checkPath(`certificate.${k}`, cert[k]));
}

function checkList(key: string, value: unknown, example: string, each: (key: string, value: unknown) => Problem[], problems: Problem[]): readonly unknown[] | undefined {
  const list = listAt(key, value, example, problems);
  (list ?? []).forEach((v, i) => problems.push(...each(`${key}[${i}]`, v)));
  return list;
}

function checkNginxRateLimits(value: unknown, problems: Problem[]): void {
  const limits = bagAt("rateLimits", value, "{ api: { requestsPerMinute: 100, burst: 20 } }", problems);
  if (limits === undefined) return;
  unknownKeys("rateLimits", limits, ["api", "agents"], problems);
  for (const host of ["api", "agents"] as const) {
    const r = bagAt(`rateLimits.${host}`, limits[host], "{ requestsPerMinute: 100, burst: 20 }", problems);
    if (r === undefined) continue;
    unknownKeys(`rateLimits.${host}`, r, ["requestsPerMinute", "burst"], problems);
    if (r.requestsPerMinute !== undefined) problems.push(...checkPositiveInt(`rateLimits.${host}.requestsPerMinute`, r.requestsPerMinute, "a rate"));
    const burst = r.burst;
    if (burst !== undefined && (typeof burst !== "number" || !Number.isInteger(burst) || burst < 0)) {
      problems.push({ key: `rateLimits.${host}.burst`, value: burst, message: "expected a whole number of requests, 0 or more" });
    }
  }
}

/**
 * Every problem with the site arguments, as received: a missing or wrongly typed setting
 * is a problem here, never an exception.
 */
export function checkNginxSiteArgs(args: unknown): Problem[] {
  if (!isBag(args)) return [{ key: "args", value: args, message: "expected an object of nginx site settings: domain, upstreams and certificate at least" }];
  const problems: Problem[] = [];
  unknownKeys("", args, NGINX_SITE_KEYS, problems);
  problems.push(...checkDomainAndHosts(args.domain, args.hosts));
  checkUpstreams(args.upstreams, problems);
  checkCertificatePaths(args.certificate, problems);
  if (args.acmeWebroot !== undefined) problems.push(...checkPath("acmeWebroot", args.acmeWebroot));
  const addresses = checkList("listenAddresses", args.listenAddresses, '["*", "[::]"]', checkAddress, problems);
  if (addresses !== undefined && addresses.length === 0) problems.push({ key: "listenAddresses", value: addresses, message: "is empty: list at least one address, or omit it for all" });
  if (args.httpPort !== undefined) problems.push(...checkPort("httpPort", args.httpPort));
  if (args.httpsPort !== undefined) problems.push(...checkPort("httpsPort", args.httpsPort));
  const httpPort = args.httpPort === undefined ? 80 : args.httpPort;
  const httpsPort = args.httpsPort === undefined ? 443 : args.httpsPort;
  if (checkPort("httpPort", httpPort).length === 0 && checkPort("httpsPort", httpsPort).length === 0 && httpPort === httpsPort) {
    problems.push({ key: "httpsPort", value: httpsPort, message: "equals httpPort: plain HTTP and TLS need different ports" });
  }
  problems.push(...checkBoolean("stapling", args.stapling));
  const resolvers = checkList("resolvers", args.resolvers, '["10.0.0.2"]', checkResolver, problems);
  if (resolvers !== undefined && resolvers.length === 0 && args.stapling !== false) {
    problems.push({ key: "resolvers", value: resolvers, message: "is empty while stapling is on: nginx needs a resolver to reach the OCSP responder" });
  }
  checkNginxRateLimits(args.rateLimits, problems);
  if (args.corsOrigin !== undefined) problems.push(...checkHttpsOrigin("corsOrigin", args.corsOrigin));
  for (const k of ["proxyTimeoutSeconds", "coordinationTimeoutSeconds"] as const) {
    if (args[k] !== undefined) problems.push(...checkPositiveInt(k, args[k], "a timeout in seconds"));
  }
  problems.push(...checkBoolean("http2Directive", args.http2Directive));
  return problems;
}

/** Every problem with the runtime settings, as received. */
export function checkNginxRuntime(runtime: unknown): Problem[] {
  if (runtime === undefined) return [];
  if (!isBag(runtime)) return [{ key: "runtime", value: runtime, message: 'expected an object of runtime settings, e.g. { pidPath: "/run/nginx.pid" }' }];
  const problems: Problem[] = [];
  unknownKeys("runtime", runtime, NGINX_RUNTIME_KEYS, problems);
  for (const k of ["pidPath", "errorLogPath", "accessLogPath", "tempDir"] as const) {
    if (runtime[k] !== undefined) problems.push(...checkPath(`runtime.${k}`, runtime[k]));
  }
  const user = runtime.user;
  if (user !== undefined && (typeof user !== "string" || !/^[a-z_][a-z0-9_-]{0,31}$/.test(user))) {
    problems.push({ key: "runtime.user", value: user, message: "expected a system user name such as www-data" });
  }
  if (runtime.workerProcesses !== undefined) problems.push(...checkPositiveInt("runtime.workerProcesses", runtime.workerProcesses, "a process count"));
  problems.push(...checkBoolean("runtime.foreground", runtime.foreground));
  return problems;
}
