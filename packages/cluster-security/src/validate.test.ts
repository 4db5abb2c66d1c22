import * as assert from "node:assert/strict";
import { ValidationError } from "@pfv5/zones";
import { CHARTS, DEFAULT_SERVICE_ACCOUNTS } from "./defaults";
import { resolveClusterSecurityArgs } from "./validate";

const JWT = { issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks.json", audiences: ["pfv5"] };

function problems(input: Record<string, unknown>): string[] {
  try {
    resolveClusterSecurityArgs("cs", input);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    assert.equal(e.subject, 'ClusterSecurity "cs"');
    return e.problems.map((p) => p.key);
  }
  return [];
}

describe("ClusterSecurity arguments", () => {
  it("fills every default from the environment alone (and the JWT the mesh needs)", () => {
    const r = resolveClusterSecurityArgs("cs", { environment: "dev", jwt: JWT });
    assert.deepEqual(r.namespaces, { app: "progressive-framework-dev", ingress: "ingress-nginx", monitoring: "monitoring", dns: "kube-system", mesh: "istio-system" });
    assert.deepEqual(r.serviceAccounts, DEFAULT_SERVICE_ACCOUNTS);
    assert.deepEqual([r.trustDomain, r.mesh, r.meshWideMtls, r.externalPaths, r.publicPaths, r.appEgress, r.installs], ["cluster.local", true, true, ["/api/*"], ["/health"], [], {}]);
    assert.deepEqual(r.labels, { "app.kubernetes.io/part-of": "progressive-framework-v5", "app.kubernetes.io/managed-by": "pulumi", "pfv5.io/environment": "dev" });
  });

  it("takes pinned chart versions for `true` and the given version otherwise", () => {
    const r = resolveClusterSecurityArgs("cs", { environment: "prod", jwt: JWT, installs: { istio: true, certManager: { version: "v1.16.3" }, falco: false } });
    assert.deepEqual(r.installs, { istio: CHARTS.istio.version, certManager: "v1.16.3" });
  });

  it("needs no JWT with the mesh off", () => {
    assert.deepEqual(problems({ environment: "dev", mesh: false }), []);
  });

  it("lists every problem at once, each under the key the user wrote", () => {
    assert.deepEqual(
      problems({
        enviroment: "prod",
        namespaces: { app: "ingress-nginx", mesh: "Istio_System" },
        serviceAccounts: { mca: "progressive-app-sa", npa: "NPA" },
        trustDomain: "cluster.local/x",
        mesh: "yes",
        jwt: { issuer: "", jwksUri: "http://auth.example.com/jwks", audiences: [] },
        externalPaths: ["/api/*"],
        publicPaths: ["/api/health", "health", "/a*b*"],
        appEgress: [{ cidr: "0.0.0.0/0", ports: [443] }, { cidr: "10.0.0.1/24", protocol: "ICMP", ports: [] }],
        installs: { istio: "latest", falco: { version: "4.x" }, linkerd: true },
      }),
      [
        "enviroment",
        "environment",
        "namespaces.mesh",
        "namespaces.app",
        "serviceAccounts.npa",
        "serviceAccounts.mca",
        "trustDomain",
        "mesh",
        "jwt.issuer",
        "jwt.jwksUri",
        "jwt.audiences",
        "publicPaths[1]",
        "publicPaths[2]",
        "publicPaths[0]",
        "appEgress[0].cidr",
        "appEgress[1].cidr",
        "appEgress[1].protocol",
        "appEgress[1].ports",
        "installs.linkerd",
        "installs.istio",
        "installs.falco.version",
      ],
    );
  });

  it("says what is wrong, why, and the fix, quoting the value", () => {
    assert.throws(
      () => resolveClusterSecurityArgs("cs", { environment: "prod", jwt: JWT, publicPaths: ["/api/status"] }),
      {
        name: "ValidationError",
        message:
          'ClusterSecurity "cs": 1 problem\n  - publicPaths[0] = "/api/status": overlaps the external path "/api/*", so it would be reachable without a token: keep public paths outside the external ones',
      },
    );
  });

  it("requires the JWT settings with the mesh on, and refuses an Istio install with the mesh off", () => {
    assert.deepEqual(problems({ environment: "prod" }), ["jwt"]);
    assert.deepEqual(problems({ environment: "prod", mesh: false, installs: { istio: true } }), ["installs.istio"]);
  });
});
