import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, OpType, OutputMap } from "@pulumi/pulumi/automation";
import { parseArgs, type StackInvocation } from "./args";
import { runStackInvocation, type DriverIO } from "./driver";
import type { DriverStack, EngineContext } from "./engine";
import { EXIT } from "./exit-codes";
import type { RunSummary } from "./summary";

const PROD = `# production
config:
  pfv5:cloud: aws
  pfv5:environment: prod
  aws:region: eu-west-1
  pfv5:sshAllowedCidrs:
    - 192.0.2.0/24
`;
const DEV = "config:\n  pfv5:cloud: aws\n  pfv5:environment: dev\n  aws:region: eu-west-1\n  pfv5:bastionSsh: false\n";
/** The repository: its shipped stack files. */
const REPO = path.resolve(__dirname, "..", "..", "..");

function pre(op: OpType, type: string, name: string): EngineEvent {
  return { sequence: 1, timestamp: 1, resourcePreEvent: { planning: true, metadata: { op, urn: `urn:pulumi:s::pfv5::${type}::${name}`, type, provider: "" } } };
}

interface Fake {
  readonly calls: string[];
  /** Whether each call's abort signal had fired by the time the call returned. */
  readonly aborted: boolean[];
  readonly contexts: EngineContext[];
  open(ctx: EngineContext): Promise<DriverStack>;
}

/** A stack whose preview emits `planned` (and fails when `previewError` is set). */
function fakeEngine(planned: EngineEvent[], previewError?: string, outputs: OutputMap = {}, updated: EngineEvent[] = []): Fake {
  const calls: string[] = [];
  const aborted: boolean[] = [];
  const contexts: EngineContext[] = [];
  const op = (name: string, events: EngineEvent[], error?: string) => (opts: { onEvent?: (e: EngineEvent) => void; signal?: AbortSignal }) => {
    calls.push(name);
    for (const e of events) opts.onEvent?.(e);
    aborted.push(opts.signal?.aborted === true);
    return error !== undefined ? Promise.reject(new Error(`code: 255\n stdout: \n stderr: ${error}\n err?: \n`)) : Promise.resolve();
  };
  const stack: DriverStack = {
    preview: op("preview", planned, previewError),
    up: op("up", updated),
    refresh: op("refresh", []),
    destroy: op("destroy", []),
    outputs: () => Promise.resolve(outputs),
  };
  return {
    calls,
    aborted,
    contexts,
    open: (ctx) => {
      contexts.push(ctx);
      return Promise.resolve(stack);
    },
  };
}

