import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as tls from "@pulumi/tls";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { CertificateResource, certificate } from "../testing/tls-fixtures";
import { tlsKeyStrength as policy } from "./tls-key-strength";

describe("tls-key-strength", () => {
  it("accepts P-256 and P-384 ECDSA, RSA 2048 and up, Ed25519, and cert-manager's defaults", async () => {
    for (const args of [
      resourceArgs(tls.PrivateKey, { algorithm: "ECDSA", ecdsaCurve: "P256" }),
      resourceArgs(tls.PrivateKey, { algorithm: "ECDSA", ecdsaCurve: "P384" }),
      resourceArgs(tls.PrivateKey, { algorithm: "RSA" }),
      resourceArgs(tls.PrivateKey, { algorithm: "RSA", rsaBits: 4096 }),
      resourceArgs(tls.PrivateKey, { algorithm: "ED25519" }),
      resourceArgs(CertificateResource, certificate("c", "letsencrypt-prod", ["example.com"], { privateKey: { algorithm: "ECDSA", size: 256 } })),
      resourceArgs(CertificateResource, certificate("d", "letsencrypt-prod", ["example.com"])),
      resourceArgs(aws.acm.Certificate, { domainName: "example.com", keyAlgorithm: "EC_prime256v1" }),
    ]) {
      assert.deepEqual(await runResource(policy, args), { violations: [] });
    }
  });

  it("rejects the provider's default P-224 curve, short RSA keys and weak certificate keys", async () => {
    const cases = [
      resourceArgs(tls.PrivateKey, { algorithm: "ECDSA" }, { name: "default-curve" }),
      resourceArgs(tls.PrivateKey, { algorithm: "RSA", rsaBits: 1024 }, { name: "rsa1024" }),
      resourceArgs(CertificateResource, certificate("weak", "letsencrypt-prod", ["example.com"], { privateKey: { algorithm: "RSA", size: 1024 } }), { name: "weak" }),
      resourceArgs(aws.acm.Certificate, { domainName: "example.com", keyAlgorithm: "RSA_1024" }, { name: "acm" }),
    ];
    const found = (await Promise.all(cases.map((c) => runResource(policy, c)))).flatMap(whats);
    assert.deepEqual(found, [
      'tls.PrivateKey "default-curve" is an ECDSA key on P224 (the provider\'s default, as no curve is set)',
      'tls.PrivateKey "rsa1024" is a 1024-bit RSA key',
      'kubernetes.cert-manager.io.Certificate "weak" requests a 1024-bit RSA key',
      'aws.acm.Certificate "acm" requests an RSA_1024 key',
    ]);
  });

  it("does not apply to other resources", async () => {
    assert.equal((await runResource(policy, resourceArgs(tls.SelfSignedCert, { allowedUses: [], validityPeriodHours: 1 }))).notApplicable,
      "applies only to tls.PrivateKey, kubernetes.cert-manager.io.Certificate, aws.acm.Certificate");
  });
});
