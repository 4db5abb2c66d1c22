/**
 * A pure renderer of the standalone TLS edge for hosts that run nginx themselves (the
 * seed's `nginx/conf.d/ssl.conf`, corrected):
 *
 * - `limit_req_zone` lives in the `http` context; nginx refuses it inside `server`.
 * - The HTTP redirect keeps the requested host (`$host`), not the first `server_name`.
 * - Stapling has a `resolver` and an `ssl_trusted_certificate` to verify answers with.
 * - TLS settings sit in every server block, the default ones included: with SNI, nginx
 *   takes the protocol versions from the default server of the listening socket.
 *
 * `renderNginxSite` returns http-context text: on Debian put it in /etc/nginx/conf.d/,
 * which nginx.conf includes inside `http {}`. `renderNginxConf` wraps it in a complete
 * nginx.conf for hosts (and tests) that run nginx with this configuration alone.
 */
import { VPC_DNS_RESOLVER } from "@pfv5/zones";
import {
  ACME_CHALLENGE_PATH, AGENT_PATHS, API_PATH, CORS_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS,
  COORDINATION_TIMEOUT_SECONDS, HSTS_HEADER_VALUE, PROXY_TIMEOUT_SECONDS, RATE_LIMITS, RATE_LIMIT_STATUS,
  SECURITY_HEADERS, TLS_CIPHERS, TLS_PROTOCOLS,
} from "../defaults";
import { resolveHosts, type HostNames } from "../validate";
import { checkNginxRuntime, checkNginxSiteArgs, NginxConfigError, type NginxRateLimit, type NginxRuntime, type NginxSiteArgs } from "./validate";

export const DEFAULT_ACME_WEBROOT = "/var/www/certbot";
/** The shared TLS session cache; named so it cannot clash with a cache of another size. */
export const TLS_SESSION_CACHE = "shared:pfv5_tls:50m";

interface Resolved {
  readonly hosts: HostNames;
  readonly args: NginxSiteArgs;
  readonly addresses: readonly string[];
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly api: NginxRateLimit;
  readonly agents: NginxRateLimit;
  readonly proxy: number;
  readonly coordination: number;
}

function resolve(args: NginxSiteArgs): Resolved {
  const problems = checkNginxSiteArgs(args);
  if (problems.length > 0) throw new NginxConfigError(problems);
  return {
    hosts: resolveHosts(args.domain, args.hosts),
    args,
    addresses: args.listenAddresses ?? ["*"],
    httpPort: args.httpPort ?? 80,
    httpsPort: args.httpsPort ?? 443,
    api: { ...RATE_LIMITS.api, ...(args.rateLimits?.api ?? {}) },
    agents: { ...RATE_LIMITS.agents, ...(args.rateLimits?.agents ?? {}) },
    proxy: args.proxyTimeoutSeconds ?? PROXY_TIMEOUT_SECONDS,
    coordination: args.coordinationTimeoutSeconds ?? COORDINATION_TIMEOUT_SECONDS,
  };
}

function listen(r: Resolved, port: number, params: string): string[] {
  return r.addresses.map((a) => `listen ${a === "*" ? "" : `${a}:`}${port}${params};`);
}

function block(head: string, lines: readonly string[], indent = "    "): string[] {
  return [`${head} {`, ...lines.map((l) => (l === "" ? "" : `${indent}${l}`)), "}"];
}

function tlsSettings(): string[] {
  return [
    `ssl_protocols ${TLS_PROTOCOLS.join(" ")};`,
    `ssl_ciphers ${TLS_CIPHERS.join(":")};`,
    // With only AEAD suites on offer, the client may pick the one its hardware is fast at.
    "ssl_prefer_server_ciphers off;",
  ];
}

