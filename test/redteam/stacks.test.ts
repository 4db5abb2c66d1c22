import * as assert from "node:assert/strict";
import type { PreviewResult } from "@pfv5/preview";
import { k8s } from "@pfv5/zones";
import { buildPack, preview, type StackName } from "./harness";

interface MatrixJson {
  readonly zones: readonly string[];
  readonly cells: readonly { readonly from: string; readonly to: string; readonly allowed: string }[];
  readonly findings: readonly { readonly kind: string; readonly message: string }[];
  readonly problems: readonly { readonly message: string }[];
}

function matrixOf(result: PreviewResult, cloud: "aws" | "azure"): MatrixJson {
  const json = result.reports["matrix"]?.json as Record<string, MatrixJson> | undefined;
  const m = json?.[cloud];
  if (m === undefined) throw new Error(`the preview of ${result.stack} has no ${cloud} matrix`);
  return m;
}

const cells = (m: MatrixJson): string[] => m.cells.map((c) => `${c.from} -> ${c.to}: ${c.allowed}`);

/** What the shipped AWS stacks allow, every layer together (the declared matrix, see docs/zone-matrix.md). */
const AWS_MATRIX = [
  "internet -> edge: tcp 80,443",
  "internet -> vpn-server: udp 51820",
  "admins -> edge: tcp 80,443",
  "admins -> bastion: tcp 22",
  "admins -> vpn-server: udp 51820",
  "edge -> app: tcp 3000",
  "bastion -> internet: tcp 443",
  "bastion -> admins: tcp 443",
  "bastion -> edge: tcp 443",
  "bastion -> app: tcp 22",
  "bastion -> mgmt: tcp 22",
  "bastion -> data: tcp 22",
  "vpn-server -> internet: tcp 443",
  "vpn-server -> admins: tcp 443",
  "vpn-server -> edge: tcp 443",
  "vpn-server -> app: tcp 22",
  "vpn-server -> mgmt: tcp 22",
  "vpn-server -> data: tcp 22",
  "app -> internet: tcp all; udp all",
  "app -> admins: tcp all; udp all",
  "app -> edge: tcp 80,443",
  "app -> vpn-server: udp 51820",
  "app -> app: tcp 8000-9000",
  "app -> data: tcp 5432,6379,27017",
  "mgmt -> internet: tcp all; udp all",
  "mgmt -> admins: tcp all; udp all",
  "mgmt -> edge: tcp 80,443",
  "mgmt -> vpn-server: udp 51820",
  "mgmt -> app: tcp 9090,9100",
  "mgmt -> data: tcp 9121,9187,9216",
  "vpn -> edge: tcp 443",
  "vpn -> app: tcp 22",
  "vpn -> mgmt: tcp 22",
  "vpn -> data: tcp 22",
];

const AZURE_MATRIX = [
  "internet -> dmz: tcp 80,443; udp 51820",
  "admins -> dmz: tcp 22,80,443; udp 51820",
  "dmz -> internet: tcp 443",
  "dmz -> admins: tcp 443",
  "dmz -> app: tcp 22,3000",
  "dmz -> mgmt: tcp 22",
  "dmz -> data: tcp 22",
  "dmz -> services: tcp 443",
  "app -> internet: all",
  "app -> admins: all",
  "app -> app: tcp 8000-9000",
  "app -> data: tcp 5432,6379,27017",
  "app -> services: all",
  "mgmt -> internet: all",
  "mgmt -> admins: all",
  "mgmt -> app: tcp 9090,9100",
  "mgmt -> data: tcp 9121,9187,9216",
  "mgmt -> services: all",
  "data -> services: tcp 443,1433,11000-11999",
  "vpn -> app: tcp 22,3000",
  "vpn -> mgmt: tcp 22",
  "vpn -> data: tcp 22",
  "services -> dmz: tcp 80,443",
];

/** The NetworkPolicies a cluster stack registers, as the Kubernetes evaluator reads them. */
function networkPolicies(result: PreviewResult): k8s.NetworkPolicy[] {
  return result.resources
    .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .map((r) => {
      const { metadata, spec } = r.inputs as { metadata?: k8s.NetworkPolicy["metadata"]; spec?: k8s.NetworkPolicySpec };
      if (metadata === undefined || spec === undefined) throw new Error(`${r.name} has no metadata or spec known at preview`);
      return { metadata, spec };
    });
}

describe("the shipped stacks' zone matrices", function () {
  this.timeout(120_000);
  const results = new Map<StackName, PreviewResult>();
  const STACKS: readonly StackName[] = ["aws-dev", "aws-prod", "azure-dev", "azure-prod"];

  before(async () => {
    buildPack();
    for (const [i, r] of (await Promise.all(STACKS.map((s) => preview(s)))).entries()) results.set(STACKS[i] ?? "aws-dev", r);
  });

  for (const stack of ["cluster-dev", "cluster-prod"] as const) {
    it(`${stack}'s NetworkPolicies, evaluated with Kubernetes semantics, yield exactly the declared Kubernetes matrix`, async () => {
      const result = await preview(stack);
      const policies = networkPolicies(result);
      // With the mesh installed, the model adds the sidecars' flows to istiod.
      const mesh = result.resources.some((r) => r.type.startsWith("kubernetes:security.istio.io/"));
      assert.equal(mesh, true);
      const apps = [...new Set(policies.map((p) => p.metadata.namespace))];
      assert.equal(apps.length, 1, `the policies sit in one application namespace, not ${apps.join(", ")}`);
      const namespaces = { ...k8s.DEFAULT_KUBERNETES_NAMESPACES, app: apps[0] ?? "" };
      assert.equal(policies.length, 10);
      const matrix = k8s.kubernetesZoneMatrix(policies, namespaces);
      assert.deepEqual(k8s.diffMatrices(matrix, k8s.declaredKubernetesMatrix(namespaces, { mesh })), []);
    });
  }

  for (const stack of STACKS) {
    const cloud = stack.startsWith("aws") ? "aws" : "azure";
    it(`${stack} opens exactly the declared matrix: no extra path, no missing one, nothing undecided`, () => {
      const result = results.get(stack);
      assert.ok(result !== undefined);
      const m = matrixOf(result, cloud);
      assert.deepEqual(m.findings.map((f) => f.message), []);
      assert.deepEqual(m.problems.map((p) => p.message), []);
      assert.deepEqual(cells(m), cloud === "aws" ? AWS_MATRIX : AZURE_MATRIX);
      assert.deepEqual(result.violations.filter((v) => v.policy.startsWith("zone-matrix")).map((v) => v.message), []);
    });
  }
});
