/**
 * The CLI end to end (argument parsing, `--json`, `--config`, policy config files), run
 * through `main` with the fixture project as the working directory.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main, USAGE } from "./cli";
import { UNKNOWN } from "./proto";
import type { Reporter, ReporterInput } from "./reporters";

const FIXTURES = path.resolve(__dirname, "..", "fixtures");
const PROJECT = path.join(FIXTURES, "project");
const PACK = ["--policy-pack", path.join(FIXTURES, "policy-pack")];
const INGRESS_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface JsonDoc {
  stack: string;
  resources: { urn: string; type: string; name: string; parent: string; inputs: Record<string, unknown> }[];
  violations: { policyPack: string; policy: string; level: string; urn: string; message: string }[];
  summary: { resources: number; violations: number; mandatory: number };
}

describe("preview:offline command line", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pfv5-preview-${process.pid}-`));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("prints the help and exits 0", async () => {
    assert.deepEqual(await main(["--help"], PROJECT), { code: 0, stdout: `${USAGE}\n`, stderr: "" });
  });

  it("exits 2 without a stack name or with an unknown option, showing the usage", async () => {
    const none = await main([], PROJECT);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, `expected exactly one stack name, got 0\n\n${USAGE}\n`);
    const unknown = await main(["dev", "--frobnicate"], PROJECT);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Unknown option '--frobnicate'/);
  });

  it("exits 2 on an override that is not key=value, naming it", async () => {
    assert.deepEqual(await main(["dev", "-c", "fixture:azCount"], PROJECT), {
      code: 2,
      stdout: "",
      stderr: 'error (usage): --config "fixture:azCount" is not key=value: write e.g. --config aws:region=eu-west-1\n',
    });
  });

  it("prints the tree, the counts per type, the violations and the summary line", async () => {
    const out = await main(["dev", ...PACK], PROJECT);
    assert.equal(out.code, 0);
    const lines = out.stdout.split("\n");
    assert.deepEqual(lines.slice(0, 3), [
      "Previewing fixture/dev offline (program under the SDK mocks, policies: fixture-pack@v1.2.3)",
      "",
      "+ pulumi:pulumi:Stack                                              fixture-dev",
    ]);
    assert.ok(lines.includes("+ │  └─ aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule  net-ssh-in"));
    assert.ok(lines.includes("+ └─ aws:ec2/instance:Instance                                     bastion"));
    assert.ok(lines.includes("     2  aws:ec2/subnet:Subnet"));
    assert.ok(lines.includes("  [advisory] fixture-pack@v1.2.3  rules-have-descriptions"));
    assert.ok(lines.includes("  vpcId: [unknown]"));
    assert.equal(lines.at(-2), "10 resources, 3 violations (0 mandatory)");
  });

  it("prints exactly the documented --json shape", async () => {
    const out = await main(["open", ...PACK, "--json"], PROJECT);
    assert.equal(out.code, 1);
    const doc = JSON.parse(out.stdout) as JsonDoc & Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).slice(0, 4), ["stack", "resources", "violations", "summary"]);
    assert.equal(doc.stack, "open");
    for (const r of doc.resources) assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs"]);
    for (const v of doc.violations) assert.deepEqual(Object.keys(v), ["policyPack", "policy", "level", "urn", "message"]);
    assert.deepEqual(doc.summary, { resources: 11, violations: 4, mandatory: 1 });
    const rule = doc.resources.find((r) => r.name === "net-ssh-in");
    assert.deepEqual(rule?.inputs, {
      cidrIpv4: "0.0.0.0/0",
      description: "ssh from the admins",
      fromPort: 22,
      ipProtocol: "tcp",
      securityGroupId: UNKNOWN,
      toPort: 22,
    });
  });

  it("parses --config values as JSON when they parse and as strings otherwise", async () => {
    const ok = await main(
      ["dev", "--json", ...PACK, "-c", 'fixture:tags={"team":"edge"}', "-c", "fixture:azCount=3", "-c", "fixture:sshCidr=198.51.100.0/24", "-c", "aws:region=ap-southeast-2"],
      PROJECT,
    );
    const doc = JSON.parse(ok.stdout) as JsonDoc;
    const byName = new Map(doc.resources.map((r) => [r.name, r]));
    assert.deepEqual(byName.get("net-vpc")?.inputs["tags"], { team: "edge", Name: "net" });
    assert.deepEqual(
      doc.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => r.inputs["availabilityZone"]),
      ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
    );
    assert.equal(byName.get("net-ssh-in")?.inputs["cidrIpv4"], "198.51.100.0/24");
  });

  it("exits non-zero naming the problem when an override opens SSH to the internet", async () => {
    const out = await main(["dev", ...PACK, "--json", "--config", "fixture:sshCidr=0.0.0.0/0"], PROJECT);
    assert.equal(out.code, 1);
    const doc = JSON.parse(out.stdout) as JsonDoc;
    assert.deepEqual(
      doc.violations.filter((v) => v.level === "mandatory").map((v) => v.message),
      ["SSH must not be reachable from the internet.\nport 22 is open to 0.0.0.0/0: allow only the admin CIDRs"],
    );
  });

  it("never prints a secret value, in the tree or in --json", async () => {
    const human = await main(["dev", ...PACK, "--secret", "fixture:dbPassword=hunter2-plain"], PROJECT);
    const json = await main(["dev", ...PACK, "--json", "--secret", "fixture:dbPassword=hunter2-plain"], PROJECT);
    assert.equal(human.code, 0);
    assert.ok(!human.stdout.includes("hunter2"));
    assert.ok(!json.stdout.includes("hunter2"));
    const doc = JSON.parse(json.stdout) as JsonDoc;
    assert.deepEqual(doc.resources.find((r) => r.name === "db-password")?.inputs, { type: "SecureString", value: "[secret]" });
  });

  it("applies the stack's policy config file by default (Pulumi.<stack>.policy.json)", async () => {
    const out = await main(["relaxed", ...PACK, "--json"], PROJECT);
    assert.equal(out.code, 0);
    const doc = JSON.parse(out.stdout) as JsonDoc;
    assert.deepEqual(
      doc.violations.map((v) => [v.policy, v.level]).sort(),
      [["no-public-ssh", "advisory"], ["rules-have-descriptions", "advisory"], ["rules-name-their-group", "advisory"]],
    );
  });

  it("configures the pack from --policy-pack-config: a policy property changes what it checks", async () => {
    const file = path.join(tmp, "port.json");
    fs.writeFileSync(file, JSON.stringify({ "no-public-ssh": { port: 2222 } }));
    const out = await main(["open", ...PACK, "--policy-pack-config", file, "--json"], PROJECT);
    assert.equal(out.code, 0);
    assert.equal((JSON.parse(out.stdout) as JsonDoc).summary.mandatory, 0);
  });

  it("exits 2 on a policy config value its schema rejects, naming the policy and property", async () => {
    const file = path.join(tmp, "bad.json");
    fs.writeFileSync(file, JSON.stringify({ "no-public-ssh": { port: "ssh" }, "no-such-policy": "mandatory" }));
    const out = await main(["dev", ...PACK, "--policy-pack-config", file], PROJECT);
    assert.equal(out.code, 2);
    assert.ok(out.stderr.includes(`error (config): policy config for pack fixture-pack (${file}): no-public-ssh.port = "ssh": expected integer`));
    assert.ok(out.stderr.includes(`policy config ${file}: pack fixture-pack has no policy "no-such-policy"`));
  });

  it("exits 2 when --policy-pack-config files do not match the packs one to one", async () => {
    const file = path.join(tmp, "one.json");
    fs.writeFileSync(file, "{}");
    const out = await main(["dev", ...PACK, "--policy-pack-config", file, "--policy-pack-config", file], PROJECT);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /error \(usage\): the number of --policy-pack-config files \(2\) must match the number of --policy-pack directories \(1\)/);
  });

  it("runs reporters with the flags they declare and adds their sections to both outputs", async () => {
    const seen: ReporterInput[] = [];
    const counter: Reporter = {
      name: "ruleCount",
      title: "Rules",
      flags: ["diagram"],
      report: (input) => {
        seen.push(input);
        const rules = input.resources.filter((r) => r.type === INGRESS_TYPE).length;
        return { text: `${rules} ingress rule(s)`, json: { rules } };
      },
    };
    const human = await main(["dev", ...PACK, "--diagram", "zones.md"], PROJECT, [counter]);
    assert.ok(human.stdout.includes("Rules:\n  1 ingress rule(s)\n"));
    assert.deepEqual([seen[0]?.flags, seen[0]?.cwd], [{ diagram: "zones.md" }, PROJECT]);
    const json = await main(["dev", ...PACK, "--json"], PROJECT, [counter]);
    assert.deepEqual((JSON.parse(json.stdout) as Record<string, unknown>)["ruleCount"], { rules: 1 });
  });
});
