import * as assert from "node:assert/strict";
import { formatProblem, throwIfProblems, underKey, ValidationError, type Problem } from "@pfv5/zones";
import { checkAwsEdgeArgs } from "./aws/aws-edge";
import { checkInternalCaArgs } from "./ca/internal-ca";
import { checkLeafCertificateArgs } from "./ca/leaf-certificate";
import { checkAcmeCertificatesArgs } from "./cert-manager/acme-certificates";
import { checkIngressEdgeArgs } from "./ingress/ingress-edge";
import { ACME_CERTIFICATES_KEYS, INGRESS_EDGE_KEYS } from "./validate";

const backends = { app: { service: "web", port: 80 }, api: { service: "api", port: 3000 }, mca: { service: "mca", port: 8000 }, npa: { service: "npa", port: 8000 }, wpa: { service: "wpa", port: 8000 } };
const ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d";
const SITE_KEYS = `AcmeCertificates takes ${ACME_CERTIFICATES_KEYS.join(", ")}; IngressEdge takes ${INGRESS_EDGE_KEYS.join(", ")}`;
const CERTIFICATE_REQUIRED = "pfv5:edge.certificate = undefined: is required: give { arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one";

/** The one error message a thrown ValidationError carries, or a failure. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
  assert.fail("expected a ValidationError");
}

/** What the AWS stack does with `pfv5:edge`: ids from the network stand in as placeholders. */
function awsStackCheck(edge: Record<string, unknown>): string {
  const probe = { ...edge, vpcId: "vpc", subnetIds: ["eu-west-1a", "eu-west-1b"], securityGroupId: "sg" };
  return messageOf(() => underKey("pfv5:edge", 'stack "aws-prod" configuration', () => throwIfProblems('stack "aws-prod"', checkAwsEdgeArgs(probe))));
}

/** What the cluster stack does with `pfv5:tls`: the ACME arguments take it whole, the ingress its own keys. */
function clusterStackCheck(tls: Record<string, unknown>): string {
  const acme = { ...tls, namespace: "pf-dev" };
  const edge = {
    domain: tls["domain"],
    ...(tls["hosts"] !== undefined ? { hosts: tls["hosts"] } : {}),
    namespace: "pf-dev",
    backends: tls["backends"],
    tlsSecretName: "pfv5-hosts-tls",
    ...(tls["corsOrigin"] !== undefined ? { corsOrigin: tls["corsOrigin"] } : {}),
  };
  const subject = 'stack "pfv5-dev" configuration';
  return messageOf(() => underKey("pfv5:tls", subject, () => throwIfProblems(subject, [...checkAcmeCertificatesArgs(acme), ...checkIngressEdgeArgs(edge)])));
}

const lines = (problems: readonly Problem[]) => problems.map(formatProblem);

describe("argument checks for stacks", () => {
  it("find nothing wrong with valid arguments", () => {
    assert.deepEqual([
      ...checkInternalCaArgs({ istio: {}, clusterIssuer: {} }),
      ...checkLeafCertificateArgs({ dnsNames: ["api.pf.svc"] }),
      ...checkAcmeCertificatesArgs({ domain: "example.com", email: "ops@example.com", namespace: "pf", route53: { region: "us-east-1" } }),
      ...checkIngressEdgeArgs({ domain: "example.com", namespace: "pf", tlsSecretName: "tls", backends }),
      ...checkAwsEdgeArgs({ vpcId: "vpc", subnetIds: ["a", "b"], securityGroupId: "sg", certificate: { arn: ARN } }),
    ], []);
  });

  it("return the problems with the keys as written, without throwing", () => {
    const keys = [
      ...checkInternalCaArgs({ clusterIssuer: { name: "Internal CA" } }),
      ...checkLeafCertificateArgs({ dnsNames: [] }),
      ...checkAcmeCertificatesArgs({ domain: "example.com", email: "nobody", namespace: "pf", wildcard: false }),
      ...checkIngressEdgeArgs({ domain: "example.com", namespace: "pf", tlsSecretName: "TLS", backends }),
      ...checkAwsEdgeArgs({ vpcId: "vpc", subnetIds: ["a", "b"], securityGroupId: "sg", certificate: { arn: ARN }, appPort: 70000 }),
    ].map((p) => p.key);
    assert.deepEqual(keys, ["clusterIssuer.name", "dnsNames", "email", "tlsSecretName", "appPort"]);
  });

  it("let one TLS config feed both AcmeCertificates and IngressEdge, each leaving the other's keys alone", () => {
    const tls = { domain: "example.com", email: "ops@example.com", namespace: "pf", route53: { region: "us-east-1" }, backends, tlsSecretName: "tls", corsOrigin: "https://example.com" };
    assert.deepEqual([...checkAcmeCertificatesArgs(tls), ...checkIngressEdgeArgs(tls)], []);
  });

  it("word a misspelt TLS key the same from both checks, so the stack lists it once", () => {
    const tls = { domian: "example.com", domain: "example.com", email: "ops@example.com", namespace: "pf", route53: { region: "us-east-1" }, backends, tlsSecretName: "tls" };
    const acme = lines(checkAcmeCertificatesArgs(tls));
    assert.deepEqual(acme, [`domian = "example.com": is not a known setting and would be ignored: did you mean "domain"? (${SITE_KEYS})`]);
    assert.deepEqual(lines(checkIngressEdgeArgs(tls)), acme);
    assert.equal(messageOf(() => throwIfProblems("s", [...checkAcmeCertificatesArgs(tls), ...checkIngressEdgeArgs(tls)])), `s: 1 problem\n  - ${acme[0] ?? ""}`);
  });
});

