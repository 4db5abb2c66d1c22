/**
 * The standalone TLS edge, for real: the rendered nginx.conf is checked by `nginx -t`,
 * then served by nginx on loopback with a chain made for the test and a tiny upstream in
 * this process, and probed with openssl s_client and curl.
 *
 * Stapling stays on, as in production: the test chain names no OCSP responder, so nginx
 * warns and staples nothing; the test asserts that exact warning and no other.
 */
import * as assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { renderNginxConf, type NginxSiteArgs } from "@pfv5/tls";
import { makeTestChain, type TestChain } from "./pki";
import { freePort, requireTools, run, waitForPort } from "./processes";

const DOMAIN = "pfv5.test";
const APP = DOMAIN;
const API = `api.${DOMAIN}`;
const AGENTS = `agents.${DOMAIN}`;

describe("standalone nginx TLS edge (host: nginx, openssl, curl)", function () {
  this.timeout(60000);
  let dir = "";
  let chain: TestChain;
  let upstream: http.Server | undefined;
  let nginx: ChildProcess | undefined;
  let httpPort = 0;
  let httpsPort = 0;
  let confPath = "";
  let testOutput = "";
  const upstreamSeen: { host: string | undefined; url: string | undefined }[] = [];

  const siteArgs = (upstreamPort: number): NginxSiteArgs => {
    const target = `127.0.0.1:${upstreamPort}`;
    return {
      domain: DOMAIN,
      upstreams: { app: target, api: target, mca: target, npa: target, wpa: target },
      certificate: { certificatePath: chain.fullChainPath, keyPath: chain.keyPath, trustedCertificatePath: chain.trustedPath },
      acmeWebroot: path.join(dir, "webroot"),
      listenAddresses: ["127.0.0.1"],
      httpPort,
      httpsPort,
      resolvers: ["127.0.0.1"],
    };
  };
  const runtime = () => ({
    pidPath: path.join(dir, "nginx.pid"),
    errorLogPath: path.join(dir, "error.log"),
    accessLogPath: path.join(dir, "access.log"),
    tempDir: path.join(dir, "temp"),
    user: os.userInfo().username,
    foreground: true,
  });
  const nginxTest = (conf: string) => run("nginx", ["-t", "-c", conf, "-p", dir, "-e", path.join(dir, "error.log")]);
  const curl = (args: readonly string[]) => run("curl", ["-sS", "--max-time", "10", "--cacert", chain.rootPath, ...args]);
  const resolveTo = (host: string, port: number) => ["--resolve", `${host}:${port}:127.0.0.1`];
  const headersOf = (raw: string): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const line of raw.split(/\r?\n/)) {
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined) map.set(m[1].toLowerCase(), [...(map.get(m[1].toLowerCase()) ?? []), m[2]]);
    }
    return map;
  };
  const handshake = (version: string, servername: string) =>
    run("openssl", ["s_client", "-connect", `127.0.0.1:${httpsPort}`, "-servername", servername, `-${version}`,
      // Debian's OpenSSL refuses TLS 1.0/1.1 itself at its default security level; level 0
      // lets the client offer them, so a refusal can only come from the server.
      "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", chain.rootPath, "-verify_return_error"]);

  before(async () => {
    requireTools(["nginx", "openssl", "curl"], "nginx, openssl and curl");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-tls-"));
    fs.mkdirSync(path.join(dir, "temp"));
    fs.mkdirSync(path.join(dir, "webroot", ".well-known", "acme-challenge"), { recursive: true });
    fs.writeFileSync(path.join(dir, "webroot", ".well-known", "acme-challenge", "token-123"), "token-123.key-authorization");
    chain = await makeTestChain(dir, [APP, API, AGENTS]);
    upstream = http.createServer((req, res) => {
      upstreamSeen.push({ host: req.headers.host, url: req.url });
      res.setHeader("X-Powered-By", "Express");
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ url: req.url }));
    });
    await new Promise<void>((resolve) => upstream?.listen(0, "127.0.0.1", () => resolve()));
    const address = upstream.address();
    if (address === null || typeof address !== "object") throw new Error("upstream did not bind");
    httpPort = await freePort();
    do httpsPort = await freePort();
    while (httpsPort === httpPort);
    confPath = path.join(dir, "nginx.conf");
    fs.writeFileSync(confPath, renderNginxConf(siteArgs(address.port), runtime()));
    const t = await nginxTest(confPath);
    testOutput = t.stderr;
    if (t.code !== 0) throw new Error(`nginx -t rejected the rendered configuration:\n${t.stderr}`);
    const proc = spawn("nginx", ["-c", confPath, "-p", dir, "-e", path.join(dir, "error.log")], { stdio: ["ignore", "ignore", "pipe"] });
    nginx = proc;
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    let listening = false;
    const exited = new Promise<void>((resolve, reject) =>
      proc.once("exit", (code) => (listening ? resolve() : reject(new Error(`nginx exited (${String(code)}) before listening:\n${stderr}`)))),
    );
    exited.catch(() => undefined); // reported through the race below
    await Promise.race([Promise.all([waitForPort(httpsPort, 20000), waitForPort(httpPort, 20000)]), exited]);
    listening = true;
  });

  after(async () => {
    if (nginx !== undefined && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx?.once("exit", resolve));
      nginx.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill("SIGKILL");
    }
    await new Promise((resolve) => (upstream !== undefined ? upstream.close(resolve) : resolve(undefined)));
    if (dir !== "") fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes nginx -t, warning only that the test chain names no OCSP responder", () => {
    assert.match(testOutput, /test is successful/);
    const warnings = testOutput.split("\n").filter((l) => l.includes("[warn]") || l.includes("[emerg]"));
    assert.deepEqual([...new Set(warnings.map((w) => w.replace(/^.*?\[/, "[")))], [
      `[warn] "ssl_stapling" ignored, no OCSP responder URL in the certificate "${chain.fullChainPath}"`,
    ]);
  });

  it("fails nginx -t when limit_req_zone sits inside a server block, as in the seed", async () => {
    const conf = fs.readFileSync(confPath, "utf8");
    const zone = /^\s*limit_req_zone .*zone=api_limit.*$/m.exec(conf)?.[0] ?? "";
    assert.notEqual(zone, "");
    const seedLike = conf.replace(zone, "").replace(`server_name ${API};`, `server_name ${API};\n${zone}`);
    const p = path.join(dir, "seed-like.conf");
    fs.writeFileSync(p, seedLike);
    const t = await nginxTest(p);
    assert.notEqual(t.code, 0);
    assert.match(t.stderr, /"limit_req_zone" directive is not allowed here/);
  });

  for (const version of ["tls1", "tls1_1"]) {
    it(`refuses a ${version.replace("tls1_1", "TLS 1.1").replace("tls1", "TLS 1.0")} handshake with the server's protocol_version alert`, async () => {
      const r = await handshake(version, API);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout + r.stderr, /alert protocol version/);
      assert.match(r.stdout, /Cipher is \(NONE\)/);
    });
  }

  for (const [version, name] of [["tls1_2", "TLSv1.2"], ["tls1_3", "TLSv1.3"]] as const) {
    it(`completes a ${name} handshake with a chain that verifies to the test root`, async () => {
      const r = await handshake(version, API);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`New, ${name.replace(".", "\\.")}, Cipher is `));
      assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
    });
  }

  it("refuses the handshake for a name it does not serve", async () => {
    const r = await handshake("tls1_3", `unknown.${DOMAIN}`);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /unrecognized name/);
  });

  it("sends HSTS and the security headers, and hides the upstream's X-Powered-By", async () => {
    const r = await curl([...resolveTo(APP, httpsPort), "-D", "-", "-o", "/dev/null", `https://${APP}:${httpsPort}/`]);
    assert.equal(r.code, 0, r.stderr);
    const h = headersOf(r.stdout);
    assert.match(r.stdout, /^HTTP\/2 200/);
    assert.deepEqual(h.get("strict-transport-security"), ["max-age=63072000; includeSubDomains"]);
    assert.deepEqual(h.get("x-frame-options"), ["DENY"]);
    assert.deepEqual(h.get("x-content-type-options"), ["nosniff"]);
    assert.deepEqual(h.get("referrer-policy"), ["strict-origin-when-cross-origin"]);
    assert.equal(h.has("x-xss-protection"), false);
    assert.equal(h.has("x-powered-by"), false);
  });

  for (const host of [API, AGENTS]) {
    it(`redirects http://${host}/x to https://${host}/x, keeping the requested host`, async () => {
      const r = await curl([...resolveTo(host, httpPort), "-D", "-", "-o", "/dev/null", `http://${host}:${httpPort}/x?y=1`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.1 301/);
      assert.deepEqual(headersOf(r.stdout).get("location"), [`https://${host}/x?y=1`]);
    });
  }

  it("serves the ACME challenge over plain HTTP from the webroot, without redirecting", async () => {
    const r = await curl([...resolveTo(API, httpPort), "-D", "-", `http://${API}:${httpPort}/.well-known/acme-challenge/token-123`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP\/1\.1 200/);
    assert.deepEqual(headersOf(r.stdout).get("content-type"), ["text/plain"]);
    assert.match(r.stdout, /\r?\n\r?\ntoken-123\.key-authorization$/);
  });

  it("closes the connection for an unknown name on plain HTTP instead of redirecting to it", async () => {
    const r = await curl([...resolveTo("evil.example", httpPort), "-o", "/dev/null", "-w", "%{http_code}", `http://evil.example:${httpPort}/`]);
    assert.equal(r.stdout, "000");
    assert.match(r.stderr, /Empty reply from server/);
  });

  it("sends CORS headers for the app origin on the API host and on no other host", async () => {
    const origin = ["-H", `Origin: https://${APP}`, "-D", "-", "-o", "/dev/null"];
    const api = await curl([...resolveTo(API, httpsPort), ...origin, "-X", "OPTIONS", `https://${API}:${httpsPort}/api/v1/items`]);
    assert.match(api.stdout, /^HTTP\/2 204/);
    const h = headersOf(api.stdout);
    assert.deepEqual(h.get("access-control-allow-origin"), [`https://${APP}`]);
    assert.deepEqual(h.get("access-control-allow-methods"), ["GET, POST, PUT, DELETE, OPTIONS"]);
    assert.deepEqual(h.get("access-control-allow-headers"), ["Authorization, Content-Type"]);
    for (const [host, url] of [[APP, "/"], [AGENTS, "/api/v1/agents/npa/plan"]] as const) {
      const other = await curl([...resolveTo(host, httpsPort), ...origin, `https://${host}:${httpsPort}${url}`]);
      assert.match(other.stdout, /^HTTP\/2 200/);
      assert.equal([...headersOf(other.stdout).keys()].some((k) => k.startsWith("access-control-")), false, `${host} sent CORS headers`);
    }
  });

  it("forwards agent paths without their prefix and keeps the Host header", async () => {
    upstreamSeen.length = 0;
    const r = await curl([...resolveTo(AGENTS, httpsPort), `https://${AGENTS}:${httpsPort}/api/v1/agents/mca/coordinate`]);
    assert.equal(r.stdout, JSON.stringify({ url: "/coordinate" }));
    assert.deepEqual(upstreamSeen, [{ host: AGENTS, url: "/coordinate" }]);
  });

  for (const [host, url, source, rate, burst] of [
    [API, "/api/v1/r", "127.0.0.2", 100, 20],
    [AGENTS, "/api/v1/agents/wpa/r", "127.0.0.3", 200, 50],
  ] as const) {
    it(`answers 429 beyond ${rate} requests a minute with a burst of ${burst} on ${host}`, async () => {
      // A source address of its own gives this client a fresh bucket.
      const started = Date.now();
      const r = await curl([...resolveTo(host, httpsPort), "--interface", source, "-o", "/dev/null", "-w", "%{http_code}\n", `https://${host}:${httpsPort}${url}[1-${burst + 20}]`]);
      const elapsed = Date.now() - started;
      assert.equal(r.code, 0, r.stderr);
      const codes = r.stdout.trim().split("\n");
      assert.equal(codes.length, burst + 20);
      assert.deepEqual([...new Set(codes)].sort(), ["200", "429"]);
      const ok = codes.filter((c) => c === "200").length;
      // One request plus the burst pass at once; the bucket refills one request per 60/rate s.
      const refilled = Math.floor(elapsed / (60000 / rate));
      assert.ok(ok >= burst + 1 && ok <= burst + 1 + refilled, `${ok} requests passed in ${elapsed} ms`);
      assert.deepEqual(codes.slice(0, burst + 1), Array<string>(burst + 1).fill("200"));
    });
  }
});
