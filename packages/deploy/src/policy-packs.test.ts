import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, PreviewOptions, UpOptions } from "@pulumi/pulumi/automation";
import { runOperation, type OperableStack } from "./engine";
import { checkPolicyPacks, policyPackOptions, resolvePolicyPacks, type PolicyPackRef } from "./policy-packs";

const zones: PolicyPackRef = { name: "security-zones", dir: "/p/security-zones" };
const k8s: PolicyPackRef = { name: "kubernetes-zones", dir: "/p/kubernetes-zones" };

describe("policy pack options", () => {
  it("passes the packs and no configs when no pack has a configuration", () => {
    assert.deepEqual(policyPackOptions([zones, k8s], "/scratch"), {
      policyPacks: ["/p/security-zones", "/p/kubernetes-zones"],
      policyPackConfigs: [],
      filesToWrite: [],
    });
  });

  it("gives every pack a config file, in pack order, once one pack has a configuration", () => {
    const configured = { ...k8s, configFile: "/p/kubernetes-zones/config/prod.json" };
    const opts = policyPackOptions([zones, configured], "/scratch");
    assert.deepEqual(opts.policyPacks, ["/p/security-zones", "/p/kubernetes-zones"]);
    assert.deepEqual(opts.policyPackConfigs, ["/scratch/security-zones.policy-config.json", "/p/kubernetes-zones/config/prod.json"]);
    assert.deepEqual(opts.filesToWrite, [{ path: "/scratch/security-zones.policy-config.json", content: "{}\n" }]);
  });

  it("keeps the two lists the same length for any mix of configured packs", () => {
    const packs = ["a", "b", "c", "d"].map((n) => ({ name: n, dir: `/p/${n}` }));
    for (let mask = 0; mask < 16; mask += 1) {
      const mixed = packs.map((p, i) => ((mask >> i) & 1 ? { ...p, configFile: `/p/${p.name}/config/dev.json` } : p));
      const opts = policyPackOptions(mixed, "/s");
      assert.ok(opts.policyPackConfigs.length === 0 || opts.policyPackConfigs.length === opts.policyPacks.length, `mask ${mask}`);
      assert.equal(opts.policyPackConfigs.length, mask === 0 ? 0 : 4);
    }
  });

  it("refuses a pack listed twice", () => {
    assert.throws(() => policyPackOptions([zones, zones], "/s"), /policy pack "security-zones" is listed twice/);
  });

  describe("on disk", () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-packs-"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    function pack(name: string, files: Record<string, string>): void {
      for (const [f, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name, f)), { recursive: true });
        fs.writeFileSync(path.join(root, name, f), content);
      }
    }

    it("picks up config/<environment>.json as the pack's configuration", () => {
      pack("security-zones", { "config/prod.json": "{}" });
      pack("kubernetes-zones", {});
      assert.deepEqual(resolvePolicyPacks(root, "prod"), [
        { name: "security-zones", dir: path.join(root, "security-zones"), configFile: path.join(root, "security-zones", "config", "prod.json") },
        { name: "kubernetes-zones", dir: path.join(root, "kubernetes-zones") },
      ]);
    });

    it("names a pack without PulumiPolicy.yaml and an unbuilt pack, with the fix", () => {
      pack("security-zones", { "PulumiPolicy.yaml": "runtime: nodejs\n", "package.json": '{"main":"./dist/index.js"}' });
      pack("kubernetes-zones", { "package.json": "{}" });
      const problems = checkPolicyPacks(resolvePolicyPacks(root, "dev"));
      assert.deepEqual(problems, [
        `policy pack "security-zones" is not built (${path.join(root, "security-zones", "dist", "index.js")} is missing): run \`pnpm build\` first`,
        `policy pack "kubernetes-zones" has no PulumiPolicy.yaml in ${path.join(root, "kubernetes-zones")}: every preview and update runs it, so it must exist`,
      ]);
    });

    it("accepts a built pack", () => {
      pack("security-zones", { "PulumiPolicy.yaml": "runtime: nodejs\n", "package.json": '{"main":"./dist/index.js"}', "dist/index.js": "" });
      assert.deepEqual(checkPolicyPacks(resolvePolicyPacks(root, "dev", ["security-zones"])), []);
    });
  });
});

/** A stack that records the options it was called with and replays events. */
function fakeStack(events: EngineEvent[], fail?: Error): { stack: OperableStack; calls: { op: string; opts: PreviewOptions | UpOptions }[] } {
  const calls: { op: string; opts: PreviewOptions | UpOptions }[] = [];
  const run = (op: string) => (opts: PreviewOptions | UpOptions) => {
    calls.push({ op, opts });
    for (const e of events) opts.onEvent?.(e);
    return fail !== undefined ? Promise.reject(fail) : Promise.resolve();
  };
  const stack: OperableStack = { preview: run("preview"), up: run("up"), refresh: run("refresh"), destroy: run("destroy") };
  return { stack, calls };
}

describe("running an operation", () => {
  const violation: EngineEvent = {
    sequence: 1,
    timestamp: 1,
    policyEvent: {
      resourceUrn: "urn:pulumi:aws-dev::pfv5::aws:ec2/securityGroup:SecurityGroup::bastion",
      message: "<{%fg 1%}>SSH is open to 0.0.0.0/0<{%reset%}>",
      color: "raw",
      policyName: "no-public-ssh",
      policyPackName: "security-zones",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      enforcementLevel: "mandatory",
    },
  };

  it("hands the engine the policy packs and their configs as two aligned lists", async () => {
    const { stack, calls } = fakeStack([]);
    const packs = [zones, { ...k8s, configFile: "/p/kubernetes-zones/config/dev.json" }];
    await runOperation(stack, "preview", { policyPacks: packs, print: () => undefined });
    const opts = calls[0]?.opts;
    assert.deepEqual([calls.length, calls[0]?.op], [1, "preview"]);
    assert.deepEqual(opts?.policyPacks, ["/p/security-zones", "/p/kubernetes-zones"]);
    assert.equal(opts?.policyPackConfigs?.length, 2);
    assert.equal(opts?.policyPackConfigs?.[1], "/p/kubernetes-zones/config/dev.json");
    assert.match(opts?.policyPackConfigs?.[0] ?? "", /security-zones\.policy-config\.json$/);
  });

  it("passes no policyPackConfigs at all when no pack is configured", async () => {
    const { stack, calls } = fakeStack([]);
    await runOperation(stack, "up", { policyPacks: [zones, k8s], print: () => undefined });
    assert.deepEqual(calls[0]?.opts.policyPacks, ["/p/security-zones", "/p/kubernetes-zones"]);
    assert.equal("policyPackConfigs" in (calls[0]?.opts ?? {}), false);
  });

  it("records a mandatory violation and the engine's error without throwing", async () => {
    const err = new Error("code: 255\n stdout: \n stderr: error: preview failed\n err?: \n");
    const { stack } = fakeStack([violation], err);
    const lines: string[] = [];
    const res = await runOperation(stack, "preview", { policyPacks: [zones], print: (l) => lines.push(l) });
    assert.deepEqual(res.error, ["error: preview failed"]);
    assert.deepEqual(res.record.violations.map((v) => [v.policy, v.enforcementLevel, v.message]), [["no-public-ssh", "mandatory", "SSH is open to 0.0.0.0/0"]]);
    assert.deepEqual(lines, ["  xx mandatory security-zones/no-public-ssh bastion: SSH is open to 0.0.0.0/0"]);
  });
});
