import * as assert from "node:assert/strict";
import { certificateManifests, clusterIssuerManifests, type Http01IngressWithClassName } from "./models";

describe("cert-manager models", () => {
  it("returns a ClusterIssuer manifest that keeps every field, including ingressClassName", () => {
    const ingress: Http01IngressWithClassName = { ingressClassName: "nginx" };
    const [issuer] = clusterIssuerManifests([{
      name: "le",
      spec: { acme: { server: "https://acme.example/dir", privateKeySecretRef: { name: "k" }, solvers: [{ http01: { ingress } }] } },
    }]);
    assert.deepEqual(issuer, {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "le" },
      spec: { acme: { server: "https://acme.example/dir", privateKeySecretRef: { name: "k" }, solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }] } },
    });
  });

  it("rejects, at construction, every object the CRD schema refuses, naming each", () => {
    assert.throws(
      () => certificateManifests([
        { name: "ok", namespace: "n", spec: { secretName: "s", issuerRef: { name: "le" }, dnsNames: ["a.example.com"] } },
        { name: "half-key", namespace: "n", spec: { secretName: "s", issuerRef: { name: "le" }, privateKey: { algorithm: "ECDSA", size: 256.5 } } },
      ]),
      (e: Error) => {
        assert.match(e.message, /^cert-manager Certificate: 1 problem\n {2}- Certificate "n\/half-key" = .*does not match the cert-manager CRD schema \(data\/spec\/privateKey\/size must be integer\)/);
        return true;
      },
    );
    assert.throws(
      () => clusterIssuerManifests([{
        name: "gw",
        spec: { acme: { server: "https://acme.example/dir", privateKeySecretRef: { name: "k" }, solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: "gw", port: 70000 }] } } }] } },
      }]),
      /ClusterIssuer "gw" = .*does not match the cert-manager CRD schema \(data\/spec\/acme\/solvers\/0\/http01\/gatewayHTTPRoute\/parentRefs\/0\/port must be <= 65535\)/,
    );
  });
});
