/**
 * The run summary CI keeps: one JSON object per run (`--json-summary`) and its Markdown
 * rendering for pull-request comments (`--markdown-summary`). It never holds resource
 * inputs or outputs, so no secret can reach it.
 */
import type { OpMap } from "@pulumi/pulumi/automation";
import type { GateResult } from "./gate";
import { formatCounts, urnName, type OperationRecord, type PolicyViolation, type ResourceChange } from "./progress";

export type RunStatus = "succeeded" | "failed" | "usage-error" | "cli-missing" | "policy-violation" | "refused-by-gate";

export interface RunSummary {
  readonly stack: string;
  readonly command: string;
  readonly environment: string;
  readonly protected: boolean;
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly durationSeconds: number;
  /** Counts per operation, from the engine's own summary. */
  readonly resourceChanges: OpMap;
  readonly changes: readonly ResourceChange[];
  readonly failed: readonly ResourceChange[];
  readonly policyViolations: readonly PolicyViolation[];
  readonly policyPacks: readonly string[];
  readonly gate?: GateResult;
  readonly messages: readonly string[];
}

export interface SummaryInput {
  readonly stack: string;
  readonly command: string;
  readonly environment: string;
  readonly protected: boolean;
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The operations run, in order (a gated up has a preview and an update). */
  readonly records: readonly OperationRecord[];
  readonly gate?: GateResult;
  readonly messages: readonly string[];
}

/** Merges the operations of one run into its summary; the last operation's counts win. */
export function buildSummary(input: SummaryInput): RunSummary {
  const last = input.records[input.records.length - 1];
  return {
    stack: input.stack,
    command: input.command,
    environment: input.environment,
    protected: input.protected,
    status: input.status,
    exitCode: input.exitCode,
    startedAt: input.startedAt.toISOString(),
    durationSeconds: Math.round((input.finishedAt.getTime() - input.startedAt.getTime()) / 100) / 10,
    resourceChanges: last?.resourceChanges ?? {},
    changes: last?.changes ?? [],
    failed: input.records.flatMap((r) => r.failed),
    policyViolations: input.records.flatMap((r) => r.violations),
    policyPacks: [...new Set(input.records.flatMap((r) => r.policyPacks))],
    ...(input.gate !== undefined ? { gate: input.gate } : {}),
    messages: [...input.messages, ...input.records.flatMap((r) => r.errors)],
  };
}

const STATUS_TEXT: Record<RunStatus, string> = {
  succeeded: "succeeded",
  failed: "failed",
  "usage-error": "refused: bad input",
  "cli-missing": "not run: Pulumi CLI missing",
  "policy-violation": "failed: mandatory policy violation",
  "refused-by-gate": "refused by the protected-environment gate",
};

/** Markdown cell text: pipes and newlines would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** At most this many changed resources are listed in a comment; the JSON has all. */
export const MARKDOWN_RESOURCE_LIMIT = 60;

export function summaryToMarkdown(s: RunSummary): string {
  const planned = s.command === "preview";
  const icon = s.status === "succeeded" ? "✅" : "❌";
  const out: string[] = [
    `### ${icon} \`${s.stack}\` ${s.command}: ${STATUS_TEXT[s.status]}`,
    "",
    `Environment **${s.environment}**${s.protected ? " (protected)" : ""}; ${formatCounts(s.resourceChanges, planned)}; ${s.durationSeconds}s; policy packs: ${s.policyPacks.length > 0 ? s.policyPacks.join(", ") : "none reported"}.`,
  ];
  if (s.messages.length > 0) out.push("", ...s.messages.map((m) => `> ${cell(m)}`));
  if (s.gate !== undefined && (s.gate.refused.length > 0 || s.gate.allowed.length > 0)) {
    out.push("", "| gate | op | resource | why |", "|---|---|---|---|");
    for (const f of s.gate.refused) out.push(`| refused | ${f.op} | \`${cell(f.urn)}\` | ${cell(f.why)} |`);
    for (const f of s.gate.allowed) out.push(`| allowed | ${f.op} | \`${cell(f.urn)}\` | ${cell(f.why)} |`);
  }
  if (s.policyViolations.length > 0) {
    out.push("", "| level | policy | resource | message |", "|---|---|---|---|");
    for (const v of s.policyViolations) {
      out.push(`| ${v.enforcementLevel} | ${cell(`${v.policyPack}/${v.policy}`)} | ${v.urn !== undefined ? `\`${cell(urnName(v.urn))}\`` : "stack"} | ${cell(v.message)} |`);
    }
  }
  if (s.changes.length > 0) {
    out.push("", "<details><summary>Changed resources</summary>", "", "| op | type | name |", "|---|---|---|");
    for (const c of s.changes.slice(0, MARKDOWN_RESOURCE_LIMIT)) out.push(`| ${c.op} | \`${cell(c.type)}\` | \`${cell(urnName(c.urn))}\` |`);
    if (s.changes.length > MARKDOWN_RESOURCE_LIMIT) out.push(`| | ${s.changes.length - MARKDOWN_RESOURCE_LIMIT} more | (see the JSON summary) |`);
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}
