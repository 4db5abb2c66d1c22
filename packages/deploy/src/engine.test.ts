/**
 * The real Automation API path, against a stand-in `pulumi` executable that records its
 * arguments and environment and replays engine events into the event log the SDK reads.
 * It proves how the driver's options reach the CLI: the policy-pack flags, the backend and
 * passphrase, the stack selection.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { parseArgs, type StackInvocation } from "./args";
import { runStackInvocation } from "./driver";
import { EXIT } from "./exit-codes";

function pre(op: "create" | "replace", type: string, name: string): EngineEvent {
  return { sequence: 1, timestamp: 1, resourcePreEvent: { planning: true, metadata: { op, urn: `urn:pulumi:s::pfv5::${type}::${name}`, type, provider: "" } } };
}

const summaryEvent: EngineEvent = { sequence: 9, timestamp: 9, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { create: 1 }, policyPacks: {} } };

describe("Automation API wiring (stand-in CLI)", function () {
  this.timeout(60_000);
  let root: string;
  let project: string;
  let bin: string;
  let log: string;

  /** Writes the stand-in CLI; it reports 3.200.0 so the SDK reads events from a log file. */
  function writeCli(previewEvents: EngineEvent[]): void {
    const events = path.join(root, "preview-events.jsonl");
    fs.writeFileSync(events, previewEvents.map((e) => JSON.stringify(e)).join("\n") + "\n");
    fs.writeFileSync(path.join(root, "up-events.jsonl"), `${JSON.stringify(summaryEvent)}\n`);
    const script = `#!/bin/sh
printf '%s\\n' "$*" >> '${log}'
case "$1 $2" in
  "version "*) echo "v3.200.0"; exit 0 ;;
  "stack output") echo "{}"; exit 0 ;;
  "stack history") echo "[]"; exit 0 ;;
esac
if [ "$1" = preview ] || [ "$1" = up ]; then
  env | grep -E '^PULUMI_(BACKEND_URL|CONFIG_PASSPHRASE|HOME|SKIP_UPDATE_CHECK)=' | sort > '${root}/env-'"$1"
  prev=""; target=""
  for a in "$@"; do [ "$prev" = "--event-log" ] && target="$a"; prev="$a"; done
  cat '${root}'/"$1"-events.jsonl >> "$target"
fi
exit 0
`;
    fs.writeFileSync(path.join(bin, "pulumi"), script, { mode: 0o755 });
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-engine-"));
    project = path.join(root, "project");
    bin = path.join(root, "cli", "bin");
    log = path.join(root, "calls.log");
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: pfv5\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "Pulumi.aws-prod.yaml"), "config:\n  pfv5:cloud: aws\n  pfv5:environment: prod\n");
    fs.writeFileSync(path.join(project, "Pulumi.aws-dev.yaml"), "config:\n  pfv5:cloud: aws\n  pfv5:environment: dev\n");
    for (const pack of ["security-zones", "kubernetes-zones"]) {
      const dir = path.join(project, "policy-packs", pack);
      fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), '{"main":"dist/index.js"}');
      fs.writeFileSync(path.join(dir, "dist", "index.js"), "");
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function inv(...argv: string[]): StackInvocation {
    const parsed = parseArgs([...argv, "--work-dir", project]);
    if (parsed.command === "help" || parsed.command === "changed") assert.fail("expected a stack command");
    return parsed;
  }

  async function run(i: StackInvocation): Promise<{ code: number; out: string[]; err: string[]; calls: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runStackInvocation(i, {
      env: { PATH: bin, HOME: root, PULUMI_CONFIG_PASSPHRASE: "correct horse" },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      now: () => new Date(),
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : [];
    return { code, out, err, calls };
  }

  const packs = (): string =>
    ["security-zones", "kubernetes-zones"].map((p) => `--policy-pack ${path.join(project, "policy-packs", p)}`).join(" ");

  it("previews a prod stack with both packs, no pack configs, and refuses the gated replace", async () => {
    writeCli([pre("replace", "aws:ec2/vpc:Vpc", "net-vpc"), summaryEvent]);
    const r = await run(inv("up", "aws-prod"));
    assert.equal(r.code, EXIT.gate, r.err.join("\n"));
    const previews = r.calls.filter((c) => c.startsWith("preview "));
    assert.equal(previews.length, 1);
    assert.ok(previews[0]?.includes(packs()), previews[0]);
    assert.equal(previews[0]?.includes("--policy-pack-config"), false);
    assert.equal(r.calls.some((c) => c.startsWith("up ")), false);
    assert.ok(r.calls.some((c) => c.startsWith("stack select") && c.includes("aws-prod")), r.calls.join("\n"));
    assert.ok(r.out.includes("  +- replace            aws:ec2/vpc:Vpc  net-vpc"), r.out.join("\n"));
  });

  it("hands the CLI the backend, passphrase and home explicitly, then updates", async () => {
    writeCli([pre("create", "aws:ec2/subnet:Subnet", "net-app-a"), summaryEvent]);
    const r = await run(inv("up", "aws-dev"));
    assert.equal(r.code, EXIT.ok, r.err.join("\n"));
    assert.ok(r.calls.some((c) => c.startsWith("up ") && c.includes(packs())), r.calls.join("\n"));
    for (const op of ["preview", "up"]) {
      assert.deepEqual(fs.readFileSync(path.join(root, `env-${op}`), "utf8").split("\n").filter((l) => l !== ""), [
        `PULUMI_BACKEND_URL=file://${project}/.pulumi-state`,
        "PULUMI_CONFIG_PASSPHRASE=correct horse",
        `PULUMI_HOME=${path.join(root, ".pulumi")}`,
        "PULUMI_SKIP_UPDATE_CHECK=true",
      ]);
    }
    assert.ok(fs.existsSync(path.join(project, ".pulumi-state")), "the local state directory is created");
  });

  it("passes one --policy-pack-config per pack, in pack order, once a pack is configured", async () => {
    const configured = path.join(project, "policy-packs", "kubernetes-zones", "config", "dev.json");
    fs.mkdirSync(path.dirname(configured), { recursive: true });
    fs.writeFileSync(configured, "{}\n");
    writeCli([summaryEvent]);
    const r = await run(inv("preview", "aws-dev"));
    assert.equal(r.code, EXIT.ok, r.err.join("\n"));
    const preview = r.calls.find((c) => c.startsWith("preview ")) ?? "";
    const flags = [...preview.matchAll(/--policy-pack(-config)? (\S+)/g)].map((m) => [m[1] === undefined ? "pack" : "config", m[2]]);
    assert.equal(flags.length, 4, preview);
    assert.deepEqual(flags.slice(0, 2), [["pack", path.join(project, "policy-packs", "security-zones")], ["pack", path.join(project, "policy-packs", "kubernetes-zones")]]);
    assert.equal(flags[2]?.[0], "config");
    assert.match(flags[2]?.[1] ?? "", /security-zones\.policy-config\.json$/);
    assert.deepEqual(flags[3], ["config", configured]);
  });
});