describe("infra driver", () => {
  let root: string;
  let project: string;
  let binDir: string;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-driver-"));
    project = path.join(root, "project");
    binDir = path.join(root, "bin");
    fs.mkdirSync(binDir);
    // Only its presence is checked: the fake engine never runs it.
    fs.writeFileSync(path.join(binDir, "pulumi"), "#!/bin/sh\nexit 99\n", { mode: 0o755 });
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: pfv5\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "Pulumi.aws-prod.yaml"), PROD);
    fs.writeFileSync(path.join(project, "Pulumi.aws-dev.yaml"), DEV);
    for (const pack of ["security-zones", "kubernetes-zones"]) {
      const dir = path.join(project, "policy-packs", pack);
      fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), '{"main":"dist/index.js"}');
      fs.writeFileSync(path.join(dir, "dist", "index.js"), "");
    }
    out = [];
    err = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function io(fake?: Fake, env: Record<string, string> = {}): DriverIO {
    return {
      env: { PATH: binDir, HOME: root, PULUMI_CONFIG_PASSPHRASE: "test", ...env },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      now: () => new Date("2025-03-01T12:00:00Z"),
      ...(fake !== undefined ? { openStack: (ctx: EngineContext) => fake.open(ctx) } : {}),
    };
  }

  function inv(...argv: string[]): StackInvocation {
    const parsed = parseArgs([...argv, "--work-dir", project]);
    if (parsed.command === "help" || parsed.command === "changed") assert.fail("expected a stack command");
    return parsed;
  }

  function summary(file: string): RunSummary {
    return JSON.parse(fs.readFileSync(file, "utf8")) as RunSummary;
  }

  it("refuses an up on prod whose preview replaces the VPC, and never updates", async () => {
    const fake = fakeEngine([pre("replace", "aws:ec2/vpc:Vpc", "net-vpc"), pre("create", "aws:ec2/subnet:Subnet", "net-app-c")]);
    const json = path.join(root, "out", "s.json");
    const code = await runStackInvocation(inv("up", "aws-prod", "--json-summary", json), io(fake));
    assert.equal(code, EXIT.gate);
    assert.deepEqual(fake.calls, ["preview"]);
    const s = summary(json);
    assert.deepEqual([s.status, s.exitCode, s.protected, s.gate?.refused.map((f) => f.type)], ["refused-by-gate", 5, true, ["aws:ec2/vpc:Vpc"]]);
    assert.match(err.join("\n"), /--allow-replace 'urn:pulumi:s::pfv5::aws:ec2\/vpc:Vpc::net-vpc'/);
  });

  it("updates prod when --allow-replace names the replaced resource", async () => {
    const fake = fakeEngine([pre("replace", "aws:ec2/vpc:Vpc", "net-vpc")]);
    const code = await runStackInvocation(inv("up", "aws-prod", "--allow-replace", "aws:ec2/vpc:Vpc"), io(fake));
    assert.equal(code, EXIT.ok);
    assert.deepEqual(fake.calls, ["preview", "up"]);
  });

  it("stops a prod update that starts a gated replacement the preview did not show", async () => {
    const fake = fakeEngine([pre("create", "aws:ec2/subnet:Subnet", "net-app-c")], undefined, {}, [pre("create-replacement", "aws:ec2/natGateway:NatGateway", "net-nat-a")]);
    const json = path.join(root, "s.json");
    assert.equal(await runStackInvocation(inv("up", "aws-prod", "--json-summary", json), io(fake)), EXIT.gate);
    assert.deepEqual([fake.calls, fake.aborted], [["preview", "up"], [false, true]]);
    assert.match(err.join("\n"), /the up of aws-prod was stopped: it started to replace urn:pulumi:s::pfv5::aws:ec2\/natGateway:NatGateway::net-nat-a, which the preview did not show/);
    assert.equal(summary(json).status, "refused-by-gate");
  });

  it("does not gate a dev stack, but previews with the policy packs before updating", async () => {
    const fake = fakeEngine([pre("replace", "aws:ec2/vpc:Vpc", "net-vpc")]);
    assert.equal(await runStackInvocation(inv("up", "aws-dev"), io(fake)), EXIT.ok);
    assert.deepEqual(fake.calls, ["preview", "up"]);
    assert.deepEqual(fake.contexts[0]?.policyPacks.map((p) => p.name), ["security-zones", "kubernetes-zones"]);
  });

  it("passes the backend and passphrase to the workspace explicitly", async () => {
    const fake = fakeEngine([]);
    await runStackInvocation(inv("preview", "aws-dev"), io(fake));
    const backend = fake.contexts[0]?.backend;
    assert.deepEqual([backend?.backendUrl, backend?.envVars["PULUMI_CONFIG_PASSPHRASE"], backend?.pulumiHome], [`file://${project}/.pulumi-state`, "test", path.join(root, ".pulumi")]);
  });

  it("fails with the policy exit code on a mandatory violation, before any update", async () => {
    const violation: EngineEvent = {
      sequence: 1,
      timestamp: 1,
      policyEvent: { message: "open SSH", color: "raw", policyName: "no-public-ssh", policyPackName: "security-zones", policyPackVersion: "1", policyPackVersionTag: "1", enforcementLevel: "mandatory" },
    };
    const fake = fakeEngine([violation], "error: preview failed");
    assert.equal(await runStackInvocation(inv("up", "aws-dev"), io(fake)), EXIT.policy);
    assert.deepEqual(fake.calls, ["preview"]);
  });

  it("fails with exit 1 when the preview fails, showing the engine's error", async () => {
    const fake = fakeEngine([], "error: program failed: missing config pfv5:cloud");
    assert.equal(await runStackInvocation(inv("preview", "aws-dev"), io(fake)), EXIT.failed);
    assert.ok(err.includes("  error: program failed: missing config pfv5:cloud"), err.join("\n"));
  });

  it("blocks a CIDR on prod: writes the stack file, previews, gates and updates", async () => {
    const fake = fakeEngine([pre("create", "aws:ec2/networkAclRule:NetworkAclRule", "net-deny-0")]);
    const code = await runStackInvocation(inv("block", "aws-prod", "203.0.113.0/24", "--reason", "credential stuffing"), io(fake));
    assert.equal(code, EXIT.ok);
    assert.deepEqual(fake.calls, ["preview", "up"]);
    assert.equal(fs.readFileSync(path.join(project, "Pulumi.aws-prod.yaml"), "utf8"), `${PROD}  pfv5:blockedCidrs:\n    - 203.0.113.0/24 # 2025-03-01T12:00:00Z credential stuffing\n`);
  });

  it("refuses to block an admin CIDR without touching the file or the engine", async () => {
    const fake = fakeEngine([]);
    const code = await runStackInvocation(inv("block", "aws-prod", "192.0.2.128/25", "--reason", "x"), io(fake));
    assert.equal(code, EXIT.usage);
    assert.deepEqual(fake.calls, []);
    assert.equal(fs.readFileSync(path.join(project, "Pulumi.aws-prod.yaml"), "utf8"), PROD);
    assert.match(err.join("\n"), /^error: cannot block "192\.0\.2\.128\/25" on stack "aws-prod":\n {2}- <cidr> = "192\.0\.2\.128\/25": overlaps the authorized admin CIDR 192\.0\.2\.0\/24/);
  });

  it("edits only the file with --no-up, needing no CLI", async () => {
    const code = await runStackInvocation(inv("block", "aws-dev", "203.0.113.0/24", "--reason", "scan", "--no-up"), io(undefined, { PATH: "" }));
    assert.equal(code, EXIT.ok);
    assert.match(fs.readFileSync(path.join(project, "Pulumi.aws-dev.yaml"), "utf8"), /- 203\.0\.113\.0\/24 # 2025-03-01T12:00:00Z scan\n$/);
    const unblock = await runStackInvocation(inv("unblock", "aws-dev", "203.0.113.0/24", "--no-up"), io(undefined, { PATH: "" }));
    assert.equal(unblock, EXIT.ok);
    assert.equal(fs.readFileSync(path.join(project, "Pulumi.aws-dev.yaml"), "utf8"), DEV);
  });

  describe("on copies of the shipped stack files", () => {
    const shipped = fs.readdirSync(REPO).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    beforeEach(() => {
      for (const f of shipped) fs.copyFileSync(path.join(REPO, f), path.join(project, f));
    });
    const read = (stack: string): string => fs.readFileSync(path.join(project, `Pulumi.${stack}.yaml`), "utf8");
    const original = (stack: string): string => fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), "utf8");

    for (const stack of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) {
      it(`blocks and unblocks on ${stack} with --no-up, leaving the file byte-identical`, async () => {
        assert.equal(await runStackInvocation(inv("block", stack, "203.0.113.0/24", "--reason", "scan", "--no-up"), io()), EXIT.ok, err.join("\n"));
        assert.equal(read(stack), `${original(stack)}  pfv5:blockedCidrs:\n    - 203.0.113.0/24 # 2025-03-01T12:00:00Z scan\n`);
        assert.equal(await runStackInvocation(inv("unblock", stack, "203.0.113.0/24", "--no-up"), io()), EXIT.ok, err.join("\n"));
        assert.equal(read(stack), original(stack));
      });
    }

    it("refuses an IPv6 block on aws-dev, whose VPC carries IPv4 only, leaving the file alone", async () => {
      assert.equal(await runStackInvocation(inv("block", "aws-dev", "2001:db8::/32", "--reason", "x", "--no-up"), io()), EXIT.usage);
      assert.equal(read("aws-dev"), original("aws-dev"));
      assert.deepEqual(err, [
        'error: cannot block "2001:db8::/32" on stack "aws-dev": the stack\'s own validation would reject Pulumi.aws-dev.yaml with it:\n' +
          '  - pfv5:blockedCidrs[0] = "2001:db8::/32": is an IPv6 block, but the VPC carries IPv4 only, so no IPv6 traffic can reach it: list IPv4 blocks',
      ]);
    });

    it("accepts ten blocks on aws-prod and refuses the eleventh, which the network ACL quota cannot hold", async () => {
      const cidrs = Array.from({ length: 11 }, (_, i) => `198.18.${i}.0/24`);
      for (const cidr of cidrs.slice(0, 10)) {
        assert.equal(await runStackInvocation(inv("block", "aws-prod", cidr, "--reason", "botnet", "--no-up"), io()), EXIT.ok, err.join("\n"));
      }
      const ten = read("aws-prod");
      assert.equal(await runStackInvocation(inv("block", "aws-prod", cidrs[10] ?? "", "--reason", "botnet", "--no-up"), io()), EXIT.usage);
      assert.equal(read("aws-prod"), ten);
      assert.match(err.join("\n"), /^error: cannot block "198\.18\.10\.0\/24" on stack "aws-prod": the stack's own validation would reject Pulumi\.aws-prod\.yaml with it:\n {2}- pfv5:blockedCidrs = "11 blocks": the dmz network ACL would need 21 inbound rules/);
    });

    it("refuses a block on a Kubernetes stack, pointing to the quarantine label", async () => {
      assert.equal(await runStackInvocation(inv("block", "cluster-prod", "203.0.113.0/24", "--reason", "x", "--no-up"), io()), EXIT.usage);
      assert.equal(read("cluster-prod"), original("cluster-prod"));
      assert.match(err.join("\n"), /^error: cannot block "203\.0\.113\.0\/24" on stack "cluster-prod":\n {2}- pfv5:cloud = "kubernetes": .*pfv5\.io\/quarantine=true/);
    });

    it("refuses to block the metadata address", async () => {
      assert.equal(await runStackInvocation(inv("block", "aws-prod", "169.254.169.254/32", "--reason", "x", "--no-up"), io()), EXIT.usage);
      assert.match(err.join("\n"), /^error: cannot block "169\.254\.169\.254\/32" on stack "aws-prod":\n {2}- <cidr> = "169\.254\.169\.254\/32": is link-local/);
    });

    it("says that an unblock argument is not a CIDR", async () => {
      assert.equal(await runStackInvocation(inv("unblock", "aws-prod", "garbage", "--no-up"), io()), EXIT.usage);
      assert.equal(read("aws-prod"), original("aws-prod"));
      assert.match(err[0] ?? "", /^error: "garbage" is not a CIDR block \(the prefix length is missing/);
    });
  });

  it("says the CLI is missing in one line, exits 3 and leaves the stack file alone", async () => {
    const json = path.join(root, "s.json");
    const code = await runStackInvocation(inv("block", "aws-dev", "203.0.113.0/24", "--reason", "scan", "--json-summary", json), io(undefined, { PATH: "" }));
    assert.equal(code, EXIT.cliMissing);
    assert.equal(err.length, 1);
    assert.match(err[0] ?? "", /^error: the Pulumi CLI is not installed .*curl -fsSL https:\/\/get\.pulumi\.com \| sh -s -- --version 3\.248\.0.*--install-cli/);
    assert.equal(fs.readFileSync(path.join(project, "Pulumi.aws-dev.yaml"), "utf8"), DEV);
    assert.equal(summary(json).status, "cli-missing");
  });

  it("refuses to run without a passphrase for the file backend", async () => {
    const fake = fakeEngine([]);
    const env = io(fake);
    const code = await runStackInvocation(inv("preview", "aws-dev"), { ...env, env: { PATH: binDir, HOME: root } });
    assert.equal(code, EXIT.usage);
    assert.deepEqual(fake.calls, []);
  });

  it("refuses an unknown stack, naming the known ones", async () => {
    assert.equal(await runStackInvocation(inv("preview", "aws-stage"), io(fakeEngine([]))), EXIT.usage);
    assert.match(err[0] ?? "", /unknown stack "aws-stage".*the stacks are aws-dev, aws-prod$/);
  });

  it("refuses to destroy prod without --confirm naming the stack", async () => {
    const fake = fakeEngine([]);
    assert.equal(await runStackInvocation(inv("destroy", "aws-prod"), io(fake)), EXIT.usage);
    assert.equal(await runStackInvocation(inv("destroy", "aws-prod", "--confirm", "aws-prod"), io(fake)), EXIT.ok);
    assert.deepEqual(fake.calls, ["destroy"]);
  });

  it("refuses to preview with an unbuilt policy pack, saying to build", async () => {
    fs.rmSync(path.join(project, "policy-packs", "kubernetes-zones", "dist"), { recursive: true });
    assert.equal(await runStackInvocation(inv("preview", "aws-dev"), io(fakeEngine([]))), EXIT.usage);
    assert.match(err[0] ?? "", /policy pack "kubernetes-zones" is not built .*run `pnpm build` first/);
  });

  it("prints the outputs with secrets masked", async () => {
    const fake = fakeEngine([], undefined, { vpcId: { value: "vpc-1", secret: false }, wgKey: { value: "private!", secret: true } });
    assert.equal(await runStackInvocation(inv("outputs", "aws-dev"), io(fake)), EXIT.ok);
    const printed = out[out.length - 1] ?? "";
    assert.deepEqual(JSON.parse(printed), { vpcId: "vpc-1", wgKey: "[secret]" });
    assert.equal(out.join("\n").includes("private!"), false);
  });
});
