import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { formatProblem, ValidationError, type Problem } from "@pfv5/zones";
import { resourcesNamed } from "../../../test/setup/helpers";
import { AwsEdge, checkAwsEdgeArgs } from "./aws/aws-edge";
import { AWS_EDGE_KEYS, checkAwsEdgeInput } from "./aws/plan";
import { checkInternalCaArgs, InternalCa } from "./ca/internal-ca";
import { checkLeafCertificateArgs, LeafCertificate } from "./ca/leaf-certificate";
import { checkCaInput, checkLeafInput, INTERNAL_CA_KEYS, LEAF_CERTIFICATE_KEYS } from "./ca/plan";
import { AcmeCertificates, checkAcmeCertificatesArgs } from "./cert-manager/acme-certificates";
import { checkAcmeInput } from "./cert-manager/plan";
import { checkIngressEdgeArgs, IngressEdge } from "./ingress/ingress-edge";
import { checkIngressInput } from "./ingress/plan";
import { checkNginxRuntime, checkNginxSiteArgs, NGINX_RUNTIME_KEYS, NGINX_SITE_KEYS } from "./nginx/validate";
import { ACME_CERTIFICATES_KEYS, INGRESS_EDGE_KEYS } from "./validate";

const ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d";
const probe = { vpcId: "vpc", subnetIds: ["a", "b"], securityGroupId: "sg" };
const site = { namespace: "pf", tlsSecretName: "tls" };
const keys = (problems: readonly Problem[]) => problems.map((p) => p.key);
const lines = (problems: readonly Problem[]) => problems.map(formatProblem);

const CHECKS: readonly { name: string; check: (args: unknown) => Problem[]; known: readonly string[] }[] = [
  { name: "checkAwsEdgeArgs", check: checkAwsEdgeArgs, known: AWS_EDGE_KEYS },
  { name: "checkAwsEdgeInput", check: checkAwsEdgeInput, known: AWS_EDGE_KEYS },
  { name: "checkAcmeCertificatesArgs", check: checkAcmeCertificatesArgs, known: ACME_CERTIFICATES_KEYS },
  { name: "checkAcmeInput", check: checkAcmeInput, known: ACME_CERTIFICATES_KEYS },
  { name: "checkIngressEdgeArgs", check: checkIngressEdgeArgs, known: INGRESS_EDGE_KEYS },
  { name: "checkIngressInput", check: checkIngressInput, known: INGRESS_EDGE_KEYS },
  { name: "checkInternalCaArgs", check: checkInternalCaArgs, known: INTERNAL_CA_KEYS },
  { name: "checkCaInput", check: checkCaInput, known: INTERNAL_CA_KEYS },
  { name: "checkLeafCertificateArgs", check: checkLeafCertificateArgs, known: LEAF_CERTIFICATE_KEYS },
  { name: "checkLeafInput", check: checkLeafInput, known: LEAF_CERTIFICATE_KEYS },
  { name: "checkNginxSiteArgs", check: checkNginxSiteArgs, known: NGINX_SITE_KEYS },
];

describe("checks over untyped input", () => {
  for (const { name, check } of CHECKS) {
    it(`${name} answers null, text, a number, a boolean and a list with one problem naming the arguments`, () => {
      for (const value of [null, "example.com", 42, true, [], [{ domain: "example.com" }]]) {
        const problems = check(value);
        assert.deepEqual(problems.map((p) => [p.key, p.value]), [["args", value]], `${name}(${JSON.stringify(value)})`);
        assert.match(problems[0]?.message ?? "", /^expected an object of /);
      }
    });
  }

  it("checkNginxRuntime answers a runtime that is not an object with one problem", () => {
    assert.deepEqual(lines(checkNginxRuntime("fast")), ['runtime = "fast": expected an object of runtime settings, e.g. { pidPath: "/run/nginx.pid" }']);
  });

  it("never throws and reports each field at most once, whatever the settings hold", () => {
    const value = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom("example.com", "Z0123456789ABCDEFGHIJ", ARN, 443, "/health", "*"));
    for (const { name, check, known } of CHECKS) {
      const nested = fc.dictionary(fc.constantFrom(...known, "typo"), fc.oneof(value, fc.dictionary(fc.constantFrom("app", "api", "name", "arn", "domainName", "region", "prefix", "x"), value)));
      fc.assert(
        fc.property(fc.oneof(fc.anything(), nested), (args) => {
          const problems = check(args);
          for (const p of problems) assert.ok(p.key !== "" && p.message !== "", `${name}: ${formatProblem(p)}`);
          const seen = keys(problems);
          assert.equal(new Set(seen).size, seen.length, `${name} reported a field twice: ${lines(problems).join(" | ")}`);
        }),
        { numRuns: 300 },
      );
    }
  });
});

