import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { acmeIssuer, ClusterIssuerResource, IssuerResource } from "../testing/tls-fixtures";
import { tlsNoInlineIssuerCredentials as policy } from "./tls-no-inline-issuer-credentials";

describe("tls-no-inline-issuer-credentials", () => {
  it("accepts ambient credentials, an assumed role and Secret references", async () => {
    const issuer = acmeIssuer("letsencrypt-prod", [
      { selector: { dnsNames: ["*.example.com"] }, dns01: { route53: { region: "us-east-1", role: "arn:aws:iam::123456789012:role/cm" } } },
      { dns01: { route53: { region: "us-east-1", accessKeyIDSecretRef: { name: "r53", key: "id" }, secretAccessKeySecretRef: { name: "r53", key: "secret" } } } },
      { dns01: { cloudflare: { apiTokenSecretRef: { name: "cf", key: "token" } } } },
    ]);
    assert.deepEqual(await runResource(policy, resourceArgs(ClusterIssuerResource, issuer)), { violations: [] });
  });

  it("rejects an inline access key id and secret key, naming each path", async () => {
    const issuer = acmeIssuer("letsencrypt-prod", [
      { http01: { ingress: { class: "nginx" } } },
      { dns01: { route53: { region: "us-east-1", accessKeyID: "AKIAEXAMPLE", secretAccessKey: "wJalrEXAMPLE" } } },
    ]);
    const out = await runResource(policy, resourceArgs(IssuerResource, { ...issuer, kind: "Issuer" }, { name: "le" }));
    assert.deepEqual(whats(out), [
      'kubernetes.cert-manager.io.Issuer "le" sets spec.acme.solvers[1].dns01.route53.accessKeyID inline',
      'kubernetes.cert-manager.io.Issuer "le" sets spec.acme.solvers[1].dns01.route53.secretAccessKey inline',
    ]);
    assert.match(out.violations[0]?.message ?? "", /\nFix: drop the inline key: use cert-manager's ambient credentials \(IRSA\)/);
  });

  it("reports an issuer whose solvers are unknown in preview as not checkable", async () => {
    const out = await runResource(policy, resourceArgs(ClusterIssuerResource, acmeIssuer("x", []), { name: "pending", unknowns: ["spec.acme.solvers"] }));
    assert.deepEqual(whats(out), ['kubernetes.cert-manager.io.ClusterIssuer "pending" could not be checked: spec.acme.solvers is unknown until deployment, so preview cannot show that it complies']);
  });

  it("does not apply to other resources", async () => {
    assert.equal((await runResource(policy, resourceArgs(kubernetes.core.v1.Secret, { stringData: { token: "x" } }))).notApplicable,
      "applies only to kubernetes.cert-manager.io.ClusterIssuer, kubernetes.cert-manager.io.Issuer");
  });
});
