import * as assert from "node:assert/strict";
import { renderNginxConf, renderNginxHttpContext, renderNginxServers, renderNginxSite } from "./render";
import { NginxConfigError, type NginxSiteArgs } from "./validate";

const args: NginxSiteArgs = {
  domain: "example.com",
  upstreams: { app: "web:3000", api: "10.0.10.5:3000", mca: "[fd00::5]:8000", npa: "npa.internal:8000", wpa: "unix:/run/wpa.sock" },
  certificate: { certificatePath: "/etc/ssl/certs/example.com.crt", keyPath: "/etc/ssl/private/example.com.key", trustedCertificatePath: "/etc/ssl/certs/example.com.chain.pem" },
};

/** The top-level blocks of http-context text: `server {`, `upstream x {`, and their bodies. */
function servers(text: string): string[] {
  return text.split(/\n(?=server \{)/).filter((s) => s.startsWith("server {")).map((s) => s.slice(0, s.indexOf("\n}") + 2));
}

describe("nginx renderer", () => {
  const site = renderNginxSite(args);
  const blocks = servers(renderNginxServers(args));
  const serverFor = (name: string) => blocks.find((b) => b.includes(`server_name ${name};`)) ?? "";

  it("puts both rate-limit zones in the http context, before any server block", () => {
    const http = renderNginxHttpContext(args);
    assert.deepEqual(http.split("\n").filter((l) => l.startsWith("limit_req_zone")), [
      "limit_req_zone $binary_remote_addr zone=api_limit:10m rate=100r/m;",
      "limit_req_zone $binary_remote_addr zone=agents_limit:10m rate=200r/m;",
    ]);
    assert.ok(site.indexOf("limit_req_zone") < site.indexOf("server {"));
    assert.equal(blocks.some((b) => b.includes("limit_req_zone")), false);
  });

  it("renders six server blocks: two catch-alls, the HTTP redirect and three HTTPS hosts", () => {
    assert.equal(blocks.length, 6);
    assert.deepEqual(blocks.map((b) => /server_name ([^;]+);/.exec(b)?.[1]), ["_", "example.com api.example.com agents.example.com", "_", "example.com", "api.example.com", "agents.example.com"]);
  });

  it("redirects with the requested host and serves ACME from the webroot on port 80", () => {
    const redirect = blocks[1] ?? "";
    assert.match(redirect, /location \^~ \/\.well-known\/acme-challenge\/ \{\n {8}root \/var\/www\/certbot;\n {8}default_type text\/plain;\n {8}try_files \$uri =404;\n {4}\}/);
    assert.match(redirect, /location \/ \{\n {8}return 301 https:\/\/\$host\$request_uri;\n {4}\}/);
    assert.equal(site.includes("$server_name"), false);
  });

  it("closes unknown HTTP names and rejects unknown TLS names with the same protocols", () => {
    assert.equal(blocks[0], "server {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}");
    assert.match(blocks[2] ?? "", /listen 443 ssl default_server;\n {4}server_name _;\n {4}ssl_reject_handshake on;\n {4}ssl_protocols TLSv1\.2 TLSv1\.3;/);
  });

  it("gives every HTTPS host TLS 1.2/1.3, the GCM ciphers, stapling with a resolver and the headers", () => {
    for (const host of ["example.com", "api.example.com", "agents.example.com"]) {
      const b = serverFor(host);
      for (const line of [
        "listen 443 ssl http2;",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384;",
        "ssl_session_cache shared:pfv5_tls:50m;",
        "ssl_session_tickets off;",
        "ssl_stapling on;",
        "ssl_stapling_verify on;",
        "ssl_trusted_certificate /etc/ssl/certs/example.com.chain.pem;",
        "resolver 10.0.0.2 valid=300s;",
        "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;",
        "add_header X-Frame-Options \"DENY\" always;",
        "add_header X-Content-Type-Options \"nosniff\" always;",
        "add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;",
      ]) assert.ok(b.includes(`    ${line}\n`), `${host} lacks ${line}`);
      assert.equal(b.includes("X-XSS-Protection"), false);
    }
  });

  it("limits and opens CORS on the API host only, and times the coordination agent out at 90 s", () => {
    const api = serverFor("api.example.com");
    const agents = serverFor("agents.example.com");
    assert.ok(api.includes("    limit_req zone=api_limit burst=20 nodelay;\n    limit_req_status 429;\n"));
    assert.ok(agents.includes("    limit_req zone=agents_limit burst=50 nodelay;\n    limit_req_status 429;\n"));
    assert.deepEqual(blocks.filter((b) => b.includes("Access-Control-")).length, 1);
    assert.ok(api.includes("add_header Access-Control-Allow-Origin \"https://example.com\" always;"));
    assert.match(agents, /location \/api\/v1\/agents\/mca\/ \{\n {8}proxy_pass http:\/\/pfv5_mca\/;[^}]*proxy_read_timeout 90s;/);
    assert.match(agents, /location \/api\/v1\/agents\/npa\/ \{\n {8}proxy_pass http:\/\/pfv5_npa\/;[^}]*proxy_read_timeout 60s;/);
  });

  it("declares one upstream per backend with the address as given", () => {
    assert.deepEqual(renderNginxHttpContext(args).split("\n").filter((l) => l.startsWith("    server ")), [
      "    server web:3000;", "    server 10.0.10.5:3000;", "    server [fd00::5]:8000;", "    server npa.internal:8000;", "    server unix:/run/wpa.sock;",
    ]);
  });

  it("drops stapling lines when stapling is off and renders http2 as a directive when asked", () => {
    const text = renderNginxServers({ ...args, stapling: false, http2Directive: true, listenAddresses: ["*", "[::]"] });
    assert.equal(/ssl_stapling|resolver/.test(text), false);
    assert.match(text, /listen 443 ssl;\n {4}listen \[::\]:443 ssl;\n {4}http2 on;/);
  });

  it("adds the admin host to the redirect and as its own server when it has an upstream", () => {
    const b = servers(renderNginxServers({ ...args, upstreams: { ...args.upstreams, admin: "127.0.0.1:8080" } }));
    assert.equal(b.length, 7);
    assert.ok(b[1]?.includes("server_name example.com api.example.com agents.example.com admin.example.com;"));
    assert.ok(b[6]?.includes("server_name admin.example.com;"));
  });

  it("wraps the site in a complete nginx.conf with the runtime paths", () => {
    const conf = renderNginxConf(args, { pidPath: "/tmp/t/nginx.pid", errorLogPath: "/tmp/t/e.log", accessLogPath: "/tmp/t/a.log", tempDir: "/tmp/t", user: "nobody", foreground: true });
    assert.ok(conf.startsWith("# nginx.conf rendered by @pfv5/tls\nuser nobody;\nworker_processes 1;\npid /tmp/t/nginx.pid;\nerror_log /tmp/t/e.log warn;\ndaemon off;\n"));
    assert.ok(conf.includes("    proxy_temp_path /tmp/t/proxy;\n"));
    assert.ok(conf.includes("\n    limit_req_zone $binary_remote_addr zone=api_limit:10m rate=100r/m;\n"));
    assert.ok(conf.trimEnd().endsWith("}"));
  });

  it("refuses configuration injection and bad values in one NginxConfigError naming each", () => {
    assert.throws(
      () => renderNginxConf({
        ...args,
        upstreams: { ...args.upstreams, api: "10.0.0.1:3000; include /etc/passwd" },
        certificate: { ...args.certificate, keyPath: "relative/key.pem" },
        acmeWebroot: "/var/www/$host",
        httpsPort: 80,
        resolvers: ["dns.example"],
        rateLimits: { api: { burst: -1 } },
      }, { user: "Root User" }),
      (e: Error) => {
        assert.ok(e instanceof NginxConfigError);
        assert.equal(e.name, "NginxConfigError");
        assert.match(e.message, /^nginx site configuration: 7 problems/);
        for (const key of ["upstreams.api", "certificate.keyPath", "acmeWebroot", "httpsPort", "resolvers\\[0\\]", "rateLimits.api.burst", "runtime.user"]) {
          assert.match(e.message, new RegExp(`\\n {2}- ${key} = `), `no problem for ${key}`);
        }
        return true;
      },
    );
  });
});