describe("AwsEdge checks over untyped input", () => {
  it("asks for an object when the certificate is null, a list or a bare ARN, naming the fix", () => {
    assert.deepEqual([null, [], ARN].map((certificate) => lines(checkAwsEdgeArgs({ ...probe, certificate }))), [
      ["certificate = null: expected an object: { arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one"],
      ["certificate = []: expected an object: { arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one"],
      [`certificate = "${ARN}": expected an object: { arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one; an ARN goes in as { arn: "${ARN}" }`],
    ]);
  });

  it("names an empty certificate, a misspelt certificate key and a new certificate without its zone", () => {
    assert.deepEqual(lines(checkAwsEdgeArgs({ ...probe, certificate: { domainNmae: "example.com" } })), [
      'certificate.domainNmae = "example.com": is not a known setting and would be ignored: did you mean "domainName"? (the settings here are arn, domainName, subjectAlternativeNames, hostedZoneId)',
      'certificate = {"domainNmae":"example.com"}: has neither arn nor domainName: give exactly one, { arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one',
    ]);
    assert.deepEqual(lines(checkAwsEdgeArgs({ ...probe, certificate: { domainName: "example.com" } })), [
      "certificate.hostedZoneId = undefined: is required with certificate.domainName: the validation records go into that Route 53 zone; give its id, e.g. Z0123456789ABCDEFGHIJ",
    ]);
  });

  it("names every wrongly typed certificate field, and new-certificate fields given with an ARN", () => {
    assert.deepEqual(keys(checkAwsEdgeArgs({ ...probe, certificate: { domainName: 5, subjectAlternativeNames: "*.example.com", hostedZoneId: 7 } })), [
      "certificate.domainName", "certificate.subjectAlternativeNames", "certificate.hostedZoneId",
    ]);
    assert.deepEqual(keys(checkAwsEdgeArgs({ ...probe, certificate: { domainName: "example.com", subjectAlternativeNames: ["*.example.com", 3], hostedZoneId: "Z1" } })), [
      "certificate.subjectAlternativeNames[1]",
    ]);
    assert.deepEqual(lines(checkAwsEdgeArgs({ ...probe, certificate: { arn: 12, hostedZoneId: "Z1" } })), [
      "certificate.arn = 12: expected an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-..., as a string or an Output",
      'certificate.hostedZoneId = "Z1": applies to a new certificate (certificate.domainName) only: remove it, or replace certificate.arn with certificate.domainName',
    ]);
  });

  it("names every wrongly typed top-level setting once", () => {
    const problems = checkAwsEdgeArgs({
      vpcId: 5, subnetIds: "subnet-a", securityGroupId: [], certificate: { arn: ARN }, sslPolicy: 3, appPort: "80", healthCheckPath: 1,
      targetType: 2, idleTimeoutSeconds: "60", deletionProtection: "yes", accessLogs: "alb", tags: { team: 1 }, tag: {},
    });
    assert.deepEqual(keys(problems), [
      "tag", "vpcId", "subnetIds", "securityGroupId", "sslPolicy", "appPort", "healthCheckPath", "targetType", "idleTimeoutSeconds", "deletionProtection", "accessLogs", "tags.team",
    ]);
    assert.match(formatProblem(problems[0] as Problem), /^tag = \{\}: is not a known setting and would be ignored: did you mean "tags"\?/);
    assert.equal(formatProblem(problems[2] as Problem), 'subnetIds = "subnet-a": expected a list, e.g. ["subnet-dmz-a", "subnet-dmz-b"]');
  });

  it("names bad subnet ids and access-log settings, and a misspelt access-log key", () => {
    assert.deepEqual(lines(checkAwsEdgeArgs({ ...probe, subnetIds: [null, ""], certificate: { arn: ARN }, accessLogs: { prefx: "x", expirationDays: "90", forceDestroy: 1 } })), [
      "subnetIds[0] = null: expected a subnet id, as a string or an Output",
      'subnetIds[1] = "": expected a subnet id, as a string or an Output',
      'accessLogs.prefx = "x": is not a known setting and would be ignored: did you mean "prefix"? (the settings here are prefix, expirationDays, forceDestroy)',
      'accessLogs.expirationDays = "90": expected a number of days as a whole number of at least 1',
      "accessLogs.forceDestroy = 1: expected true or false",
    ]);
  });

  it("accepts Outputs and Promises for ids, the certificate ARN and the hosted zone", () => {
    const ids = { vpcId: pulumi.output("vpc-1"), subnetIds: [pulumi.output("subnet-a"), Promise.resolve("subnet-b")], securityGroupId: pulumi.output("sg-1") };
    assert.deepEqual(checkAwsEdgeArgs({ ...ids, certificate: { arn: pulumi.output(ARN) } }), []);
    assert.deepEqual(checkAwsEdgeArgs({ ...ids, certificate: { domainName: "example.com", hostedZoneId: pulumi.output("Z1") } }), []);
  });
});

