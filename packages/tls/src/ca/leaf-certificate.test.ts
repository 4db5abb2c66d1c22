import * as assert from "node:assert/strict";
import { isSecret, resourcesNamed, valueOf } from "../../../../test/setup/helpers";
import { InternalCa } from "./internal-ca";
import { planLeaf } from "./plan";

const fake = (kind: string, name: string): string => `-----BEGIN ${kind}-----\nfake-${name}\n-----END ${kind}-----\n`;
const secretInput = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("LeafCertificate", () => {
  const ca = new InternalCa("leafca");
  const leaf = ca.issueLeaf("leaf1", { dnsNames: ["api.example.com", "*.agents.example.com"], ipAddresses: ["10.0.10.5"] });

  before(async () => {
    await valueOf(leaf.fullChainPem);
  });

  it("generates its own P-256 key", () => {
    const keys = resourcesNamed("leaf1-", "tls:index/privateKey:PrivateKey");
    assert.equal(keys.length, 1);
    assert.deepEqual(keys[0]?.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  });

  it("requests every DNS name and address, named after the first DNS name", () => {
    const [csr, ...rest] = resourcesNamed("leaf1-csr", "tls:index/certRequest:CertRequest");
    assert.equal(rest.length, 0);
    assert.deepEqual(csr?.inputs, {
      privateKeyPem: secretInput(fake("EC PRIVATE KEY", "leaf1-key")),
      subject: { commonName: "api.example.com" },
      dnsNames: ["api.example.com", "*.agents.example.com"],
      ipAddresses: ["10.0.10.5"],
    });
  });

  it("is signed by the intermediate for 90 days as a server certificate, renewed 30 days early", () => {
    const [cert, ...rest] = resourcesNamed("leaf1-cert", "tls:index/locallySignedCert:LocallySignedCert");
    assert.equal(rest.length, 0);
    assert.deepEqual(cert?.inputs, {
      certRequestPem: fake("CERTIFICATE REQUEST", "leaf1-csr"),
      caCertPem: fake("CERTIFICATE", "leafca-intermediate"),
      caPrivateKeyPem: secretInput(fake("EC PRIVATE KEY", "leafca-intermediate-key")),
      validityPeriodHours: 2160,
      earlyRenewalHours: 720,
      allowedUses: ["digitalSignature", "serverAuth"],
      setSubjectKeyId: true,
    });
  });

  it("offers the key as a secret and the chain in server order", async () => {
    assert.equal(await isSecret(leaf.privateKeyPem), true);
    assert.equal(await valueOf(leaf.fullChainPem), fake("CERTIFICATE", "leaf1-cert") + fake("CERTIFICATE", "leafca-intermediate"));
    assert.equal(await valueOf(leaf.caChainPem), fake("CERTIFICATE", "leafca-intermediate") + fake("CERTIFICATE", "leafca-root"));
  });

  it("renews a short-lived certificate a third of the way before expiry", () => {
    assert.equal(planLeaf({ dnsNames: ["a.example.com"], validityHours: 48 }).earlyRenewalHours, 16);
  });

  it("rejects an empty name list, bad names and a renewal window beyond the validity at once", () => {
    assert.throws(
      () => ca.issueLeaf("leaf2", { dnsNames: [], validityHours: 10, earlyRenewalHours: 10 }),
      /LeafCertificate: 2 problems\n {2}- dnsNames = \[\]: list at least one DNS name.*\n {2}- earlyRenewalHours = 10: must be a whole number from 0 to below the validity \(10 hours\)/,
    );
    assert.throws(() => planLeaf({ dnsNames: ["Bad_Name.example.com"] }), /dnsNames\[0\] = "Bad_Name.example.com": expected a lower-case DNS name/);
    assert.equal(resourcesNamed("leaf2").length, 0);
  });
});
