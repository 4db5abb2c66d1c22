import * as assert from "node:assert/strict";
import { istio, ValidationError } from "@pfv5/zones";
import { planIstio } from "./istio-policies";
import { istioManifests } from "./models";
import { resolveClusterSecurityArgs } from "./validate";

const JWT = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/.well-known/jwks.json", audiences: ["progressive-framework-v5"] };
const r = resolveClusterSecurityArgs("istio", { environment: "prod", jwt: JWT });
const plan = planIstio(r);
const NS = "progressive-framework-prod";
const sa = (name: string, ns = NS): string => `cluster.local/ns/${ns}/sa/${name}`;
const INGRESS = sa("ingress-nginx", "ingress-nginx");
const PROMETHEUS = sa("prometheus", "monitoring");
const [APP, MCA, NPA, WPA] = [sa("progressive-app-sa"), sa("mca-agent-sa"), sa("npa-agent-sa"), sa("wpa-agent-sa")];
const labels = { "app.kubernetes.io/part-of": "progressive-framework-v5", "app.kubernetes.io/managed-by": "pulumi", "pfv5.io/environment": "prod" };
const authz = (name: string): istio.AuthorizationPolicy => {
  const p = plan.authorizationPolicies.find((x) => x.metadata.name === name);
  assert.ok(p, `no AuthorizationPolicy ${name}`);
  return p;
};

