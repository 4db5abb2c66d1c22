import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { CertificateResource, certificate } from "../testing/tls-fixtures";
import { tlsApprovedIssuer as policy } from "./tls-approved-issuer";

describe("tls-approved-issuer", () => {
  it("accepts Certificates and Ingresses naming the approved ClusterIssuers", async () => {
    for (const args of [
      resourceArgs(CertificateResource, certificate("a", "letsencrypt-prod", ["example.com"])),
      resourceArgs(CertificateResource, certificate("b", "internal-ca", ["api.pf.svc"])),
      resourceArgs(kubernetes.networking.v1.Ingress, { metadata: { annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-staging" } } }),
      resourceArgs(kubernetes.networking.v1.Ingress, { metadata: { name: "plain" } }),
    ]) {
      assert.deepEqual(await runResource(policy, args), { violations: [] });
    }
  });

  it("rejects an unknown ClusterIssuer, a namespaced Issuer and an external issuer", async () => {
    const nsIssuer = certificate("ns", "team-issuer", ["example.com"]);
    const cases = [
      resourceArgs(CertificateResource, certificate("rogue", "my-issuer", ["example.com"]), { name: "rogue" }),
      resourceArgs(CertificateResource, { ...nsIssuer, spec: { secretName: "s", issuerRef: { name: "team-issuer" }, dnsNames: ["example.com"] } }, { name: "ns" }),
      resourceArgs(CertificateResource, { ...nsIssuer, spec: { secretName: "s", issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer", group: "awspca.cert-manager.io" } } }, { name: "pca" }),
      resourceArgs(kubernetes.networking.v1.Ingress, { metadata: { annotations: { "cert-manager.io/issuer": "team-issuer", "cert-manager.io/cluster-issuer": "other" } } }, { name: "web" }),
    ];
    const found = (await Promise.all(cases.map((c) => runResource(policy, c)))).flatMap(whats);
    assert.deepEqual(found, [
      'kubernetes.cert-manager.io.Certificate "rogue" names the ClusterIssuer "my-issuer", which is not an approved ClusterIssuer',
      'kubernetes.cert-manager.io.Certificate "ns" names the Issuer "team-issuer", which is not an approved ClusterIssuer',
      'kubernetes.cert-manager.io.Certificate "pca" names the ClusterIssuer "letsencrypt-prod" of group awspca.cert-manager.io, which is not an approved ClusterIssuer',
      'kubernetes.networking.k8s.io.Ingress "web" asks cert-manager for a certificate from the namespaced Issuer "team-issuer"',
      'kubernetes.networking.k8s.io.Ingress "web" asks cert-manager for a certificate from the ClusterIssuer "other", which is not approved',
    ]);
  });

  it("does not apply to other resources", async () => {
    assert.equal((await runResource(policy, resourceArgs(kubernetes.core.v1.ConfigMap, { data: {} }))).notApplicable,
      "applies only to kubernetes.cert-manager.io.Certificate, kubernetes.networking.k8s.io.Ingress");
  });
});
