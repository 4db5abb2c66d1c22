import { strict as assert } from "node:assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { emptyRecord, formatCounts, mandatoryViolations, recordEvent } from "./progress";
import { buildSummary, MARKDOWN_RESOURCE_LIMIT, summaryToMarkdown } from "./summary";

const URN = "urn:pulumi:aws-dev::pfv5::pfv5:network:AwsNetwork$aws:ec2/vpc:Vpc::net-vpc";

const events: EngineEvent[] = [
  { sequence: 1, timestamp: 1, preludeEvent: { config: {} } },
  { sequence: 2, timestamp: 2, resourcePreEvent: { planning: true, metadata: { op: "create", urn: URN, type: "aws:ec2/vpc:Vpc", provider: "" } } },
  { sequence: 3, timestamp: 3, resourcePreEvent: { planning: true, metadata: { op: "same", urn: `${URN}-x`, type: "aws:ec2/vpc:Vpc", provider: "" } } },
  { sequence: 4, timestamp: 4, diagnosticEvent: { urn: URN, message: "<{%fg 3%}>deprecated argument<{%reset%}>\n", color: "raw", severity: "warning" } },
  { sequence: 5, timestamp: 5, diagnosticEvent: { message: "spinner", color: "raw", severity: "info", ephemeral: true } },
  {
    sequence: 6,
    timestamp: 6,
    policyEvent: { message: "flow logs missing", color: "raw", policyName: "vpc-flow-logs", policyPackName: "security-zones", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "warning" },
  },
  { sequence: 7, timestamp: 7, resOpFailedEvent: { status: 1, steps: 1, metadata: { op: "create", urn: URN, type: "aws:ec2/vpc:Vpc", provider: "" } } },
  { sequence: 8, timestamp: 8, diagnosticEvent: { urn: URN, message: "creating VPC: UnauthorizedOperation", color: "raw", severity: "error" } },
  { sequence: 9, timestamp: 9, summaryEvent: { maybeCorrupt: false, durationSeconds: 12, resourceChanges: { create: 1, same: 40 }, policyPacks: { "security-zones": "0.1.0" } } },
];

describe("progress from engine events", () => {
  const record = emptyRecord();
  const lines = events.flatMap((e) => recordEvent(record, e));

  it("prints one line per change, warning, violation and failure, and nothing for unchanged resources", () => {
    assert.deepEqual(lines, [
      "  +  create             aws:ec2/vpc:Vpc  net-vpc",
      "  warning: net-vpc: deprecated argument",
      "  !? warning security-zones/vpc-flow-logs: flow logs missing",
      "  !! create failed      aws:ec2/vpc:Vpc  net-vpc",
      "  error: net-vpc: creating VPC: UnauthorizedOperation",
    ]);
  });

  it("records changes, failures, errors, counts and the packs that ran", () => {
    assert.deepEqual(record.changes, [{ urn: URN, type: "aws:ec2/vpc:Vpc", op: "create" }]);
    assert.equal(record.failed.length, 1);
    assert.deepEqual(record.errors, ["net-vpc: creating VPC: UnauthorizedOperation"]);
    assert.deepEqual([record.resourceChanges, record.durationSeconds, record.policyPacks], [{ create: 1, same: 40 }, 12, ["security-zones@0.1.0"]]);
  });

  it("counts advisory violations apart from mandatory ones", () => {
    assert.deepEqual(mandatoryViolations(record), []);
    assert.equal(record.violations.length, 1);
  });

  it("words the counts for a plan and for a finished update", () => {
    assert.equal(formatCounts({ create: 3, update: 1, same: 40 }, true), "3 to create, 1 to update, 40 unchanged");
    assert.equal(formatCounts({ delete: 2 }, false), "2 deleted");
    assert.equal(formatCounts({}, true), "no changes");
  });
});

describe("run summary", () => {
  const record = emptyRecord();
  for (const e of events) recordEvent(record, e);
  const summary = buildSummary({
    stack: "aws-dev",
    command: "preview",
    environment: "dev",
    protected: false,
    status: "failed",
    exitCode: 1,
    startedAt: new Date("2025-03-01T00:00:00Z"),
    finishedAt: new Date("2025-03-01T00:00:14.26Z"),
    records: [record],
    messages: ["the preview of aws-dev failed."],
  });

  it("holds the counts, violations, failures and messages of the run, and no resource values", () => {
    assert.deepEqual(
      [summary.status, summary.exitCode, summary.durationSeconds, summary.resourceChanges, summary.policyPacks, summary.messages],
      ["failed", 1, 14.3, { create: 1, same: 40 }, ["security-zones@0.1.0"], ["the preview of aws-dev failed.", "net-vpc: creating VPC: UnauthorizedOperation"]],
    );
    assert.equal(JSON.stringify(summary).includes("inputs"), false);
  });

  it("renders a comment with the verdict, the counts, the violations and the changed resources", () => {
    const md = summaryToMarkdown(summary);
    assert.ok(md.startsWith("### ❌ `aws-dev` preview: failed\n\nEnvironment **dev**; 1 to create, 40 unchanged; 14.3s; policy packs: security-zones@0.1.0.\n"), md);
    assert.ok(md.includes("| warning | security-zones/vpc-flow-logs | stack | flow logs missing |"), md);
    assert.ok(md.includes("| create | `aws:ec2/vpc:Vpc` | `net-vpc` |"), md);
  });

  it("escapes table pipes and caps the resource list, pointing to the JSON", () => {
    const many = emptyRecord();
    for (let i = 0; i < MARKDOWN_RESOURCE_LIMIT + 5; i += 1) many.changes.push({ urn: `${URN}${i}`, type: "a|b", op: "create" });
    const md = summaryToMarkdown({ ...summary, changes: many.changes });
    assert.ok(md.includes("`a\\|b`"));
    assert.ok(md.includes("| | 5 more | (see the JSON summary) |"));
    assert.equal(md.split("\n").filter((l) => l.startsWith("| create |")).length, MARKDOWN_RESOURCE_LIMIT);
  });
});