function certificateSettings(r: Resolved): string[] {
  const c = r.args.certificate;
  const lines = [
    `ssl_certificate ${c.certificatePath};`,
    `ssl_certificate_key ${c.keyPath};`,
    ...tlsSettings(),
    "ssl_session_timeout 1d;",
    `ssl_session_cache ${TLS_SESSION_CACHE};`,
    // Ticket keys that never rotate would undo forward secrecy.
    "ssl_session_tickets off;",
  ];
  if (r.args.stapling ?? true) {
    lines.push(
      "ssl_stapling on;",
      "ssl_stapling_verify on;",
      `ssl_trusted_certificate ${c.trustedCertificatePath};`,
      `resolver ${(r.args.resolvers ?? [VPC_DNS_RESOLVER]).join(" ")} valid=300s;`,
      "resolver_timeout 5s;",
    );
  }
  return lines;
}

function headers(): string[] {
  return [
    `add_header Strict-Transport-Security "${HSTS_HEADER_VALUE}" always;`,
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `add_header ${k} "${v}" always;`),
  ];
}

function proxy(upstream: string, uri: string, seconds: number): string[] {
  return [
    `proxy_pass http://${upstream}${uri};`,
    "proxy_set_header Host $host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    "proxy_hide_header X-Powered-By;",
    `proxy_connect_timeout ${seconds}s;`,
    `proxy_send_timeout ${seconds}s;`,
    `proxy_read_timeout ${seconds}s;`,
  ];
}

function httpsServer(r: Resolved, host: string, body: readonly string[]): string[] {
  const h2 = r.args.http2Directive ?? false;
  return block("server", [
    ...listen(r, r.httpsPort, h2 ? " ssl" : " ssl http2"),
    ...(h2 ? ["http2 on;"] : []),
    `server_name ${host};`,
    "server_tokens off;",
    ...certificateSettings(r),
    ...headers(),
    ...body,
  ]);
}

/** The upstream name nginx uses for one backend. */
function upstreamName(key: string): string {
  return `pfv5_${key}`;
}

/** The http-context part: rate-limit zones and upstreams. */
export function renderNginxHttpContext(args: NginxSiteArgs): string {
  const r = resolve(args);
  const up = r.args.upstreams;
  const lines = [
    "# Rate-limit zones belong to the http context; per client address.",
    `limit_req_zone $binary_remote_addr zone=api_limit:10m rate=${r.api.requestsPerMinute}r/m;`,
    `limit_req_zone $binary_remote_addr zone=agents_limit:10m rate=${r.agents.requestsPerMinute}r/m;`,
    "",
  ];
  for (const [key, target] of Object.entries(up) as [string, string | undefined][]) {
    if (target !== undefined) lines.push(...block(`upstream ${upstreamName(key)}`, [`server ${target};`]), "");
  }
  return lines.join("\n");
}

