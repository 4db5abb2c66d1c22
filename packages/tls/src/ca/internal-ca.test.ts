import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, resourcesNamed, valueOf } from "../../../../test/setup/helpers";
import { InternalCa } from "./internal-ca";

const fake = (kind: string, name: string): string => `-----BEGIN ${kind}-----\nfake-${name}\n-----END ${kind}-----\n`;
/** How a secret input reaches the mock monitor: wrapped with Pulumi's secret signature. */
const secretInput = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/** Records the options of every resource registered under a component (mocks do not see them). */
function optionsRecorder(seen: Map<string, pulumi.ResourceOptions>): pulumi.ResourceTransformation {
  return (a) => {
    seen.set(a.name, a.opts);
    return undefined;
  };
}

describe("InternalCa", () => {
  describe("with Istio and a cert-manager issuer", () => {
    const options = new Map<string, pulumi.ResourceOptions>();
    const release = new pulumi.ComponentResource("test:index:CertManagerRelease", "ca1-cert-manager");
    const ca = new InternalCa("ca1", {
      curve: "P384",
      protect: true,
      istio: {},
      clusterIssuer: {},
      certManagerRelease: release,
    }, { transformations: [optionsRecorder(options)] });

    before(async () => {
      await valueOf(ca.caChainPem);
      await valueOf(ca.intermediatePrivateKeyPem);
    });

    it("creates two ECDSA keys on the chosen curve, nothing else of the kind", () => {
      const keys = resourcesNamed("ca1-", "tls:index/privateKey:PrivateKey");
      assert.deepEqual(keys.map((k) => k.name).sort(), ["ca1-intermediate-key", "ca1-root-key"]);
      for (const k of keys) assert.deepEqual(k.inputs, { algorithm: "ECDSA", ecdsaCurve: "P384" });
    });

    it("makes the root a self-signed CA that allows one CA below it", () => {
      const [root, ...rest] = resourcesNamed("ca1-root", "tls:index/selfSignedCert:SelfSignedCert");
      assert.equal(rest.length, 0);
      assert.deepEqual(root?.inputs, {
        privateKeyPem: secretInput(fake("EC PRIVATE KEY", "ca1-root-key")),
        subject: { commonName: "Progressive-Framework-v5 Root CA", organization: "Progressive-Framework-v5" },
        isCaCertificate: true,
        maxPathLength: 1,
        validityPeriodHours: 87600,
        allowedUses: ["certSigning", "crlSigning"],
        setSubjectKeyId: true,
        setAuthorityKeyId: true,
      });
    });

    it("signs the intermediate's request with the root key as a CA certificate", () => {
      const [csr] = resourcesNamed("ca1-intermediate-csr", "tls:index/certRequest:CertRequest");
      assert.deepEqual(csr?.inputs, {
        privateKeyPem: secretInput(fake("EC PRIVATE KEY", "ca1-intermediate-key")),
        subject: { commonName: "Progressive-Framework-v5 Intermediate CA", organization: "Progressive-Framework-v5" },
      });
      const signed = resourcesNamed("ca1-intermediate", "tls:index/locallySignedCert:LocallySignedCert");
      assert.equal(signed.length, 1);
      assert.deepEqual(signed[0]?.inputs, {
        certRequestPem: fake("CERTIFICATE REQUEST", "ca1-intermediate-csr"),
        caCertPem: fake("CERTIFICATE", "ca1-root"),
        caPrivateKeyPem: secretInput(fake("EC PRIVATE KEY", "ca1-root-key")),
        isCaCertificate: true,
        validityPeriodHours: 43800,
        allowedUses: ["certSigning", "crlSigning"],
        setSubjectKeyId: true,
      });
    });

    it("protects the CA keys, request and certificates when asked", () => {
      assert.deepEqual(
        ["ca1-root-key", "ca1-root", "ca1-intermediate-key", "ca1-intermediate-csr", "ca1-intermediate"].map((n) => options.get(n)?.protect),
        [true, true, true, true, true],
      );
    });

    it("writes Istio's plug-in CA secret with the four file names istiod reads", () => {
      const [secret, ...rest] = resourcesNamed("ca1-istio-cacerts", "kubernetes:core/v1:Secret");
      assert.equal(rest.length, 0);
      assert.deepEqual(secret?.inputs, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "cacerts", namespace: "istio-system" },
        type: "Opaque",
        stringData: secretInput({
          "ca-cert.pem": fake("CERTIFICATE", "ca1-intermediate"),
          "ca-key.pem": fake("EC PRIVATE KEY", "ca1-intermediate-key"),
          "root-cert.pem": fake("CERTIFICATE", "ca1-root"),
          "cert-chain.pem": fake("CERTIFICATE", "ca1-intermediate") + fake("CERTIFICATE", "ca1-root"),
        }),
      });
      assert.equal(ca.istioSecret, "istio-system/cacerts");
    });

    it("backs a CA ClusterIssuer with a TLS secret holding the intermediate, its chain and key", () => {
      const [secret] = resourcesNamed("ca1-issuer-ca", "kubernetes:core/v1:Secret");
      assert.deepEqual(secret?.inputs, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "internal-ca-ca", namespace: "cert-manager" },
        type: "kubernetes.io/tls",
        stringData: secretInput({
          "tls.crt": fake("CERTIFICATE", "ca1-intermediate") + fake("CERTIFICATE", "ca1-root"),
          "tls.key": fake("EC PRIVATE KEY", "ca1-intermediate-key"),
        }),
      });
      const issuers = resourcesNamed("ca1-cluster-issuer", "kubernetes:cert-manager.io/v1:ClusterIssuer");
      assert.equal(issuers.length, 1);
      assert.deepEqual(issuers[0]?.inputs, {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "internal-ca" },
        spec: { ca: { secretName: "internal-ca-ca" } },
      });
      assert.equal(ca.clusterIssuerName, "internal-ca");
    });

    it("makes the ClusterIssuer wait for the cert-manager release and its secret", async () => {
      const deps = options.get("ca1-cluster-issuer")?.dependsOn;
      assert.ok(Array.isArray(deps));
      const urns = await Promise.all(deps.map(async (d) => valueOf((await valueOf<pulumi.Resource>(d)).urn)));
      assert.deepEqual(urns.map((u) => u.split("::").pop()).sort(), ["ca1-cert-manager", "ca1-issuer-ca"]);
    });

    it("keeps the intermediate key secret and the certificates readable", async () => {
      assert.equal(await isSecret(ca.intermediatePrivateKeyPem), true);
      assert.equal(await isSecret(ca.rootCertPem), false);
      assert.equal(await valueOf(ca.caChainPem), fake("CERTIFICATE", "ca1-intermediate") + fake("CERTIFICATE", "ca1-root"));
    });
  });

  describe("with defaults only", () => {
    const options = new Map<string, pulumi.ResourceOptions>();
    const ca = new InternalCa("ca2", {}, { transformations: [optionsRecorder(options)] });
    before(async () => {
      await valueOf(ca.caChainPem);
    });

    it("uses P-256 keys and creates no Kubernetes objects", () => {
      assert.deepEqual(resourcesNamed("ca2-", "tls:index/privateKey:PrivateKey").map((k) => k.inputs["ecdsaCurve"]), ["P256", "P256"]);
      assert.equal(resourcesNamed("ca2-").filter((r) => r.type.startsWith("kubernetes:")).length, 0);
      assert.equal(ca.clusterIssuerName, undefined);
      assert.equal(ca.istioSecret, undefined);
    });

    it("leaves the CA material unprotected outside production", () => {
      assert.deepEqual([...options.entries()].filter(([n]) => n.startsWith("ca2-")).map(([, o]) => o.protect), [false, false, false, false, false]);
    });
  });

  it("rejects bad arguments in one error naming each and registers nothing", () => {
    assert.throws(
      () => new InternalCa("ca3", {
        curve: "P224" as "P256",
        rootValidityHours: 100,
        intermediateValidityHours: 200,
        intermediateAllowedUses: ["crlSigning", "certsigning"],
        istio: { namespace: "Istio System" },
      }),
      (e: Error) => {
        assert.equal(e.name, "ValidationError");
        assert.match(e.message, /^InternalCa: 5 problems/);
        assert.match(e.message, /curve = "P224": use one of P256, P384/);
        assert.match(e.message, /intermediateValidityHours = 200: must be shorter than the root's 100 hours/);
        assert.match(e.message, /intermediateAllowedUses\[1\] = "certsigning": is not a key use/);
        assert.match(e.message, /intermediateAllowedUses = \["crlSigning","certsigning"\]: lacks "certSigning"/);
        assert.match(e.message, /istio\.namespace = "Istio System": expected a Kubernetes name/);
        return true;
      },
    );
    assert.equal(resourcesNamed("ca3").length, 0);
  });
});