describe("IngressEdge and AcmeCertificates checks over untyped input", () => {
  it("asks for the domain and the backends of an otherwise empty ingress, once each", () => {
    assert.deepEqual(keys(checkIngressEdgeArgs(site)), ["domain", "backends"]);
    assert.deepEqual(keys(checkIngressEdgeArgs({ ...site, domain: "example.com", backends: {} })), ["backends.app", "backends.api", "backends.mca", "backends.npa", "backends.wpa"]);
  });

  it("names each backend that is not an object, a bad service and port, and misspelt backend keys", () => {
    const problems = checkIngressEdgeArgs({ ...site, domain: "example.com", backends: { app: "web", api: null, mca: [], npa: { service: 1, port: "80" }, wpa: { service: "wpa", port: 80, prot: 1 }, ap: {} } });
    assert.deepEqual(keys(problems), ["backends.ap", "backends.app", "backends.api", "backends.mca", "backends.npa.service", "backends.npa.port", "backends.wpa.prot"]);
    assert.equal(formatProblem(problems[0] as Problem), 'backends.ap = {}: is not a known setting and would be ignored: did you mean "app"? (the settings here are app, api, mca, npa, wpa, admin)');
    assert.equal(formatProblem(problems[2] as Problem), 'backends.api = null: expected an object of settings, e.g. { service: "web", port: 80 }');
  });

  it("names hosts, backends, rate limits and an origin of the wrong type", () => {
    assert.deepEqual(lines(checkIngressEdgeArgs({ ...site, domain: "example.com", hosts: "example.com", backends: [], rateLimits: { api: 5, agent: {} }, corsOrigin: 5 })), [
      'hosts = "example.com": expected an object of host names by role, e.g. { app: "www.example.com" } (roles: app, api, agents, admin)',
      'backends = []: expected an object of settings, e.g. { app: { service: "web", port: 80 }, api: ..., mca: ..., npa: ..., wpa: ... }',
      "corsOrigin = 5: expected an HTTPS origin without a path, e.g. https://example.com",
      'rateLimits.agent = {}: is not a known setting and would be ignored: did you mean "agents"? (the settings here are api, agents)',
      "rateLimits.api = 5: expected an object of settings, e.g. { requestsPerMinute: 100, burstMultiplier: 1 }",
    ]);
  });

  it("checks host overrides by themselves when the domain is bad, reporting the domain once", () => {
    assert.deepEqual(keys(checkIngressEdgeArgs({ ...site, domain: 7, hosts: { ap: "x.example.com", api: 5, admin: "admin.example.org" }, backends: {} })).slice(0, 3), ["domain", "hosts.ap", "hosts.api"]);
  });

  it("asks an empty ACME config for its domain, contact and dns-01 solver", () => {
    assert.deepEqual(keys(checkAcmeCertificatesArgs({ namespace: "pf" })), ["domain", "email", "route53"]);
  });

  it("names wrongly typed ACME settings and misspelt issuer and Route 53 keys", () => {
    const base = { namespace: "pf", domain: "example.com", email: "ops@example.com" };
    assert.deepEqual(keys(checkAcmeCertificatesArgs({ ...base, route53: "us-east-1", production: "le", staging: { nme: "x" }, wildcard: "no", use: 1, duration: 90, renewBefore: [] })), [
      "production", "staging.nme", "use", "wildcard", "route53", "duration", "renewBefore",
    ]);
    assert.deepEqual(lines(checkAcmeCertificatesArgs({ ...base, route53: { regon: "eu-west-1", credentialsSecret: "aws" } })), [
      'route53.regon = "eu-west-1": is not a known setting and would be ignored: did you mean "region"? (the settings here are region, hostedZoneId, role, credentialsSecret)',
      "route53.region = undefined: is required: give the AWS region of the Route 53 API calls, e.g. us-east-1",
      'route53.credentialsSecret = "aws": expected an object of settings, e.g. { name: "route53-credentials" }',
    ]);
  });

  it("does not ask for route53 when wildcard itself is wrong, only for a true-or-false wildcard", () => {
    assert.deepEqual(keys(checkAcmeCertificatesArgs({ namespace: "pf", domain: "example.com", email: 5, wildcard: "no" })), ["email", "wildcard"]);
  });
});

