import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AcmeCertificates } from "./acme-certificates";

function optionsRecorder(seen: Map<string, pulumi.ResourceOptions>): pulumi.ResourceTransformation {
  return (a) => {
    seen.set(a.name, a.opts);
    return undefined;
  };
}

async function dependencyNames(opts: pulumi.ResourceOptions | undefined): Promise<string[]> {
  const deps = opts?.dependsOn;
  if (!Array.isArray(deps)) return [];
  const urns = await Promise.all(deps.map(async (d) => valueOf((await valueOf<pulumi.Resource>(d)).urn)));
  return urns.map((u) => u.split("::").pop() ?? "").sort();
}

const plainSolver = {
  selector: { dnsNames: ["example.com", "api.example.com", "agents.example.com", "admin.example.com"] },
  http01: { ingress: { ingressClassName: "nginx" } },
};

describe("AcmeCertificates", () => {
  describe("with Route 53 through an assumed role", () => {
    const options = new Map<string, pulumi.ResourceOptions>();
    const release = new pulumi.ComponentResource("test:index:CertManagerRelease", "acme1-cert-manager");
    const acme = new AcmeCertificates("acme1", {
      domain: "example.com",
      email: "ops@example.com",
      namespace: "progressive-framework-prod",
      route53: { region: "us-east-1", hostedZoneId: "Z0123456789ABC", role: "arn:aws:iam::123456789012:role/cert-manager" },
      certManagerRelease: release,
    }, { transformations: [optionsRecorder(options)] });
    const wildcardSolver = {
      selector: { dnsNames: ["*.example.com"] },
      dns01: { route53: { region: "us-east-1", hostedZoneID: "Z0123456789ABC", role: "arn:aws:iam::123456789012:role/cert-manager" } },
    };

    before(async () => {
      await valueOf(acme.urn);
      await settle();
    });

    it("creates the production issuer with one solver per challenge, each bound by a selector", () => {
      const issuers = resourcesNamed("acme1-", "kubernetes:cert-manager.io/v1:ClusterIssuer");
      assert.equal(issuers.length, 2);
      assert.deepEqual(resourcesNamed("acme1-letsencrypt-production")[0]?.inputs, {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt-prod" },
        spec: {
          acme: {
            server: "https://acme-v02.api.letsencrypt.org/directory",
            email: "ops@example.com",
            privateKeySecretRef: { name: "letsencrypt-prod-account-key" },
            solvers: [plainSolver, wildcardSolver],
          },
        },
      });
    });

    it("creates the staging issuer against the staging directory with the same solvers", () => {
      assert.deepEqual(resourcesNamed("acme1-letsencrypt-staging")[0]?.inputs, {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt-staging" },
        spec: {
          acme: {
            server: "https://acme-staging-v02.api.letsencrypt.org/directory",
            email: "ops@example.com",
            privateKeySecretRef: { name: "letsencrypt-staging-account-key" },
            solvers: [plainSolver, wildcardSolver],
          },
        },
      });
    });

    it("requests the four hosts and the wildcard from the production issuer with ECDSA keys rotated on renewal", () => {
      const certs = resourcesNamed("acme1-", "kubernetes:cert-manager.io/v1:Certificate");
      assert.equal(certs.length, 2);
      const common = {
        issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer", group: "cert-manager.io" },
        duration: "2160h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: ["digital signature", "server auth"],
      };
      assert.deepEqual(resourcesNamed("acme1-hosts")[0]?.inputs, {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "progressive-framework-tls", namespace: "progressive-framework-prod" },
        spec: { ...common, secretName: "progressive-framework-tls-secret", dnsNames: ["example.com", "api.example.com", "agents.example.com", "admin.example.com"] },
      });
      assert.deepEqual(resourcesNamed("acme1-wildcard")[0]?.inputs, {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "progressive-framework-wildcard", namespace: "progressive-framework-prod" },
        spec: { ...common, secretName: "progressive-framework-wildcard-secret", dnsNames: ["*.example.com"] },
      });
    });

    it("makes every object wait for the cert-manager release, and the certificates for their issuer", async () => {
      assert.deepEqual(await dependencyNames(options.get("acme1-letsencrypt-production")), ["acme1-cert-manager"]);
      assert.deepEqual(await dependencyNames(options.get("acme1-letsencrypt-staging")), ["acme1-cert-manager"]);
      assert.deepEqual(await dependencyNames(options.get("acme1-hosts")), ["acme1-cert-manager", "acme1-letsencrypt-production"]);
      assert.deepEqual(await dependencyNames(options.get("acme1-wildcard")), ["acme1-cert-manager", "acme1-letsencrypt-production"]);
    });

    it("reports the issuer and secret names the ingress needs", () => {
      assert.deepEqual(
        [acme.productionIssuerName, acme.stagingIssuerName, acme.issuerName, acme.hostsSecretName, acme.wildcardSecretName],
        ["letsencrypt-prod", "letsencrypt-staging", "letsencrypt-prod", "progressive-framework-tls-secret", "progressive-framework-wildcard-secret"],
      );
    });
  });

  describe("with a credentials secret, staging in use and no wildcard", () => {
    const acme = new AcmeCertificates("acme2", {
      domain: "example.org",
      hosts: { app: "app.example.org" },
      email: "ops@example.org",
      namespace: "pf-staging",
      route53: { region: "eu-west-1", credentialsSecret: { name: "route53-credentials" } },
      use: "staging",
      wildcard: false,
    });
    before(async () => {
      await valueOf(acme.urn);
      await settle();
    });

    it("references both halves of the key pair from the secret, never an inline key id", () => {
      const spec = resourcesNamed("acme2-letsencrypt-staging")[0]?.inputs["spec"] as { acme: { solvers: unknown[] } };
      assert.deepEqual(spec.acme.solvers[1], {
        selector: { dnsNames: ["*.example.org"] },
        dns01: {
          route53: {
            region: "eu-west-1",
            accessKeyIDSecretRef: { name: "route53-credentials", key: "access-key-id" },
            secretAccessKeySecretRef: { name: "route53-credentials", key: "secret-access-key" },
          },
        },
      });
    });

    it("creates only the hosts certificate, from the staging issuer", () => {
      const certs = resourcesNamed("acme2-", "kubernetes:cert-manager.io/v1:Certificate");
      assert.deepEqual(certs.map((c) => c.name), ["acme2-hosts"]);
      const spec = certs[0]?.inputs["spec"] as { issuerRef: unknown; dnsNames: unknown };
      assert.deepEqual(spec.issuerRef, { name: "letsencrypt-staging", kind: "ClusterIssuer", group: "cert-manager.io" });
      assert.deepEqual(spec.dnsNames, ["app.example.org", "api.example.org", "agents.example.org", "admin.example.org"]);
      assert.equal(acme.wildcardSecretName, undefined);
    });
  });

  it("rejects a wildcard without dns-01, a host outside the domain and equal issuer names in one error", () => {
    assert.throws(
      () => new AcmeCertificates("acme3", {
        domain: "example.com",
        hosts: { admin: "admin.example.net" },
        email: "ops@example.com",
        namespace: "pf",
        staging: { name: "letsencrypt-prod" },
      }),
      (e: Error) => {
        assert.match(e.message, /^AcmeCertificates: 3 problems/);
        assert.match(e.message, /hosts\.admin = "admin\.example\.net": is not under the domain "example\.com"/);
        assert.match(e.message, /staging\.name = "letsencrypt-prod": is also the production issuer's name/);
        assert.match(e.message, /route53 = undefined: is required for the wildcard certificate: only dns-01 can prove a wildcard name/);
        return true;
      },
    );
    assert.equal(resourcesNamed("acme3").length, 0);
  });
});
