/**
 * The TLS components against the pack's TLS policies: everything InternalCa,
 * AcmeCertificates, IngressEdge and AwsEdge register (under the shared mocks) is handed to
 * each tls-* policy the way the engine hands it, and none may report a violation. A
 * change to a component default that a policy forbids fails here, before any preview.
 */
import * as assert from "node:assert/strict";
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { AcmeCertificates, AwsEdge, IngressEdge, InternalCa } from "@pfv5/tls";
import { POLICIES } from "@pfv5/security-zones-policy";
import { unknownCheckingProxy } from "../../../policy-packs/security-zones/src/lib/sdk";
import { NotApplicable, runResource, runStack, whats } from "../../../policy-packs/security-zones/src/testing/harness";
import { recorded } from "../../setup/mocks";
import { settle, valueOf } from "../../setup/helpers";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Inputs as the engine sends them to policies: secrets unwrapped, plain JSON. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== "object" || value === null) return value;
  const o = value as Record<string, unknown>;
  if (SECRET_SIG in o) return plain(o["value"]);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
}

const OPTIONS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };
const never = (): never => {
  throw new Error("not used by the pack's policies");
};

describe("the TLS components meet the pack's TLS policies", () => {
  const policies = POLICIES.filter((p) => p.doc.name.startsWith("tls-"));
  let resources: PolicyResource[] = [];

  before(async () => {
    const ca = new InternalCa("xcheck-ca", { istio: {}, clusterIssuer: {} });
    const leaf = ca.issueLeaf("xcheck-leaf", { dnsNames: ["api.pf.svc.cluster.local"] });
    const acme = new AcmeCertificates("xcheck-acme", { domain: "example.com", email: "ops@example.com", namespace: "pf", route53: { region: "us-east-1" } });
    const edge = new IngressEdge("xcheck-ingress", {
      domain: "example.com",
      namespace: "pf",
      tlsSecretName: acme.hostsSecretName,
      backends: { app: { service: "web", port: 80 }, api: { service: "api", port: 3000 }, mca: { service: "mca", port: 8000 }, npa: { service: "npa", port: 8000 }, wpa: { service: "wpa", port: 8000 } },
    });
    const aws = new AwsEdge("xcheck-aws", { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], securityGroupId: "sg-edge", certificate: { domainName: "example.com", subjectAlternativeNames: ["*.example.com"], hostedZoneId: "Z1" } });
    await Promise.all([valueOf(ca.caChainPem), valueOf(leaf.fullChainPem), valueOf(acme.urn), valueOf(edge.urn), valueOf(aws.httpsListenerArn)]);
    await settle();
    resources = recorded.filter((r) => r.name.startsWith("xcheck-")).map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: unknownCheckingProxy(plain(r.inputs) as Record<string, unknown>),
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: never,
    }));
  });

  it("registers what the policies read: keys, issuers, certificates, ingresses and listeners", () => {
    const types = new Set(resources.map((r) => r.type));
    for (const t of ["tls:index/privateKey:PrivateKey", "kubernetes:cert-manager.io/v1:ClusterIssuer", "kubernetes:cert-manager.io/v1:Certificate", "kubernetes:networking.k8s.io/v1:Ingress", "aws:lb/listener:Listener", "aws:acm/certificate:Certificate"]) {
      assert.ok(types.has(t), `no ${t} registered`);
    }
    assert.equal(policies.length, 7);
  });

  it("draws no violation from any TLS policy", async () => {
    const found: string[] = [];
    for (const p of policies) {
      if ("validateResource" in p.policy && p.policy.validateResource !== undefined) {
        for (const r of resources) {
          const args: ResourceValidationArgs = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.props,
            opts: OPTIONS,
            isType: () => false,
            asType: never,
            stackTags: new Map(),
            getConfig: <T extends object>() => ({}) as T,
            notApplicable: (reason?: string): never => {
              throw new NotApplicable(reason);
            },
          };
          found.push(...whats(await runResource(p, args)).map((w) => `${p.doc.name}: ${w}`));
        }
      }
      if (p.policy.validateStack !== undefined) found.push(...whats(await runStack(p, resources)).map((w) => `${p.doc.name}: ${w}`));
    }
    assert.deepEqual(found, []);
  });
});