describe("InternalCa, LeafCertificate and nginx checks over untyped input", () => {
  it("names each wrongly typed CA setting and resource", () => {
    assert.deepEqual(keys(checkInternalCaArgs({ curve: 1, rootCommonName: 5, rootValidityHours: "10", rootAllowedUses: "certSigning", istio: "yes", clusterIssuer: { nam: "x" }, protect: "no", certManagerRelease: {}, kubernetesDependsOn: {} })), [
      "curve", "rootCommonName", "rootValidityHours", "rootAllowedUses", "protect", "istio", "clusterIssuer.nam", "certManagerRelease", "kubernetesDependsOn",
    ]);
    assert.deepEqual(checkInternalCaArgs(undefined), []);
  });

  it("names each wrongly typed leaf setting and an issuer that is not a CA", () => {
    assert.deepEqual(keys(checkLeafCertificateArgs({})), ["dnsNames"]);
    assert.deepEqual(keys(checkLeafCertificateArgs({ dnsNames: "a.example.com", ipAddresses: "10.0.0.1", commonName: 5, validityHours: "x", earlyRenewalHours: -1, allowedUses: [5], issuer: "ca" })), [
      "dnsNames", "ipAddresses", "commonName", "validityHours", "earlyRenewalHours", "allowedUses[0]", "issuer",
    ]);
  });

  it("names each wrongly typed nginx setting and runtime setting", () => {
    assert.deepEqual(keys(checkNginxSiteArgs({})), ["domain", "upstreams", "certificate"]);
    assert.deepEqual(keys(checkNginxSiteArgs({ domain: "example.com", upstreams: "x", certificate: [], listenAddresses: "*", resolvers: 1, stapling: "on", rateLimits: { api: { burst: "x" } }, http2Directive: 1, tls: 1 })), [
      "tls", "upstreams", "certificate", "listenAddresses", "stapling", "resolvers", "rateLimits.api.burst", "http2Directive",
    ]);
    assert.deepEqual(keys(checkNginxRuntime({ user: 1, foreground: "y", pid: "/x" })), ["runtime.pid", "runtime.user", "runtime.foreground"]);
    assert.equal(NGINX_RUNTIME_KEYS.length, 7);
  });
});

describe("component constructors over untyped input", () => {
  /** The problem keys of the ValidationError `fn` throws. */
  function thrownKeys(subject: string, fn: () => unknown): string[] {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
      assert.equal(e.subject, subject);
      return e.problems.map((p) => p.key);
    }
    return assert.fail("expected the constructor to throw");
  }

  it("AwsEdge refuses a missing certificate with a named problem and registers nothing", () => {
    assert.deepEqual(thrownKeys("AwsEdge", () => new AwsEdge("untyped-aws", { ...probe } as never)), ["certificate"]);
    assert.equal(resourcesNamed("untyped-aws").length, 0);
  });

  it("IngressEdge refuses missing backends with a named problem and registers nothing", () => {
    assert.deepEqual(thrownKeys("IngressEdge", () => new IngressEdge("untyped-ingress", { ...site, domain: "example.com" } as never)), ["backends"]);
    assert.equal(resourcesNamed("untyped-ingress").length, 0);
  });

  it("AcmeCertificates refuses a Route 53 solver given as text and a release that is no resource", () => {
    const args = { namespace: "pf", domain: "example.com", email: "ops@example.com", route53: "us-east-1", certManagerRelease: "cert-manager" };
    assert.deepEqual(thrownKeys("AcmeCertificates", () => new AcmeCertificates("untyped-acme", args as never)), ["route53", "certManagerRelease"]);
    assert.equal(resourcesNamed("untyped-acme").length, 0);
  });

  it("InternalCa refuses Istio settings given as text and registers nothing", () => {
    assert.deepEqual(thrownKeys("InternalCa", () => new InternalCa("untyped-ca", { istio: "yes" } as never)), ["istio"]);
    assert.equal(resourcesNamed("untyped-ca").length, 0);
  });

  it("LeafCertificate refuses arguments without an issuer and registers nothing", () => {
    assert.deepEqual(thrownKeys("LeafCertificate", () => new LeafCertificate("untyped-leaf", { dnsNames: ["a.example.com"] } as never)), ["issuer"]);
    assert.equal(resourcesNamed("untyped-leaf").length, 0);
  });
});