describe("ClusterSecurity Istio objects", () => {
  it("makes mTLS STRICT mesh-wide in the root namespace and for the application namespace", () => {
    assert.deepEqual(plan.peerAuthentications, [
      { apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "istio-system", labels }, spec: { mtls: { mode: "STRICT" } } },
      { apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", metadata: { name: "default", namespace: NS, labels }, spec: { mtls: { mode: "STRICT" } } },
    ]);
  });

  it("leaves the mesh-wide PeerAuthentication out when another environment owns it", () => {
    const shared = planIstio(resolveClusterSecurityArgs("istio", { environment: "dev", jwt: JWT, meshWideMtls: false }));
    assert.deepEqual(shared.peerAuthentications.map((p) => p.metadata.namespace), ["progressive-framework-dev"]);
  });

  it("validates the JWTs of the configured issuer, JWKS and audience on the app", () => {
    assert.deepEqual(plan.requestAuthentications, [
      {
        apiVersion: "security.istio.io/v1",
        kind: "RequestAuthentication",
        metadata: { name: "app-jwt", namespace: NS, labels },
        spec: { selector: { matchLabels: { app: "progressive-framework-v5" } }, jwtRules: [{ ...JWT, forwardOriginalToken: true }] },
      },
    ]);
  });

  it("authorizes the app's callers with from, to and when in one rule each", () => {
    assert.deepEqual(authz("app-allow").spec, {
      selector: { matchLabels: { app: "progressive-framework-v5" } },
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: [INGRESS] } }], to: [{ operation: { methods: ["GET"], paths: ["/health"], ports: ["3000"] } }] },
        { from: [{ source: { principals: [PROMETHEUS] } }], to: [{ operation: { methods: ["GET"], paths: ["/metrics"], ports: ["9090"] } }] },
      ],
    });
    assert.deepEqual(authz("app-require-jwt").spec, {
      selector: { matchLabels: { app: "progressive-framework-v5" } },
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: [INGRESS], requestPrincipals: ["*"] } }],
          to: [{ operation: { methods: ["GET", "POST", "PUT", "PATCH", "DELETE"], paths: ["/api/*"], ports: ["3000"] } }],
          when: [{ key: "request.auth.claims[iss]", values: ["https://auth.example.com"] }],
        },
      ],
    });
    assert.deepEqual(authz("app-deny-without-jwt").spec, {
      selector: { matchLabels: { app: "progressive-framework-v5" } },
      action: "DENY",
      rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { paths: ["/api/*"] } }] }],
    });
  });

  it("names each agent's callers by service account", () => {
    assert.deepEqual(authz("agents-allow").spec, {
      selector: { matchLabels: { tier: "agents" } },
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: [APP] } }], to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/*", "/health"], ports: ["8000"] } }] },
        { from: [{ source: { principals: [MCA] } }], to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/coordination/*", "/health"], ports: ["8000"] } }] },
        { from: [{ source: { principals: [MCA, NPA, WPA] } }], to: [{ operation: { methods: ["POST"], paths: ["/api/v1/collaborate/*"], ports: ["8000"] } }] },
        { from: [{ source: { principals: [MCA, NPA, WPA] } }], to: [{ operation: { methods: ["POST"], ports: ["9000"] } }] },
        { from: [{ source: { principals: [PROMETHEUS] } }], to: [{ operation: { methods: ["GET"], paths: ["/metrics"], ports: ["9090"] } }] },
      ],
    });
    assert.deepEqual(authz("databases-allow").spec, {
      selector: { matchLabels: { tier: "database" } },
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: [APP, MCA, NPA, WPA] } }], to: [{ operation: { ports: ["5432", "6379", "27017"] } }] },
        { from: [{ source: { principals: [PROMETHEUS] } }], to: [{ operation: { ports: ["9187", "9121", "9216"] } }] },
      ],
    });
    assert.equal(plan.authorizationPolicies.length, 5);
  });

  it("never writes an ALLOW rule without a from, nor a condition key Istio lacks", () => {
    for (const p of plan.authorizationPolicies) {
      assert.deepEqual(istio.authorizationPolicyProblems(p.metadata.name, p), []);
      for (const rule of p.spec.rules ?? []) assert.ok((rule.from ?? []).length > 0, `${p.metadata.name} has a rule without from`);
    }
  });

  describe("decisions of the Istio evaluator over these policies", () => {
    const e = new istio.AuthorizationEvaluator(plan.authorizationPolicies);
    const app = { namespace: NS, labels: { app: "progressive-framework-v5" } };
    const agent = { namespace: NS, labels: { tier: "agents", agent: "npa" } };
    const db = { namespace: NS, labels: { tier: "database", db: "postgres" } };
    const token = { requestPrincipal: "https://auth.example.com/user-1", claims: { iss: "https://auth.example.com" } };

    it("admits external API calls through the ingress controller only with a token of our issuer", () => {
      assert.equal(e.decide(app, { principal: INGRESS, method: "POST", path: "/api/orders", port: 3000, ...token }).allowed, true);
      assert.equal(e.decide(app, { principal: INGRESS, method: "POST", path: "/api/orders", port: 3000 }).reason, "denied by DENY policy progressive-framework-prod/app-deny-without-jwt");
      const foreign = { requestPrincipal: "https://other.example.com/u", claims: { iss: "https://other.example.com" } };
      assert.equal(e.decide(app, { principal: INGRESS, method: "GET", path: "/api/orders", port: 3000, ...foreign }).allowed, false);
      assert.equal(e.decide(app, { principal: APP, method: "GET", path: "/api/orders", port: 3000, ...token }).allowed, false);
    });

    it("admits health checks without a token and metrics from Prometheus only", () => {
      assert.equal(e.decide(app, { principal: INGRESS, method: "GET", path: "/health", port: 3000 }).allowed, true);
      assert.equal(e.decide(app, { principal: INGRESS, method: "DELETE", path: "/health", port: 3000 }).allowed, false);
      assert.equal(e.decide(app, { principal: PROMETHEUS, method: "GET", path: "/metrics", port: 9090 }).allowed, true);
      assert.equal(e.decide(app, { principal: INGRESS, method: "GET", path: "/metrics", port: 9090 }).allowed, false);
    });

    it("lets the app call agents, lets only MCA coordinate, and keeps gRPC coordination among agents", () => {
      assert.equal(e.decide(agent, { principal: APP, method: "POST", path: "/api/v1/tasks", port: 8000 }).allowed, true);
      assert.equal(e.decide(agent, { principal: MCA, method: "POST", path: "/api/v1/coordination/plan", port: 8000 }).allowed, true);
      assert.equal(e.decide(agent, { principal: WPA, method: "POST", path: "/api/v1/coordination/plan", port: 8000 }).allowed, false);
      assert.equal(e.decide(agent, { principal: WPA, method: "POST", path: "/api/v1/collaborate/x", port: 8000 }).allowed, true);
      assert.equal(e.decide(agent, { principal: NPA, method: "POST", path: "/pfv5.Coordination/Sync", port: 9000 }).allowed, true);
      assert.equal(e.decide(agent, { principal: APP, method: "POST", path: "/pfv5.Coordination/Sync", port: 9000 }).allowed, false);
      assert.equal(e.decide(agent, { principal: INGRESS, method: "GET", path: "/api/v1/tasks", port: 8000 }).allowed, false);
    });

    it("lets the app and agents, not the ingress controller, open database connections", () => {
      assert.equal(e.decide(db, { principal: MCA, port: 5432 }).allowed, true);
      assert.equal(e.decide(db, { principal: APP, port: 27017 }).allowed, true);
      assert.equal(e.decide(db, { principal: INGRESS, port: 5432 }).allowed, false);
      assert.equal(e.decide(db, { principal: PROMETHEUS, port: 9187 }).allowed, true);
      assert.equal(e.decide(db, { principal: PROMETHEUS, port: 5432 }).allowed, false);
      assert.equal(e.decide(db, { port: 5432 }).allowed, false);
    });
  });

  describe("typed models", () => {
    it("validates every object against its CRD schema and keeps the spec unchanged", () => {
      const manifests = istioManifests(plan);
      assert.deepEqual(
        manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`),
        [
          "security.istio.io/v1beta1 PeerAuthentication istio-system/default",
          `security.istio.io/v1beta1 PeerAuthentication ${NS}/default`,
          `security.istio.io/v1 RequestAuthentication ${NS}/app-jwt`,
          ...["app-allow", "app-require-jwt", "app-deny-without-jwt", "agents-allow", "databases-allow"].map((n) => `security.istio.io/v1 AuthorizationPolicy ${NS}/${n}`),
        ],
      );
      assert.deepEqual(manifests[7]?.spec, authz("databases-allow").spec);
    });

    it("fails at construction on a spec the CRD schema rejects, and on a condition key Istio lacks, naming each", () => {
      const broken = {
        peerAuthentications: [{ ...plan.peerAuthentications[0]!, spec: { mtls: { mode: "PERMISSIVE-ISH" } } }],
        requestAuthentications: [],
        authorizationPolicies: [
          { ...authz("agents-allow"), metadata: { name: "seed", namespace: NS, labels }, spec: { rules: [{ from: [{ source: { principals: [MCA] } }], when: [{ key: "source.labels[app]", values: ["mca"] }] }] } },
          { ...authz("agents-allow"), metadata: { name: "bad-action", namespace: NS, labels }, spec: { action: "PERMIT" } },
        ],
      };
      assert.throws(
        // @ts-expect-error: the mode and the action are invalid on purpose
        () => istioManifests(broken),
        (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.deepEqual(
            err.problems.map((p) => p.key),
            [
              'PeerAuthentication "istio-system/default"',
              `AuthorizationPolicy "${NS}/seed".spec.rules[0].when[0].key`,
              `AuthorizationPolicy "${NS}/bad-action".spec.action`,
              `AuthorizationPolicy "${NS}/bad-action"`,
            ],
          );
          assert.match(err.message, /mtls\/mode must be equal to one of the allowed values/);
          return true;
        },
      );
    });
  });
});
