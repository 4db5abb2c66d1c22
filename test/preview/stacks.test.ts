/**
 * Every shipped stack, run through the same path as `pnpm preview:offline <stack>`: the
 * real program under the preview monitor and the real pack over the analyzer protocol.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runOfflinePreview, type PreviewResult, type RecordedResource } from "@pfv5/preview";

const ROOT = path.resolve(__dirname, "..", "..");
const PACKS = ["security-zones", "kubernetes-zones"].map((p) => path.join(ROOT, "policy-packs", p));
const STACKS = fs
  .readdirSync(ROOT)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

const runs = new Map<string, Promise<PreviewResult>>();
/** One preview per stack and set of overrides, shared by the specs that read it. */
function previewOf(stack: string, config: Record<string, unknown> = {}): Promise<PreviewResult> {
  const key = `${stack} ${JSON.stringify(config)}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = runOfflinePreview({ stack, projectDir: ROOT, config });
    runs.set(key, run);
  }
  return run;
}

function ofType(r: PreviewResult, type: string): RecordedResource[] {
  return r.resources.filter((x) => x.type === type);
}

describe("shipped stacks through the offline preview", () => {
  before(function () {
    this.timeout(180_000);
    // The engine runs a pack as compiled JavaScript: build it as `pnpm preview:offline` does.
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", ...PACKS], { cwd: ROOT, stdio: "inherit" });
  });

  it("ships the four cloud stacks", () => {
    for (const s of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) assert.ok(STACKS.includes(s), `Pulumi.${s}.yaml is missing`);
  });

  for (const stack of STACKS) {
    it(`previews ${stack} with no mandatory violation`, async () => {
      const r = await previewOf(stack);
      assert.equal(r.failure, undefined, r.failure?.message);
      assert.deepEqual(
        r.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} on ${v.urn}: ${v.message}`),
        [],
      );
      assert.equal(r.exitCode, 0);
    });
  }

  it("lays out aws-prod in three zones with four tiers and a NAT gateway in each zone's DMZ subnet", async () => {
    const r = await previewOf("aws-prod");
    const subnets = ofType(r, "aws:ec2/subnet:Subnet");
    assert.equal(subnets.length, 12);
    assert.deepEqual([...new Set(subnets.map((s) => s.inputs["availabilityZone"]))].sort(), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    const nats = ofType(r, "aws:ec2/natGateway:NatGateway");
    assert.equal(nats.length, 3);
    const byUrn = new Map(subnets.map((s) => [s.urn, s]));
    // Subnet ids are unknown in preview: the NAT's subnet is found through its property dependency.
    const natSubnets = nats.map((n) => byUrn.get(n.propertyDependencies["subnetId"]?.[0] ?? ""));
    assert.deepEqual(natSubnets.map((s) => s?.name.includes("-dmz-")), [true, true, true]);
    assert.equal(new Set(natSubnets.map((s) => s?.inputs["availabilityZone"])).size, 3);
  });

  it("turns a blocked range on aws-prod into deny entries on every tier's ACL, in and out, and stays policy-clean", async () => {
    const r = await previewOf("aws-prod", { "pfv5:blockedCidrs": ["203.0.113.0/24"] });
    assert.equal(r.exitCode, 0, r.failure?.message ?? r.violations.map((v) => v.message).join("\n"));
    const denies = ofType(r, "aws:ec2/networkAclRule:NetworkAclRule").filter((x) => x.inputs["ruleAction"] === "deny" && x.inputs["cidrBlock"] === "203.0.113.0/24");
    assert.deepEqual(denies.map((d) => d.name).sort(), ["app", "data", "dmz", "mgmt"].flatMap((t) => [`pfv5-prod-${t}-nacl-block-in-0`, `pfv5-prod-${t}-nacl-block-out-0`]).sort());
    assert.deepEqual([...new Set(denies.map((d) => d.inputs["ruleNumber"]))], [10]);
  });

  it("rejects an override that opens SSH to the whole internet and names the key", async () => {
    const r = await previewOf("aws-dev", { "pfv5:sshAllowedCidrs": ["0.0.0.0/0"] });
    assert.notEqual(r.exitCode, 0);
    assert.match(r.failure?.message ?? r.violations.map((v) => v.message).join("\n"), /pfv5:sshAllowedCidrs/);
  });
});
