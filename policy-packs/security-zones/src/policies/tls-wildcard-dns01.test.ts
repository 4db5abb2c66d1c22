import * as assert from "node:assert/strict";
import { runStack, StackBuilder, whats } from "../testing/harness";
import { acmeIssuer, CertificateResource, certificate, ClusterIssuerResource, type CustomResourceProps } from "../testing/tls-fixtures";
import { tlsWildcardDns01 as policy } from "./tls-wildcard-dns01";

const http01 = (dnsNames?: string[]) => ({ ...(dnsNames ? { selector: { dnsNames } } : {}), http01: { ingress: { ingressClassName: "nginx" } } });
const dns01 = (selector?: Record<string, unknown>) => ({ ...(selector ? { selector } : {}), dns01: { route53: { region: "us-east-1" } } });

async function check(issuer: CustomResourceProps, dnsNames: string[], extra: Record<string, unknown> = {}) {
  const b = new StackBuilder();
  b.add(ClusterIssuerResource, "issuer", issuer);
  b.add(CertificateResource, "wild", certificate("wild", "le", dnsNames, extra));
  return runStack(policy, b.resources);
}

describe("tls-wildcard-dns01", () => {
  it("accepts a wildcard sent to dns-01 by a dnsNames or dnsZones selector, or by a lone dns-01 solver", async () => {
    assert.deepEqual(await check(acmeIssuer("le", [http01(["example.com"]), dns01({ dnsNames: ["*.example.com"] })]), ["example.com", "*.example.com"]), { violations: [] });
    assert.deepEqual(await check(acmeIssuer("le", [http01(), dns01({ dnsZones: ["example.com"] })]), ["*.example.com"]), { violations: [] });
    assert.deepEqual(await check(acmeIssuer("le", [dns01()]), ["*.example.com"]), { violations: [] });
  });

  it("accepts wildcards from a CA issuer, which solves no challenge", async () => {
    const ca = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "le" }, spec: { ca: { secretName: "ca" } } };
    assert.deepEqual(await check(ca, ["*.pf.svc"]), { violations: [] });
  });

  it("rejects a wildcard on an issuer with no dns-01 solver, or one whose selectors send it to http-01", async () => {
    assert.deepEqual(whats(await check(acmeIssuer("le", [http01()]), ["*.example.com"])), [
      'kubernetes.cert-manager.io.Certificate "wild" requests the wildcard *.example.com from ClusterIssuer "le", which selects no dns-01 solver for it: it has no dns-01 solver at all',
    ]);
    assert.deepEqual(whats(await check(acmeIssuer("le", [dns01({ dnsZones: ["example.com"] }), http01(["*.example.com"])]), ["*.example.com"])), [
      'kubernetes.cert-manager.io.Certificate "wild" requests the wildcard *.example.com from ClusterIssuer "le", which selects no dns-01 solver for it: its dnsNames selector sends the name to solvers[1] (http01)',
    ]);
    assert.deepEqual(whats(await check(acmeIssuer("le", [dns01({ dnsZones: ["example.org"] })]), ["*.example.com"])), [
      'kubernetes.cert-manager.io.Certificate "wild" requests the wildcard *.example.com from ClusterIssuer "le", which selects no dns-01 solver for it: none of its solvers matches the name',
    ]);
  });

  it("honours matchLabels: a dns-01 solver for other labels does not serve the certificate", async () => {
    const issuer = acmeIssuer("le", [dns01({ dnsNames: ["*.example.com"], matchLabels: { team: "edge" } })]);
    assert.deepEqual((await check(issuer, ["*.example.com"], {})).violations.length, 1);
    const b = new StackBuilder();
    b.add(ClusterIssuerResource, "issuer", issuer);
    const labelled = certificate("wild", "le", ["*.example.com"]);
    b.add(CertificateResource, "wild", { ...labelled, metadata: { name: "wild", namespace: "pf", labels: { team: "edge" } } });
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("reports a wildcard whose issuer is not in the stack as not checkable", async () => {
    const b = new StackBuilder();
    b.add(CertificateResource, "wild", certificate("wild", "elsewhere", ["*.example.com"]));
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'kubernetes.cert-manager.io.Certificate "wild" requests *.example.com, but ClusterIssuer "elsewhere" is not in this stack, so whether a dns-01 solver serves it cannot be checked',
    ]);
  });

  it("does not apply to stacks without Certificates, and passes Certificates without wildcards", async () => {
    assert.equal((await runStack(policy, new StackBuilder().resources)).notApplicable, "applies only to kubernetes.cert-manager.io.Certificate");
    assert.deepEqual(await check(acmeIssuer("le", [http01()]), ["example.com"]), { violations: [] });
  });
});