/** The server blocks. */
export function renderNginxServers(args: NginxSiteArgs): string {
  const r = resolve(args);
  const { hosts } = r;
  const up = r.args.upstreams;
  const names = [hosts.app, hosts.api, hosts.agents, ...(up.admin !== undefined ? [hosts.admin] : [])];
  const notFound = block("location /", ["return 404;"]);
  const cors = [
    `add_header Access-Control-Allow-Origin "${r.args.corsOrigin ?? `https://${hosts.app}`}" always;`,
    `add_header Access-Control-Allow-Methods "${CORS_METHODS.join(", ")}" always;`,
    `add_header Access-Control-Allow-Headers "${CORS_HEADERS.join(", ")}" always;`,
    `add_header Access-Control-Max-Age ${CORS_MAX_AGE_SECONDS} always;`,
    "add_header Vary Origin always;",
  ];
  const limit = (zone: string, l: NginxRateLimit) => [`limit_req zone=${zone} burst=${l.burst} nodelay;`, `limit_req_status ${RATE_LIMIT_STATUS};`];
  const agent = (path: string, key: "mca" | "npa" | "wpa", seconds: number) => block(`location ${path}`, proxy(upstreamName(key), "/", seconds));
  const out: string[][] = [
    ["# Unknown names on the HTTP port: close the connection instead of redirecting to them."],
    block("server", [...listen(r, r.httpPort, " default_server"), "server_name _;", "return 444;"]),
    ["", "# HTTP: ACME http-01 challenges from the webroot; everything else to HTTPS, host kept."],
    block("server", [
      ...listen(r, r.httpPort, ""),
      `server_name ${names.join(" ")};`,
      "server_tokens off;",
      ...block(`location ^~ ${ACME_CHALLENGE_PATH}`, [`root ${r.args.acmeWebroot ?? DEFAULT_ACME_WEBROOT};`, "default_type text/plain;", "try_files $uri =404;"]),
      ...block("location /", ["return 301 https://$host$request_uri;"]),
    ]),
    ["", "# Unknown names on the TLS port: refuse the handshake, show no certificate."],
    block("server", [...listen(r, r.httpsPort, " ssl default_server"), "server_name _;", "ssl_reject_handshake on;", ...tlsSettings()]),
    ["", "# The application."],
    httpsServer(r, hosts.app, block("location /", proxy(upstreamName("app"), "", r.proxy))),
    ["", "# The API: rate limited, CORS for the app origin only."],
    httpsServer(r, hosts.api, [
      ...limit("api_limit", r.api),
      ...cors,
      ...block(`location ${API_PATH}`, [...block("if ($request_method = OPTIONS)", ["return 204;"]), ...proxy(upstreamName("api"), "", r.proxy)]),
      ...notFound,
    ]),
    ["", "# The context agents: a longer timeout for coordination (MCA)."],
    httpsServer(r, hosts.agents, [
      ...limit("agents_limit", r.agents),
      ...agent(AGENT_PATHS.mca, "mca", r.coordination),
      ...agent(AGENT_PATHS.npa, "npa", r.proxy),
      ...agent(AGENT_PATHS.wpa, "wpa", r.proxy),
      ...notFound,
    ]),
  ];
  if (up.admin !== undefined) {
    out.push(["", "# The admin console."], httpsServer(r, hosts.admin, block("location /", proxy(upstreamName("admin"), "", r.proxy))));
  }
  return out.flat().join("\n") + "\n";
}

/** The site as one http-context file (for /etc/nginx/conf.d/ or inside `http {}`). */
export function renderNginxSite(args: NginxSiteArgs): string {
  return `# TLS edge rendered by @pfv5/tls; http context.\n${renderNginxHttpContext(args)}\n${renderNginxServers(args)}`;
}

/** A complete nginx.conf serving the site and nothing else. */
export function renderNginxConf(args: NginxSiteArgs, runtime: NginxRuntime = {}): string {
  const problems = [...checkNginxSiteArgs(args), ...checkNginxRuntime(runtime)];
  if (problems.length > 0) throw new NginxConfigError(problems);
  const t = runtime.tempDir;
  const temp = t === undefined ? [] : ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((k) => `${k}_temp_path ${t}/${k};`);
  const site = renderNginxSite(args).split("\n").map((l) => (l === "" ? "" : `    ${l}`));
  return [
    "# nginx.conf rendered by @pfv5/tls",
    `user ${runtime.user ?? "www-data"};`,
    `worker_processes ${runtime.workerProcesses ?? 1};`,
    `pid ${runtime.pidPath ?? "/run/nginx.pid"};`,
    `error_log ${runtime.errorLogPath ?? "/var/log/nginx/error.log"} warn;`,
    ...(runtime.foreground === true ? ["daemon off;"] : []),
    "",
    ...block("events", ["worker_connections 1024;"]),
    "",
    "http {",
    "    default_type application/octet-stream;",
    `    access_log ${runtime.accessLogPath ?? "/var/log/nginx/access.log"};`,
    ...temp.map((l) => `    ${l}`),
    "    sendfile on;",
    "",
    ...site,
    "}",
    "",
  ].join("\n");
}
