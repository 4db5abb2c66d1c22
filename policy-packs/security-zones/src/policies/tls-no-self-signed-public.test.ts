import * as assert from "node:assert/strict";
import * as tls from "@pulumi/tls";
import { resourceArgs, runResource, runStack, StackBuilder, whats } from "../testing/harness";
import { acmeIssuer, CertificateResource, certificate, ClusterIssuerResource } from "../testing/tls-fixtures";
import { tlsNoSelfSignedPublic as policy } from "./tls-no-self-signed-public";

const selfSigned = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "selfsigned" }, spec: { selfSigned: {} } };

describe("tls-no-self-signed-public", () => {
  it("accepts a self-signed CA root and self-signed certificates for internal names", async () => {
    assert.deepEqual(await runResource(policy, resourceArgs(tls.SelfSignedCert, { isCaCertificate: true, allowedUses: ["certSigning"], validityPeriodHours: 87600, subject: { commonName: "Root" } })), { violations: [] });
    assert.deepEqual(await runResource(policy, resourceArgs(tls.SelfSignedCert, { allowedUses: ["serverAuth"], validityPeriodHours: 24, dnsNames: ["api.prod.svc.cluster.local", "localhost", "web.internal"] })), { violations: [] });
    const b = new StackBuilder();
    b.add(ClusterIssuerResource, "selfsigned", selfSigned);
    b.add(ClusterIssuerResource, "le", acmeIssuer("letsencrypt-prod", [{ http01: { ingress: { ingressClassName: "nginx" } } }]));
    b.add(CertificateResource, "internal", certificate("internal", "selfsigned", ["api.pf.svc.cluster.local"]));
    b.add(CertificateResource, "public", certificate("public", "letsencrypt-prod", ["example.com"]));
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects a self-signed server certificate and a self-signed issuer for public names", async () => {
    const out = await runResource(policy, resourceArgs(tls.SelfSignedCert, { allowedUses: ["serverAuth"], validityPeriodHours: 24, dnsNames: ["example.com", "x.internal"] }, { name: "site" }));
    assert.deepEqual(whats(out), ['tls.SelfSignedCert "site" is a self-signed certificate for the public names example.com']);
    const b = new StackBuilder();
    b.add(ClusterIssuerResource, "selfsigned", selfSigned);
    b.add(CertificateResource, "app", certificate("app", "selfsigned", ["api.example.com", "*.example.com"]));
    const stack = await runStack(policy, b.resources);
    assert.deepEqual(whats(stack), ['kubernetes.cert-manager.io.Certificate "app" asks the self-signed ClusterIssuer "selfsigned" for the public names api.example.com, *.example.com']);
  });

  it("does not apply to other resources or stacks without Certificates", async () => {
    assert.match((await runResource(policy, resourceArgs(tls.PrivateKey, { algorithm: "RSA" }))).notApplicable ?? "", /^applies only to tls\.SelfSignedCert$/);
    assert.equal((await runStack(policy, new StackBuilder().resources)).notApplicable, "applies only to kubernetes.cert-manager.io.Certificate");
  });
});
