/**
 * The Istio evaluator against the cases the Istio documentation states. Sources:
 * AP = https://istio.io/latest/docs/reference/config/security/authorization-policy/,
 * SC = https://istio.io/latest/docs/concepts/security/#authorization-policies,
 * CK = https://istio.io/latest/docs/reference/config/security/conditions/.
 */
import * as assert from "node:assert/strict";
import { ValidationError } from "../problems";
import { AuthorizationEvaluator, authorize, principalFor } from "./evaluate";
import type { AuthorizationPolicy, IstioRequest, Workload } from "./types";

const ap = (name: string, namespace: string, spec: AuthorizationPolicy["spec"]): AuthorizationPolicy => ({
  apiVersion: "security.istio.io/v1",
  kind: "AuthorizationPolicy",
  metadata: { name, namespace },
  spec,
});
const httpbin: Workload = { namespace: "foo", labels: { app: "httpbin", version: "v1" } };
const sleep = principalFor("sleep", "default");
const google = { "iss": "https://accounts.google.com" };

describe("Istio AuthorizationPolicy evaluator", () => {
  describe("the reference's ALLOW example (AP, first example)", () => {
    const policy = ap("httpbin", "foo", {
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: [sleep] } }, { source: { namespaces: ["test"] } }],
          to: [{ operation: { methods: ["GET"], paths: ["/info*"] } }, { operation: { methods: ["POST"], paths: ["/data"] } }],
          when: [{ key: "request.auth.claims[iss]", values: ["https://accounts.google.com"] }],
        },
      ],
    });
    const decide = (r: IstioRequest): boolean => authorize([policy], httpbin, r).allowed;

    it("allows the sleep service account to GET a path under /info with a Google-issued token", () => {
      assert.equal(decide({ principal: sleep, method: "GET", path: "/info/x", claims: google }), true);
    });

    it("allows any workload of the test namespace to POST /data (from entries are ORed)", () => {
      assert.equal(decide({ principal: principalFor("any", "test"), method: "POST", path: "/data", claims: google }), true);
    });

    it("denies GET /data: method and path of one operation are ANDed", () => {
      assert.equal(decide({ principal: sleep, method: "GET", path: "/data", claims: google }), false);
    });

    it("denies without the issuer claim: when is ANDed with from and to", () => {
      assert.equal(decide({ principal: sleep, method: "GET", path: "/info", claims: { iss: "https://other" } }), false);
      assert.equal(decide({ principal: sleep, method: "GET", path: "/info" }), false);
    });

    it("denies every other source", () => {
      assert.equal(decide({ principal: principalFor("sleep", "dev"), method: "GET", path: "/info", claims: google }), false);
      assert.equal(decide({ method: "GET", path: "/info", claims: google }), false);
    });
  });

  describe("DENY, ALLOW and the order between them (AP, SC #authorization-policy-precedence)", () => {
    const denyDevPost = ap("httpbin", "foo", { action: "DENY", rules: [{ from: [{ source: { namespaces: ["dev"] } }], to: [{ operation: { methods: ["POST"] } }] }] });
    const allowAll = ap("allow-all", "foo", { action: "ALLOW", rules: [{}] });
    const dev = principalFor("x", "dev");

    it("denies POST from the dev namespace and allows its GET when no ALLOW policy applies", () => {
      assert.equal(authorize([denyDevPost], httpbin, { principal: dev, method: "POST" }).allowed, false);
      const get = authorize([denyDevPost], httpbin, { principal: dev, method: "GET" });
      assert.equal(get.allowed, true);
      assert.equal(get.reason, "allowed: no ALLOW policy applies to the workload");
    });

    it("lets DENY win over an allow-all policy", () => {
      const d = authorize([allowAll, denyDevPost], httpbin, { principal: dev, method: "POST" });
      assert.deepEqual([d.allowed, d.policy], [false, "foo/httpbin"]);
    });

    it("allows everything with allow-all (one empty rule)", () => {
      assert.equal(authorize([allowAll], httpbin, {}).allowed, true);
    });

    it("denies everything with allow-nothing (an ALLOW policy without rules)", () => {
      const d = authorize([ap("allow-nothing", "foo", {})], httpbin, { principal: sleep, method: "GET", path: "/" });
      assert.equal(d.allowed, false);
      assert.equal(d.reason, "denied: ALLOW policies apply (foo/allow-nothing) and none matches");
    });

    it("denies everything with deny-all (a DENY policy with one empty rule), even next to allow-all", () => {
      assert.equal(authorize([allowAll, ap("deny-all", "foo", { action: "DENY", rules: [{}] })], httpbin, { principal: sleep }).allowed, false);
    });

    it("never lets an AUDIT policy change the decision, but reports the match", () => {
      const audit = ap("audit", "foo", { action: "AUDIT", rules: [{ to: [{ operation: { methods: ["GET"], paths: ["/user/profile/*"] } }] }] });
      const d = authorize([audit], httpbin, { method: "GET", path: "/user/profile/me" });
      assert.deepEqual([d.allowed, d.audited], [true, ["foo/audit"]]);
    });

    it("asks the CUSTOM authorizer first: a match is a denial unless the authorizer allows", () => {
      const custom = ap("ext-authz", "foo", { action: "CUSTOM", provider: { name: "my-custom-authz" }, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] });
      const deny = authorize([custom, allowAll], httpbin, { path: "/admin" });
      assert.deepEqual([deny.allowed, deny.custom], [false, ["foo/ext-authz"]]);
      assert.equal(authorize([custom, allowAll], httpbin, { path: "/admin" }, { customAnswer: "allow" }).allowed, true);
      assert.equal(authorize([custom, allowAll], httpbin, { path: "/public" }).allowed, true);
    });
  });

  describe("which workloads a policy applies to (AP spec.selector, root namespace)", () => {
    const onlyV1 = ap("v1-only", "foo", { selector: { matchLabels: { app: "httpbin", version: "v1" } } });

    it("applies a selector policy only to workloads with every selected label", () => {
      assert.equal(authorize([onlyV1], httpbin, {}).allowed, false);
      assert.equal(authorize([onlyV1], { namespace: "foo", labels: { app: "httpbin", version: "v2" } }, {}).allowed, true);
    });

    it("applies a policy of the root namespace to workloads of every namespace", () => {
      const mesh = ap("mesh-deny", "istio-system", { action: "DENY", rules: [{ to: [{ operation: { paths: ["/debug*"] } }] }] });
      assert.equal(authorize([mesh], { namespace: "bar" }, { path: "/debug/pprof" }).allowed, false);
      assert.equal(authorize([mesh], { namespace: "bar" }, { path: "/debug" }, { rootNamespace: "mesh-root" }).allowed, true);
    });

    it("never applies a policy of another namespace", () => {
      assert.equal(authorize([ap("deny", "bar", { action: "DENY", rules: [{}] })], httpbin, {}).allowed, true);
    });
  });

  describe("value matching and exclusion (SC #value-matching, #exclusion-matching)", () => {
    const paths = ap("paths", "foo", { rules: [{ to: [{ operation: { paths: ["/test/foo", "/api/*", "*/info", "*"] } }] }] });

    it("matches exact, prefix, suffix and presence patterns", () => {
      const only = (pattern: string, path: string): boolean =>
        authorize([ap("p", "foo", { rules: [{ to: [{ operation: { paths: [pattern] } }] }] })], httpbin, { path }).allowed;
      assert.deepEqual(
        [only("/test/foo", "/test/foo"), only("/test/foo", "/test/foo/x"), only("/api/*", "/api/"), only("/api/*", "/apix"), only("*/info", "/a/info"), only("*/info", "/info/a")],
        [true, false, true, false, true, false],
      );
      assert.equal(authorize([paths], httpbin, { path: "/anything" }).allowed, true);
      assert.equal(authorize([paths], httpbin, {}).allowed, false);
    });

    it("requires a JWT on every path but /healthz with notPaths and requestPrincipals", () => {
      const p = ap("jwt", "foo", { action: "ALLOW", rules: [{ to: [{ operation: { notPaths: ["/healthz"] } }], from: [{ source: { requestPrincipals: ["*"] } }] }] });
      assert.equal(authorize([p], httpbin, { path: "/data", requestPrincipal: "issuer/subject" }).allowed, true);
      assert.equal(authorize([p], httpbin, { path: "/data" }).allowed, false);
      assert.equal(authorize([p], httpbin, { path: "/healthz" }).allowed, false);
    });

    it("denies /admin without a request principal with notRequestPrincipals", () => {
      const p = ap("admin", "foo", { action: "DENY", rules: [{ to: [{ operation: { paths: ["/admin"] } }], from: [{ source: { notRequestPrincipals: ["*"] } }] }] });
      assert.equal(authorize([p], httpbin, { path: "/admin" }).allowed, false);
      assert.equal(authorize([p], httpbin, { path: "/admin", requestPrincipal: "issuer/subject" }).allowed, true);
    });

    it("needs mTLS for principals [\"*\"]: a plain-text request has no principal", () => {
      const p = ap("mtls", "foo", { rules: [{ from: [{ source: { principals: ["*"] } }] }] });
      assert.equal(authorize([p], httpbin, { principal: sleep }).allowed, true);
      assert.equal(authorize([p], httpbin, {}).allowed, false);
    });

    it("ANDs the fields of one source and matches hosts without regard to case", () => {
      const p = ap("and", "foo", {
        rules: [{ from: [{ source: { namespaces: ["default"], notPrincipals: [sleep] } }], to: [{ operation: { hosts: ["API.example.com"], ports: ["8080"] } }] }],
      });
      const other = principalFor("other", "default");
      assert.equal(authorize([p], httpbin, { principal: other, host: "api.EXAMPLE.com", port: 8080 }).allowed, true);
      assert.equal(authorize([p], httpbin, { principal: sleep, host: "api.example.com", port: 8080 }).allowed, false);
      assert.equal(authorize([p], httpbin, { principal: other, host: "api.example.com", port: 8081 }).allowed, false);
    });

    it("matches ipBlocks and remote.ip by CIDR, and headers by name without regard to case (CK)", () => {
      const p = ap("ip", "foo", {
        rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/16"] } }], when: [{ key: "remote.ip", notValues: ["203.0.113.0/24"] }, { key: "request.headers[X-Version]", values: ["v1"] }] }],
      });
      assert.equal(authorize([p], httpbin, { sourceIp: "10.0.3.4", remoteIp: "198.51.100.7", headers: { "x-version": "v1" } }).allowed, true);
      assert.equal(authorize([p], httpbin, { sourceIp: "10.0.3.4", remoteIp: "203.0.113.7", headers: { "x-version": "v1" } }).allowed, false);
      assert.equal(authorize([p], httpbin, { sourceIp: "10.1.3.4", headers: { "x-version": "v1" } }).allowed, false);
      assert.equal(authorize([p], httpbin, { sourceIp: "10.0.3.4", headers: { "x-version": "v2" } }).allowed, false);
    });

    it("matches list claims and audiences element by element (CK request.auth.claims, request.auth.audiences)", () => {
      const p = ap("claims", "foo", { rules: [{ when: [{ key: "request.auth.claims[groups]", values: ["admins"] }, { key: "request.auth.audiences", values: ["pfv5"] }] }] });
      assert.equal(authorize([p], httpbin, { claims: { groups: ["dev", "admins"] }, audiences: ["other", "pfv5"] }).allowed, true);
      assert.equal(authorize([p], httpbin, { claims: { groups: ["dev"] }, audiences: ["pfv5"] }).allowed, false);
    });
  });

  describe("rules are ORed: the split from/to rule of the seed", () => {
    const gateway = principalFor("istio-ingressgateway-service-account", "istio-system");
    const split = ap("split", "foo", { rules: [{ from: [{ source: { principals: [gateway] } }] }, { to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }] });
    const combined = ap("combined", "foo", { rules: [{ from: [{ source: { principals: [gateway] } }], to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }] });

    it("lets anyone call the listed paths and the gateway call anything when from and to are separate rules", () => {
      assert.equal(authorize([split], httpbin, { method: "GET", path: "/api/users" }).allowed, true);
      assert.equal(authorize([split], httpbin, { principal: gateway, method: "DELETE", path: "/admin" }).allowed, true);
    });

    it("allows only the gateway on the listed paths when from and to share one rule", () => {
      assert.equal(authorize([combined], httpbin, { method: "GET", path: "/api/users" }).allowed, false);
      assert.equal(authorize([combined], httpbin, { principal: gateway, method: "DELETE", path: "/admin" }).allowed, false);
      assert.equal(authorize([combined], httpbin, { principal: gateway, method: "GET", path: "/api/users" }).allowed, true);
    });
  });

  describe("validation", () => {
    it("rejects source.labels, which is not a condition key (CK), with every other problem in one error", () => {
      const bad = ap("bad", "foo", {
        action: "CUSTOM",
        rules: [
          { from: [{ source: {} }], to: [{ operation: { ports: ["http"] } }], when: [{ key: "source.labels[app]", values: ["mca"] }, { key: "source.ip" }] },
          { from: [{ source: { ipBlocks: ["10.0.0.300"], principals: [""] } }] },
        ],
      });
      assert.throws(
        () => new AuthorizationEvaluator([bad]),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.problems.map((p) => p.key),
            [
              "policies[0] (foo/bad).spec.provider",
              "policies[0] (foo/bad).spec.rules[0].from[0].source",
              "policies[0] (foo/bad).spec.rules[0].to[0].operation.ports[0]",
              "policies[0] (foo/bad).spec.rules[0].when[0].key",
              "policies[0] (foo/bad).spec.rules[0].when[1]",
              "policies[0] (foo/bad).spec.rules[1].from[0].source.principals",
              "policies[0] (foo/bad).spec.rules[1].from[0].source.ipBlocks[0]",
            ],
          );
          assert.match(e.message, /source\.labels\[app\]": not a condition key Istio supports/);
          return true;
        },
      );
    });
  });
});
