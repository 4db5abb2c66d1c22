/**
 * Validation of the standalone nginx arguments. Every value ends up inside nginx
 * configuration text, so anything that could close a directive or open a block (`;`,
 * braces, quotes, `$`, whitespace) is refused, not escaped.
 */
import { ValidationError, type Problem } from "@pfv5/zones";
import { checkHostname, checkHosts, checkHttpsOrigin, checkPort, checkPositiveInt, resolveHosts, type HostNames } from "../validate";

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

/** Every problem with the site arguments. */
export function checkNginxSiteArgs(args: NginxSiteArgs): Problem[] {
  const problems: Problem[] = [...checkHostname("domain", args.domain)];
  if (problems.length === 0) problems.push(...checkHosts("hosts", resolveHosts(args.domain, args.hosts), args.domain));
  const upstreams = args.upstreams as Partial<NginxUpstreams> | undefined;
  for (const k of ["app", "api", "mca", "npa", "wpa"] as const) problems.push(...checkUpstream(`upstreams.${k}`, upstreams?.[k]));
  if (upstreams?.admin !== undefined) problems.push(...checkUpstream("upstreams.admin", upstreams.admin));
  const cert = args.certificate as Partial<NginxSiteArgs["certificate"]> | undefined;
  for (const k of ["certificatePath", "keyPath", "trustedCertificatePath"] as const) problems.push(...checkPath(`certificate.${k}`, cert?.[k]));
  if (args.acmeWebroot !== undefined) problems.push(...checkPath("acmeWebroot", args.acmeWebroot));
  const addresses = args.listenAddresses;
  if (addresses !== undefined && addresses.length === 0) problems.push({ key: "listenAddresses", value: addresses, message: "is empty: list at least one address, or omit it for all" });
  (addresses ?? []).forEach((a, i) => problems.push(...checkAddress(`listenAddresses[${i}]`, a)));
  if (args.httpPort !== undefined) problems.push(...checkPort("httpPort", args.httpPort));
  if (args.httpsPort !== undefined) problems.push(...checkPort("httpsPort", args.httpsPort));
  if ((args.httpPort ?? 80) === (args.httpsPort ?? 443)) problems.push({ key: "httpsPort", value: args.httpsPort ?? 443, message: "equals httpPort: plain HTTP and TLS need different ports" });
  const resolvers = args.resolvers;
  if (resolvers !== undefined && resolvers.length === 0 && (args.stapling ?? true)) {
    problems.push({ key: "resolvers", value: resolvers, message: "is empty while stapling is on: nginx needs a resolver to reach the OCSP responder" });
  }
  (resolvers ?? []).forEach((r, i) => problems.push(...checkResolver(`resolvers[${i}]`, r)));
  for (const host of ["api", "agents"] as const) {
    const r = args.rateLimits?.[host];
    if (r?.requestsPerMinute !== undefined) problems.push(...checkPositiveInt(`rateLimits.${host}.requestsPerMinute`, r.requestsPerMinute, "a rate"));
    if (r?.burst !== undefined && (!Number.isInteger(r.burst) || r.burst < 0)) {
      problems.push({ key: `rateLimits.${host}.burst`, value: r.burst, message: "expected a whole number of requests, 0 or more" });
    }
  }
  if (args.corsOrigin !== undefined) problems.push(...checkHttpsOrigin("corsOrigin", args.corsOrigin));
  for (const k of ["proxyTimeoutSeconds", "coordinationTimeoutSeconds"] as const) {
    if (args[k] !== undefined) problems.push(...checkPositiveInt(k, args[k], "a timeout in seconds"));
  }
  return problems;
}

/** Every problem with the runtime settings. */
export function checkNginxRuntime(runtime: NginxRuntime): Problem[] {
  const problems: Problem[] = [];
  for (const k of ["pidPath", "errorLogPath", "accessLogPath", "tempDir"] as const) {
    if (runtime[k] !== undefined) problems.push(...checkPath(`runtime.${k}`, runtime[k]));
  }
  if (runtime.user !== undefined && !/^[a-z_][a-z0-9_-]{0,31}$/.test(runtime.user)) {
    problems.push({ key: "runtime.user", value: runtime.user, message: "expected a system user name such as www-data" });
  }
  if (runtime.workerProcesses !== undefined) problems.push(...checkPositiveInt("runtime.workerProcesses", runtime.workerProcesses, "a process count"));
  return problems;
}
