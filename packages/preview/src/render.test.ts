import { strict as assert } from "node:assert";
import { analyzeRequest, durationSeconds, stackResource } from "./analyzer";
import { defaultProviderName, urnFor } from "./monitor";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "./proto";
import { countByType, displayValue, renderHuman, renderTree, summaryLine, toJson } from "./render";
import { runReporters, type Reporter } from "./reporters";
import { engineOrder } from "./runner";
import type { PreviewResult, RecordedResource } from "./types";

const STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const NET = "urn:pulumi:s::p::x:index:Net::net";

function res(type: string, name: string, parent: string, extra: Partial<RecordedResource> = {}): RecordedResource {
  return {
    urn: parent === "" || parent === STACK ? `urn:pulumi:s::p::${type}::${name}` : `urn:pulumi:s::p::x:index:Net$${type}::${name}`,
    type, name, parent, custom: !type.startsWith("x:") && !type.startsWith("pulumi:pulumi"), remote: false, read: false,
    defaultProvider: false, provider: "", inputs: {}, dependencies: [], propertyDependencies: {},
    options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: "", update: "", delete: "" }, replaceOnChanges: [], providers: {} },
    ...extra,
  };
}

const RESOURCES: RecordedResource[] = [
  res("pulumi:pulumi:Stack", "p-s", ""),
  res("x:index:Net", "net", STACK),
  res("aws:ec2/vpc:Vpc", "net-vpc", NET, { inputs: { cidrBlock: "10.0.0.0/16" } }),
  res("aws:ec2/subnet:Subnet", "net-a", NET, { options: { ...res("a", "b", "").options, protect: true } }),
  res("aws:ec2/subnet:Subnet", "net-b", NET, { inputs: { secret: { [SIG_KEY]: SECRET_SIG, value: "pw" } } }),
  res("aws:ec2/instance:Instance", "vm", STACK),
];

function result(extra: Partial<PreviewResult> = {}): PreviewResult {
  return {
    stack: "s", project: "p", resources: RESOURCES, defaultProviders: [], outputs: { id: UNKNOWN, n: 3 },
    violations: [{ policyPack: "zones", policy: "ssh", level: "mandatory", urn: RESOURCES[2]?.urn ?? "", message: "Why.\nFix." }],
    policyPacks: [{ name: "zones", version: "1.0.0", dir: "/packs/zones", policies: [] }],
    summary: { resources: 6, violations: 1, mandatory: 1 }, reports: {}, diagnostics: [],
    timings: { programMs: 1200, policyMs: 300, totalMs: 1600 }, exitCode: 1, ...extra,
  };
}

describe("offline preview output", () => {
  it("draws children under their component, the stack at the top, names in one column", () => {
    assert.deepEqual(renderTree(RESOURCES), [
      "+ pulumi:pulumi:Stack           p-s",
      "+ ├─ x:index:Net                net",
      "+ │  ├─ aws:ec2/vpc:Vpc         net-vpc",
      "+ │  ├─ aws:ec2/subnet:Subnet   net-a  [protected]",
      "+ │  └─ aws:ec2/subnet:Subnet   net-b",
      "+ └─ aws:ec2/instance:Instance  vm",
    ]);
  });

  it("counts resources per type and closes with the summary line", () => {
    assert.deepEqual(countByType(RESOURCES), [
      ["aws:ec2/instance:Instance", 1], ["aws:ec2/subnet:Subnet", 2], ["aws:ec2/vpc:Vpc", 1], ["pulumi:pulumi:Stack", 1], ["x:index:Net", 1],
    ]);
    assert.equal(summaryLine(result()), "6 resources, 1 violation (1 mandatory)");
    assert.equal(renderHuman(result()).split("\n").at(-2), "6 resources, 1 violation (1 mandatory)");
  });

  it("lists each violation with its pack, level, policy, resource and message", () => {
    const text = renderHuman(result());
    assert.ok(text.includes(
      "  [mandatory] zones@v1.0.0  ssh\n" +
        `    resource: aws:ec2/vpc:Vpc net-vpc  (${RESOURCES[2]?.urn ?? ""})\n` +
        "    Why.\n    Fix.\n",
    ));
  });

  it("ends with the error instead of the summary when the run failed", () => {
    const text = renderHuman(result({ failure: { kind: "config", message: "pfv5:azCount = 9: too many" }, exitCode: 2 }));
    assert.equal(text.split("\n").at(-2), "error (config): pfv5:azCount = 9: too many");
    assert.ok(!text.includes("Resources by type:"));
    const crashed = renderHuman(result({ failure: { kind: "program", message: "boom" }, exitCode: 2 }));
    assert.ok(crashed.includes("+ pulumi:pulumi:Stack"));
  });

  it("shows unknowns and secrets as markers, never a secret's value", () => {
    assert.equal(displayValue(UNKNOWN), "[unknown]");
    assert.equal(displayValue({ [SIG_KEY]: SECRET_SIG, value: "pw" }), "[secret]");
    assert.equal(displayValue({ a: [UNKNOWN, 1] }), '{"a":["[unknown]",1]}');
    const doc = toJson(result());
    assert.ok(!JSON.stringify(doc).includes('"pw"'));
    assert.deepEqual((doc["resources"] as { inputs: unknown }[])[4]?.inputs, { secret: "[secret]" });
  });

  it("adds each reporter's section under its name and refuses reserved names", async () => {
    const matrix: Reporter = { name: "matrix", title: "Zone matrix", report: (i) => ({ text: `${i.resources.length} resources`, json: { cells: 0 } }) };
    const reports = await runReporters([matrix], { stack: "s", project: "p", resources: RESOURCES, violations: [], outputs: {}, flags: {}, cwd: "/" });
    const r = result({ reports });
    assert.deepEqual(toJson(r)["matrix"], { cells: 0 });
    assert.ok(renderHuman(r).includes("Zone matrix:\n  6 resources\n"));
    const clash: Reporter = { name: "summary", title: "x", report: () => ({}) };
    await assert.rejects(runReporters([clash], { stack: "s", project: "p", resources: [], violations: [], outputs: {}, flags: {}, cwd: "/" }), /reporter name "summary" is reserved/);
  });
});