describe("a stack's pfv5:edge and pfv5:tls, checked as the stacks check them", () => {
  it("names the missing certificate of pfv5:edge={} as one problem", () => {
    assert.equal(awsStackCheck({}), `stack "aws-prod" configuration: 1 problem\n  - ${CERTIFICATE_REQUIRED}`);
  });

  it("names a misspelt certificate key, suggests the right one and still asks for the certificate", () => {
    assert.equal(awsStackCheck({ certificat: { domainName: "example.com" } }), [
      'stack "aws-prod" configuration: 2 problems',
      '  - pfv5:edge.certificat = {"domainName":"example.com"}: is not a known setting and would be ignored: did you mean "certificate"? ' +
        "(the settings here are vpcId, subnetIds, securityGroupId, certificate, sslPolicy, appPort, healthCheckPath, targetType, idleTimeoutSeconds, deletionProtection, accessLogs, tags)",
      `  - ${CERTIFICATE_REQUIRED}`,
    ].join("\n"));
  });

  it("lists what pfv5:tls={} lacks, the shared domain once", () => {
    assert.equal(clusterStackCheck({}), [
      'stack "pfv5-dev" configuration: 4 problems',
      "  - pfv5:tls.domain = undefined: is required: give the domain the hosts live under, as a lower-case DNS name, e.g. example.com",
      "  - pfv5:tls.email = undefined: is required: give the e-mail address of the ACME account, e.g. admin@example.com; Let's Encrypt sends expiry notices there",
      '  - pfv5:tls.route53 = undefined: is required for the wildcard certificate: only dns-01 can prove a wildcard name; set route53, e.g. { region: "us-east-1", hostedZoneId: "Z0123456789ABCDEFGHIJ" }, or wildcard: false',
      '  - pfv5:tls.backends = undefined: is required: give the Services behind app, api, mca, npa, wpa (admin optional), e.g. { app: { service: "web", port: 80 }, api: ..., mca: ..., npa: ..., wpa: ... }',
    ].join("\n"));
  });

  it("names a misspelt domain, suggests the right key and reports the missing domain once", () => {
    const message = clusterStackCheck({ domian: "example.com", email: "ops@example.com", route53: { region: "eu-west-1" }, backends });
    assert.equal(message, [
      'stack "pfv5-dev" configuration: 2 problems',
      `  - pfv5:tls.domian = "example.com": is not a known setting and would be ignored: did you mean "domain"? (${SITE_KEYS})`,
      "  - pfv5:tls.domain = undefined: is required: give the domain the hosts live under, as a lower-case DNS name, e.g. example.com",
    ].join("\n"));
  });

  it("asks for backends when pfv5:tls has everything else", () => {
    const message = clusterStackCheck({ domain: "example.com", email: "ops@example.com", route53: { region: "eu-west-1" } });
    assert.equal(message, [
      'stack "pfv5-dev" configuration: 1 problem',
      '  - pfv5:tls.backends = undefined: is required: give the Services behind app, api, mca, npa, wpa (admin optional), e.g. { app: { service: "web", port: 80 }, api: ..., mca: ..., npa: ..., wpa: ... }',
    ].join("\n"));
  });

  it("names each wrongly shaped backend under pfv5:tls.backends", () => {
    const message = clusterStackCheck({ domain: "example.com", email: "ops@example.com", route53: { region: "eu-west-1" }, backends: { ...backends, app: "web", wpa: { service: "wpa", prot: 80 } } });
    assert.equal(message, [
      'stack "pfv5-dev" configuration: 3 problems',
      '  - pfv5:tls.backends.app = "web": expected an object of settings, e.g. { service: "web", port: 80 }',
      '  - pfv5:tls.backends.wpa.prot = 80: is not a known setting and would be ignored: did you mean "port"? (the settings here are service, port)',
      "  - pfv5:tls.backends.wpa.port = undefined: is required: give a port number from 1 to 65535",
    ].join("\n"));
  });
});
