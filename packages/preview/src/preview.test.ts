/**
 * End to end: the fixture program (packages/preview/fixtures/project) previewed with the
 * fixture pack, each run in its own program and pack processes as the CLI would run them.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { UNKNOWN, SECRET_SIG, SIG_KEY } from "./proto";
import { runOfflinePreview, type OfflinePreviewOptions } from "./runner";
import type { PreviewResult, RecordedResource } from "./types";

const FIXTURES = path.resolve(__dirname, "..", "fixtures");
const PROJECT = path.join(FIXTURES, "project");
const PACK = path.join(FIXTURES, "policy-pack");

function preview(stack: string, extra: Partial<OfflinePreviewOptions> = {}): Promise<PreviewResult> {
  return runOfflinePreview({ stack, projectDir: PROJECT, policyPacks: [PACK], ...extra });
}

function named(result: PreviewResult, name: string): RecordedResource {
  const r = result.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource named ${name}; have ${result.resources.map((x) => x.name).join(", ")}`);
  return r;
}

const urn = (stack: string, qualifiedType: string, name: string): string => `urn:pulumi:${stack}::fixture::${qualifiedType}::${name}`;
const NET = "fixture:index:Network";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

describe("offline preview of the fixture program with the fixture pack", () => {
  let dev: PreviewResult;
  before(async () => {
    dev = await preview("dev");
  });

  it("exits 0 when no policy is mandatory-violated, with every resource under its component", () => {
    assert.equal(dev.failure, undefined);
    assert.equal(dev.exitCode, 0);
    assert.deepEqual(
      dev.resources.map((r) => [r.type, r.name, r.parent]),
      [
        ["pulumi:pulumi:Stack", "fixture-dev", ""],
        [NET, "net", urn("dev", "pulumi:pulumi:Stack", "fixture-dev")],
        ["aws:ec2/vpc:Vpc", "net-vpc", urn("dev", NET, "net")],
        ["aws:ec2/securityGroup:SecurityGroup", "net-bastion", urn("dev", NET, "net")],
        ["aws:ec2/subnet:Subnet", "net-app-a", urn("dev", NET, "net")],
        ["aws:ec2/subnet:Subnet", "net-app-b", urn("dev", NET, "net")],
        ["aws:cloudwatch/logGroup:LogGroup", "net-flow-logs", urn("dev", NET, "net")],
        [EGRESS, "net-https-out", urn("dev", NET, "net")],
        [INGRESS, "net-ssh-in", urn("dev", NET, "net")],
        ["aws:ec2/instance:Instance", "bastion", urn("dev", "pulumi:pulumi:Stack", "fixture-dev")],
      ],
    );
    assert.deepEqual(dev.summary, { resources: 10, violations: 3, mandatory: 0 });
  });

  it("chains parent types into child URNs as the engine does, leaving the stack's out", () => {
    assert.equal(named(dev, "net-vpc").urn, "urn:pulumi:dev::fixture::fixture:index:Network$aws:ec2/vpc:Vpc::net-vpc");
    assert.equal(named(dev, "bastion").urn, "urn:pulumi:dev::fixture::aws:ec2/instance:Instance::bastion");
  });

  it("reports exactly the advisory violations the fixture provokes, naming pack, policy and resource", () => {
    assert.deepEqual(
      dev.violations.map((v) => [v.policyPack, v.policy, v.level, v.urn]),
      [
        ["fixture-pack", "network-protected", "advisory", urn("dev", `${NET}$aws:ec2/vpc:Vpc`, "net-vpc")],
        ["fixture-pack", "rules-have-descriptions", "advisory", urn("dev", `${NET}$${EGRESS}`, "net-https-out")],
        ["fixture-pack", "rules-name-their-group", "advisory", urn("dev", `${NET}$${INGRESS}`, "net-ssh-in")],
      ],
    );
    assert.equal(dev.violations[1]?.message, "Every security group rule says why it exists.\nthe rule has no description: add one");
  });

  it("reports a policy that reads an unknown value as unable to run, not as passed", () => {
    assert.equal(
      dev.violations[2]?.message,
      "can't run policy 'rules-name-their-group' from policy pack 'fixture-pack@v1.2.3' during preview: " +
        "string value at .securityGroupId can't be known during preview",
    );
  });

  it("keeps computed outputs unknown and never runs an apply on them", () => {
    // `tags.Note` is `vpc.arn.apply(...)`: had the apply run, it would hold "the arn is ...".
    assert.deepEqual(named(dev, "net-flow-logs").inputs, { retentionInDays: 30, tags: { VpcArn: UNKNOWN, Note: UNKNOWN } });
    assert.equal(named(dev, "net-ssh-in").inputs["securityGroupId"], UNKNOWN);
    assert.deepEqual(dev.outputs["vpcId"], UNKNOWN);
  });

  it("records dependencies and property dependencies as the SDK sent them", () => {
    const rule = named(dev, "net-ssh-in");
    const group = named(dev, "net-bastion").urn;
    assert.deepEqual(rule.dependencies, [group]);
    assert.deepEqual(rule.propertyDependencies["securityGroupId"], [group]);
    assert.deepEqual(rule.propertyDependencies["cidrIpv4"], []);
  });

  it("answers the invokes from aws:region: availability zones and an AMI", () => {
    assert.deepEqual(
      dev.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => r.inputs["availabilityZone"]),
      ["eu-central-1a", "eu-central-1b"],
    );
    const ami = named(dev, "bastion").inputs["ami"];
    assert.match(typeof ami === "string" ? ami : "", /^ami-[0-9a-f]{17}$/);
    assert.equal(dev.outputs["amiId"], ami);
  });

  it("adds the default provider the engine would create, configured from the aws: keys", () => {
    assert.deepEqual(
      dev.defaultProviders.map((p) => [p.urn, p.inputs]),
      [["urn:pulumi:dev::fixture::pulumi:providers:aws::default_7_48_0", { region: "eu-central-1", version: "7.48.0" }]],
    );
    assert.equal(named(dev, "net-vpc").provider, `urn:pulumi:dev::fixture::pulumi:providers:aws::default_7_48_0::${UNKNOWN}`);
  });

  it("passes structured config through as the engine does (JSON-encoded, decoded by getObject)", () => {
    assert.deepEqual(named(dev, "net-vpc").inputs["tags"], { team: "network", "cost-center": 42, Name: "net" });
  });

  it("delivers property dependencies and parents to the stack policy (no rule is reported orphaned)", () => {
    assert.equal(dev.violations.filter((v) => v.policy === "rules-belong-to-stack-groups").length, 0);
  });
});

describe("offline preview exit codes and failures", () => {
  it("exits 1 on a mandatory violation and names the rule that opens SSH", async () => {
    const open = await preview("open");
    assert.equal(open.exitCode, 1);
    const mandatory = open.violations.filter((v) => v.level === "mandatory");
    assert.deepEqual(
      mandatory.map((v) => [v.policy, v.urn, v.message]),
      [[
        "no-public-ssh",
        urn("open", `${NET}$${INGRESS}`, "net-ssh-in"),
        "SSH must not be reachable from the internet.\nport 22 is open to 0.0.0.0/0: allow only the admin CIDRs",
      ]],
    );
    assert.deepEqual(open.summary, { resources: 11, violations: 4, mandatory: 1 });
  });

  it("finds a rule outside every group of the stack through the stack policy", async () => {
    const orphan = await preview("dev", { config: { "fixture:orphanRule": true } });
    assert.equal(orphan.exitCode, 1);
    assert.deepEqual(
      orphan.violations.filter((v) => v.policy === "rules-belong-to-stack-groups").map((v) => [v.level, v.urn]),
      [["mandatory", urn("dev", `${NET}$${INGRESS}`, "net-orphan-in")]],
    );
  });

  it("hands resource options to policies: a protected component protects its VPC", async () => {
    const protectedRun = await preview("dev", { config: { protect: true } });
    assert.equal(named(protectedRun, "net-vpc").options.protect, true);
    assert.deepEqual(
      protectedRun.violations.map((v) => v.policy),
      ["rules-have-descriptions", "rules-name-their-group"],
    );
  });

  it("exits 2 with the program's validation message on bad config, naming every key", async () => {
    const bad = await preview("dev", { config: { "fixture:azCount": 7, "fixture:sshCidr": "nope" } });
    assert.equal(bad.exitCode, 2);
    assert.deepEqual(bad.failure, {
      kind: "config",
      message:
        'stack config: fixture:azCount = 7: expected a whole number from 1 to 3; fixture:sshCidr = "nope": expected an IPv4 CIDR such as 203.0.113.0/24',
    });
    assert.deepEqual(bad.violations, []);
  });

  it("exits 2 on an invoke the preview has no answer for, naming the token", async () => {
    const run = await preview("dev", { config: { "fixture:extraInvoke": "aws:rds/getEngineVersion:getEngineVersion" } });
    assert.equal(run.exitCode, 2);
    assert.equal(run.failure?.kind, "program");
    assert.match(run.failure?.message ?? "", /no answer for invoke "aws:rds\/getEngineVersion:getEngineVersion"/);
  });

  it("exits 2 when a pack fails to load, with the pack's own error", async () => {
    const run = await preview("dev", { policyPacks: [path.join(FIXTURES, "broken-pack")] });
    assert.equal(run.exitCode, 2);
    assert.equal(run.failure?.kind, "policy-pack");
    assert.match(run.failure?.message ?? "", /failed to start: it exited \(code \d+\) before printing its port/);
    assert.match(run.failure?.message ?? "", /the broken fixture pack refuses to load/);
  });

  it("exits 2 when a pack directory does not exist, before running the program", async () => {
    const run = await preview("dev", { policyPacks: [path.join(FIXTURES, "no-such-pack")] });
    assert.deepEqual(run.failure, { kind: "policy-pack", message: `policy pack directory ${path.join(FIXTURES, "no-such-pack")} does not exist` });
    assert.deepEqual(run.resources, []);
  });

  it("exits 2 for a stack without a stack file and lists the known stacks", async () => {
    const run = await preview("prod");
    assert.deepEqual(run.failure, {
      kind: "config",
      message: `no stack file Pulumi.prod.yaml in ${PROJECT}: known stacks are dev, open, relaxed, secret`,
    });
  });

  it("runs the program alone when no pack is given", async () => {
    const run = await preview("dev", { policyPacks: [] });
    assert.equal(run.exitCode, 0);
    assert.deepEqual(run.summary, { resources: 10, violations: 0, mandatory: 0 });
  });
});

describe("offline preview secrets", () => {
  it("treats a secure stack value as a secret placeholder, enveloped in the registration", async () => {
    const run = await preview("secret");
    assert.equal(run.exitCode, 0);
    assert.deepEqual(named(run, "db-password").inputs["value"], { [SIG_KEY]: SECRET_SIG, value: "[secret]" });
  });

  it("keeps a secret given on the command line secret in the registration", async () => {
    const run = await preview("dev", { secrets: { "fixture:dbPassword": "hunter2-plain" }, policyPacks: [] });
    assert.deepEqual(named(run, "db-password").inputs["value"], { [SIG_KEY]: SECRET_SIG, value: "hunter2-plain" });
  });
});
