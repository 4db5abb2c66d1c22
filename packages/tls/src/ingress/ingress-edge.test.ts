import * as assert from "node:assert/strict";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { IngressEdge } from "./ingress-edge";
import { ingressNginxConfig } from "./plan";

const A = "nginx.ingress.kubernetes.io";
/** The one recorded resource with exactly this logical name. */
const named = (n: string) => resourcesNamed(n).find((r) => r.name === n);
const timeouts = (s: string) => ({ [`${A}/proxy-connect-timeout`]: s, [`${A}/proxy-send-timeout`]: s, [`${A}/proxy-read-timeout`]: s });
const backend = (name: string, port: number) => ({ service: { name, port: { number: port } } });
const ingress = (name: string, host: string, annotations: Record<string, string>, paths: { path: string; pathType: string; backend: unknown }[]) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, namespace: "pf-prod", annotations },
  spec: { ingressClassName: "nginx", tls: [{ hosts: [host], secretName: "progressive-framework-tls-secret" }], rules: [{ host, http: { paths } }] },
});

describe("IngressEdge", () => {
  const edge = new IngressEdge("edge1", {
    domain: "example.com",
    namespace: "pf-prod",
    tlsSecretName: "progressive-framework-tls-secret",
    backends: {
      app: { service: "web", port: 80 },
      api: { service: "api", port: 3000 },
      mca: { service: "mca", port: 8000 },
      npa: { service: "npa", port: 8000 },
      wpa: { service: "wpa", port: 8000 },
    },
  });
  before(async () => {
    await valueOf(edge.urn);
    await settle();
  });

  it("creates four Ingresses and none for admin without a backend", () => {
    assert.deepEqual(resourcesNamed("edge1-", "kubernetes:networking.k8s.io/v1:Ingress").map((r) => r.name).sort(), [
      "edge1-agents", "edge1-agents-coordination", "edge1-api", "edge1-app",
    ]);
    assert.deepEqual(edge.ingressNames, ["app", "api", "agents-coordination", "agents"]);
  });

  it("serves the app on the apex with the 60 second timeouts and no CORS or rate limit", () => {
    assert.deepEqual(named("edge1-app")?.inputs, ingress("app", "example.com", timeouts("60"), [{ path: "/", pathType: "Prefix", backend: backend("web", 80) }]));
  });

  it("limits the API to 100 requests a minute and allows CORS for the app origin only", () => {
    assert.deepEqual(named("edge1-api")?.inputs, ingress("api", "api.example.com", {
      ...timeouts("60"),
      [`${A}/limit-rpm`]: "100",
      [`${A}/limit-burst-multiplier`]: "1",
      [`${A}/enable-cors`]: "true",
      [`${A}/cors-allow-origin`]: "https://example.com",
      [`${A}/cors-allow-methods`]: "GET, POST, PUT, DELETE, OPTIONS",
      [`${A}/cors-allow-headers`]: "Authorization, Content-Type",
      [`${A}/cors-max-age`]: "86400",
      [`${A}/cors-allow-credentials`]: "false",
    }, [{ path: "/api/v1/", pathType: "Prefix", backend: backend("api", 3000) }]));
  });

  it("gives the coordination agent 90 seconds and the other agents 60, at 200 requests a minute", () => {
    const agentAnnotations = (s: string) => ({ ...timeouts(s), [`${A}/limit-rpm`]: "200", [`${A}/limit-burst-multiplier`]: "1", [`${A}/use-regex`]: "true", [`${A}/rewrite-target`]: "/$2" });
    assert.deepEqual(named("edge1-agents-coordination")?.inputs, ingress("agents-coordination", "agents.example.com", agentAnnotations("90"), [
      { path: "/api/v1/agents/mca(/|$)(.*)", pathType: "ImplementationSpecific", backend: backend("mca", 8000) },
    ]));
    assert.deepEqual(named("edge1-agents")?.inputs, ingress("agents", "agents.example.com", agentAnnotations("60"), [
      { path: "/api/v1/agents/npa(/|$)(.*)", pathType: "ImplementationSpecific", backend: backend("npa", 8000) },
      { path: "/api/v1/agents/wpa(/|$)(.*)", pathType: "ImplementationSpecific", backend: backend("wpa", 8000) },
    ]));
  });

  it("puts CORS annotations on the API host and nowhere else", () => {
    const withCors = resourcesNamed("edge1-", "kubernetes:networking.k8s.io/v1:Ingress")
      .filter((r) => Object.keys((r.inputs["metadata"] as { annotations: Record<string, string> }).annotations).some((k) => k.includes("cors")));
    assert.deepEqual(withCors.map((r) => r.name), ["edge1-api"]);
  });

  it("hands the Helm chart TLS 1.2/1.3, the ECDHE-GCM ciphers, two-year HSTS and headers without X-XSS-Protection", () => {
    assert.deepEqual(edge.controllerValues, {
      controller: {
        config: {
          "ssl-protocols": "TLSv1.2 TLSv1.3",
          "ssl-ciphers": "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384",
          "ssl-session-timeout": "1d",
          "ssl-session-cache-size": "50m",
          "ssl-session-tickets": "false",
          hsts: "true",
          "hsts-max-age": "63072000",
          "hsts-include-subdomains": "true",
          "hsts-preload": "false",
          "ssl-redirect": "true",
          "force-ssl-redirect": "true",
          "no-tls-redirect-locations": "/.well-known/acme-challenge",
          "http-redirect-code": "301",
          "limit-req-status-code": "429",
          "server-tokens": "false",
          "hide-headers": "X-Powered-By,Server",
          "allow-snippet-annotations": "false",
        },
        addHeaders: { "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" },
      },
    });
    assert.equal(Object.keys(ingressNginxConfig()).some((k) => /xss/i.test(k)), false);
  });

  it("adds the admin host when it has a backend, and honours other limits and origins", async () => {
    const e = new IngressEdge("edge2", {
      domain: "example.org",
      hosts: { app: "www.example.org" },
      namespace: "pf",
      tlsSecretName: "tls",
      corsOrigin: "https://www.example.org",
      rateLimits: { api: { requestsPerMinute: 50, burstMultiplier: 2 } },
      backends: { app: { service: "web", port: 80 }, api: { service: "api", port: 3000 }, mca: { service: "mca", port: 8000 }, npa: { service: "npa", port: 8000 }, wpa: { service: "wpa", port: 8000 }, admin: { service: "admin", port: 8080 } },
    });
    await valueOf(e.urn);
    await settle();
    const api = named("edge2-api")?.inputs["metadata"] as { annotations: Record<string, string> };
    assert.equal(api.annotations[`${A}/limit-rpm`], "50");
    assert.equal(api.annotations[`${A}/limit-burst-multiplier`], "2");
    assert.equal(api.annotations[`${A}/cors-allow-origin`], "https://www.example.org");
    const admin = named("edge2-admin")?.inputs["spec"] as { rules: { host: string }[] };
    assert.equal(admin.rules[0]?.host, "admin.example.org");
  });

  it("rejects missing backends, bad ports, fractional multipliers and a plain-HTTP origin in one error", () => {
    assert.throws(
      () => new IngressEdge("edge3", {
        domain: "example.com",
        namespace: "pf",
        tlsSecretName: "tls",
        corsOrigin: "http://example.com",
        rateLimits: { agents: { burstMultiplier: 0.5 } },
        backends: { app: { service: "web", port: 0 }, api: { service: "api", port: 3000 }, mca: { service: "mca", port: 8000 }, npa: { service: "npa", port: 8000 } } as never,
      }),
      (e: Error) => {
        assert.match(e.message, /^IngressEdge: 4 problems/);
        assert.match(e.message, /backends\.app\.port = 0: expected a port number from 1 to 65535/);
        assert.match(e.message, /backends\.wpa = undefined: is required/);
        assert.match(e.message, /corsOrigin = "http:\/\/example\.com": expected an HTTPS origin/);
        assert.match(e.message, /rateLimits\.agents\.burstMultiplier = 0\.5: expected a multiplier \(ingress-nginx takes integers only\)/);
        return true;
      },
    );
    assert.equal(resourcesNamed("edge3").length, 0);
  });
});