describe("engine requests built from recorded resources", () => {
  const provider = res("pulumi:providers:aws", "default_7_48_0", "", { defaultProvider: true, inputs: { region: "eu-west-1" } });
  const vpc = res("aws:ec2/vpc:Vpc", "net-vpc", NET, {
    provider: `${provider.urn}::${UNKNOWN}`,
    inputs: { cidrBlock: "10.0.0.0/16", id: UNKNOWN },
    propertyDependencies: { cidrBlock: [], tags: [NET] },
    options: { ...RESOURCES[0]!.options, protect: true, customTimeouts: { create: "1h30m", update: "", delete: "90s" } },
  });

  it("gives URNs as the engine does and names default providers by version", () => {
    assert.equal(urnFor("s", "p", "", "pulumi:pulumi:Stack", "p-s"), STACK);
    assert.equal(urnFor("s", "p", STACK, "x:index:Net", "net"), NET);
    assert.equal(urnFor("s", "p", NET, "aws:ec2/vpc:Vpc", "v"), "urn:pulumi:s::p::x:index:Net$aws:ec2/vpc:Vpc::v");
    assert.equal(defaultProviderName("7.48.0"), "default_7_48_0");
    assert.equal(defaultProviderName("1.0.0-alpha.1+dev"), "default_1_0_0_alpha_1_dev");
    assert.equal(defaultProviderName(""), "default");
  });

  it("puts each default provider just before its first user", () => {
    assert.deepEqual(engineOrder([RESOURCES[0]!, vpc], [provider]).map((r) => r.name), ["p-s", "default_7_48_0", "net-vpc"]);
  });

  it("sends Analyze the inputs, the options with the parent and the provider", () => {
    const req = analyzeRequest(vpc, provider);
    assert.deepEqual(req.getProperties()?.toJavaScript(), { cidrBlock: "10.0.0.0/16", id: UNKNOWN });
    const o = req.getOptions();
    assert.deepEqual([o?.getProtect(), o?.getParent(), o?.getCustomtimeouts()?.getCreate(), o?.getCustomtimeouts()?.getDelete()], [true, NET, 5400, 90]);
    assert.deepEqual([req.getProvider()?.getUrn(), req.getProvider()?.getProperties()?.toJavaScript()], [provider.urn, { region: "eu-west-1" }]);
  });

  it("sends AnalyzeStack the parent, and only the property dependencies that name a resource", () => {
    const r = stackResource(vpc, provider);
    assert.equal(r.getParent(), NET);
    assert.deepEqual([...r.getPropertydependenciesMap().keys()], ["tags"]);
    assert.deepEqual(r.getPropertydependenciesMap().get("tags")?.getUrnsList(), [NET]);
  });

  it("reads custom timeouts as Go durations", () => {
    assert.equal(durationSeconds(""), 0);
    assert.equal(durationSeconds("10m"), 600);
    assert.equal(durationSeconds("1h2m3s"), 3723);
    assert.equal(durationSeconds("500ms"), 0.5);
    assert.throws(() => durationSeconds("ten minutes"), /custom timeout "ten minutes" is not a duration/);
  });
});
