import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../proto";
import { DEFAULT_REPORTERS, type ReporterInput } from "../reporters";
import type { Json, RecordedResource } from "../types";
import { diagramText, stackMatrices, stackResources, zoneMatrixReporter } from "./zone-matrix";

const P = "urn:pulumi:s::p::";

function res(type: string, name: string, inputs: Record<string, Json>, deps: Record<string, string[]> = {}): RecordedResource {
  return {
    urn: `${P}${type}::${name}`, type, name, parent: "", custom: true, remote: false, read: false, defaultProvider: false, provider: "",
    inputs, dependencies: Object.values(deps).flat(), propertyDependencies: deps,
    options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: "", update: "", delete: "" }, replaceOnChanges: [], providers: {} },
  };
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const urn = (type: string, name: string): string => `${P}${type}::${name}`;

/** A VPC with an app and a data subnet, the groups, and app -> data on tcp 5432 and 22. */
function stack(dataPorts: number[]): RecordedResource[] {
  const out = [
    res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }),
    res("aws:ec2/subnet:Subnet", "app-a", { cidrBlock: "10.0.10.0/24", vpcId: UNKNOWN, tags: { "pfv5:tier": "app" } }),
    res("aws:ec2/subnet:Subnet", "data-a", { cidrBlock: "10.0.20.0/24", vpcId: UNKNOWN, tags: { "pfv5:tier": "data", secret: { [SIG_KEY]: SECRET_SIG, value: "x" } } }),
    res(SG, "app", { vpcId: UNKNOWN, tags: { "pfv5:role": "app" } }),
    res(SG, "data", { vpcId: UNKNOWN, tags: { "pfv5:role": "data" } }),
    res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "app-out", { securityGroupId: UNKNOWN, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [urn(SG, "app")] }),
  ];
  for (const port of dataPorts) {
    out.push(
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `data-in-${port}`, { securityGroupId: UNKNOWN, referencedSecurityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: port, toPort: port }, {
        securityGroupId: [urn(SG, "data")],
        referencedSecurityGroupId: [urn(SG, "app")],
      }),
    );
  }
  return out;
}

function input(resources: RecordedResource[], flags: Record<string, string> = {}, cwd = os.tmpdir()): ReporterInput {
  return { stack: "s", project: "p", resources, violations: [], outputs: {}, flags, cwd, config: { "pfv5:sshAllowedCidrs": '["203.0.113.0/24"]' } };
}

describe("the zone matrix reporter", () => {
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `zone-matrix-${process.pid}-`));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is one of the CLI's reporters, under the json key matrix, with a --diagram flag", () => {
    assert.deepEqual(DEFAULT_REPORTERS.map((r) => [r.name, r.flags]), [["matrix", ["diagram"]]]);
  });

  it("unwraps secret values before the analysis reads them", () => {
    const data = stackResources(stack([5432])).find((r) => r.name === "data-a");
    assert.deepEqual(data?.props["tags"], { "pfv5:tier": "data", secret: "x" });
  });

  it("prints the table with zones as rows and columns and marks a path the model does not permit", async () => {
    const report = await zoneMatrixReporter.report(input(stack([5432, 22])));
    const text = report?.text ?? "";
    const appRow = text.split("\n").find((l) => l.startsWith("app "));
    // No route table: the app tier has no way out (missing `?`), and 6379 and 27017 are closed.
    assert.equal(appRow, "app        | -?       | -      | -    | -       | -          | -?  | -    | tcp 22,5432!? | -");
    assert.match(text, /app -> data: tcp 22 can pass, but the zone model does not permit it/);
    assert.match(text, /Opened by: tcp 22 by aws\.vpc\.SecurityGroupIngressRule "data-in-22"; aws\.vpc\.SecurityGroupEgressRule "app-out"/);
  });

  it("puts the cells and findings in --json under the cloud's name", async () => {
    const report = await zoneMatrixReporter.report(input(stack([5432])));
    const json = report?.json as { aws: { zones: string[]; cells: { from: string; to: string; allowed: string }[]; findings: { kind: string; from: string; to: string }[] } };
    assert.deepEqual(json.aws.zones, ["internet", "admins", "edge", "bastion", "vpn-server", "app", "mgmt", "data", "vpn"]);
    assert.deepEqual(json.aws.cells.find((c) => c.from === "app" && c.to === "data")?.allowed, "tcp 5432");
    assert.equal(json.aws.findings.some((f) => f.kind === "extra"), false);
  });

  it("writes a Mermaid diagram, fenced for GitHub in a Markdown file and plain otherwise", async () => {
    await zoneMatrixReporter.report(input(stack([5432, 22]), { diagram: "zones.md" }, dir));
    const md = fs.readFileSync(path.join(dir, "zones.md"), "utf8");
    assert.ok(md.startsWith("## AWS zone matrix\n\n```mermaid\nflowchart LR\n"));
    assert.match(md, /app -->\|"EXTRA tcp 22,5432"\| data/);
    assert.match(md, /linkStyle \d+ stroke:#d00/);
    const raw = diagramText(path.join(dir, "zones.mmd"), stackMatrices(input(stack([5432]))));
    assert.ok(raw.startsWith("flowchart LR\n"));
    assert.match(raw, /app -->\|"tcp 5432"\| data/);
  });

  it("leaves the section out for a stack without a network", async () => {
    assert.equal(await zoneMatrixReporter.report(input([res("aws:s3/bucket:Bucket", "b", {})])), undefined);
  });
});
