/**
 * The seed's cert-manager manifests against the whole pack: its production ClusterIssuer
 * (an access key id inline, solvers without selectors) and its wildcard Certificate.
 */
import * as assert from "node:assert/strict";
import { POLICIES } from "../pack";
import { resourceArgs, runResource, runStack, StackBuilder, whats } from "../testing/harness";
import { CertificateResource, ClusterIssuerResource, SEED_PRODUCTION_ISSUER, SEED_WILDCARD_CERTIFICATE, seedStack } from "../testing/tls-fixtures";

describe("the seed's Let's Encrypt issuer and wildcard certificate", () => {
  it("are rejected with both problems named: the inline access key and the wildcard without dns-01", async () => {
    const b = new StackBuilder();
    seedStack(b);
    const found: string[] = [];
    for (const p of POLICIES) {
      if ("validateResource" in p.policy && p.policy.validateResource !== undefined) {
        for (const args of [
          resourceArgs(ClusterIssuerResource, SEED_PRODUCTION_ISSUER, { name: "letsencrypt-prod" }),
          resourceArgs(CertificateResource, SEED_WILDCARD_CERTIFICATE, { name: "progressive-framework-wildcard" }),
        ]) {
          const out = await runResource(p, args);
          found.push(...whats(out).map((w) => `${p.doc.name}: ${w}`));
        }
      }
      if (p.policy.validateStack !== undefined) {
        const out = await runStack(p, b.resources);
        found.push(...whats(out).map((w) => `${p.doc.name}: ${w}`));
      }
    }
    assert.deepEqual(found.sort(), [
      'tls-no-inline-issuer-credentials: kubernetes.cert-manager.io.ClusterIssuer "letsencrypt-prod" sets spec.acme.solvers[1].dns01.route53.accessKeyID inline',
      'tls-wildcard-dns01: kubernetes.cert-manager.io.Certificate "progressive-framework-wildcard" requests the wildcard *.your-domain.com from ClusterIssuer "letsencrypt-prod", which selects no dns-01 solver for it: its solvers have no selectors, so the choice between solvers[0] (http01) and solvers[1] (dns01) is left to order and to the challenges the CA offers',
    ]);
  });
});
