/**
 * Engine events in, progress lines and a run record out. Pure: the driver prints the lines
 * and keeps the events for the gate.
 */
import type { EngineEvent, OpMap, OpType } from "@pulumi/pulumi/automation";

export interface PolicyViolation {
  readonly policyPack: string;
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly urn?: string;
  readonly message: string;
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly op: OpType;
}

/** What one engine operation did, gathered from its events. */
export interface OperationRecord {
  readonly changes: ResourceChange[];
  readonly failed: ResourceChange[];
  readonly violations: PolicyViolation[];
  readonly errors: string[];
  /** Counts per operation from the engine's summary event; empty when none arrived. */
  resourceChanges: OpMap;
  durationSeconds?: number;
  /** Policy packs the engine reports as run, `name@version`. */
  policyPacks: string[];
}

export function emptyRecord(): OperationRecord {
  return { changes: [], failed: [], violations: [], errors: [], resourceChanges: {}, policyPacks: [] };
}

const SYMBOL: Partial<Record<OpType, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "+-",
  "create-replacement": "++",
  "delete-replaced": "--",
  read: ">",
  "read-replacement": ">>",
  refresh: "~",
  import: "=",
  "import-replacement": "=>",
  discard: "<",
};

/** Strips the engine's colour directives, e.g. `<{%fg 1%}>`. */
export function plain(text: string): string {
  return text.replace(/<\{%[^%]*%\}>/g, "").trimEnd();
}

/** The resource's name: the last part of its URN. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Mandatory violations, which fail the run. */
export function mandatoryViolations(r: OperationRecord): PolicyViolation[] {
  return r.violations.filter((v) => v.enforcementLevel === "mandatory");
}

/**
 * Folds one event into `record` and returns the lines to print for it (often none). Steps
 * that change nothing (`same`) are counted by the engine's summary but not printed.
 */
export function recordEvent(record: OperationRecord, e: EngineEvent): string[] {
  const pre = e.resourcePreEvent?.metadata;
  if (pre !== undefined) {
    if (pre.op === "same") return [];
    record.changes.push({ urn: pre.urn, type: pre.type, op: pre.op });
    return [`  ${(SYMBOL[pre.op] ?? "?").padEnd(2)} ${pre.op.padEnd(18)} ${pre.type}  ${urnName(pre.urn)}`];
  }
  const failed = e.resOpFailedEvent?.metadata;
  if (failed !== undefined) {
    record.failed.push({ urn: failed.urn, type: failed.type, op: failed.op });
    return [`  !! ${`${failed.op} failed`.padEnd(18)} ${failed.type}  ${urnName(failed.urn)}`];
  }
  const p = e.policyEvent;
  if (p !== undefined) {
    const v: PolicyViolation = {
      policyPack: p.policyPackName,
      policy: p.policyName,
      enforcementLevel: p.enforcementLevel,
      ...(p.resourceUrn !== undefined ? { urn: p.resourceUrn } : {}),
      message: plain(p.message),
    };
    record.violations.push(v);
    const where = v.urn !== undefined ? ` ${urnName(v.urn)}` : "";
    return [`  ${v.enforcementLevel === "mandatory" ? "xx" : "!?"} ${v.enforcementLevel} ${v.policyPack}/${v.policy}${where}: ${v.message.split("\n")[0] ?? ""}`];
  }
  const d = e.diagnosticEvent;
  if (d !== undefined) {
    if (d.ephemeral === true) return [];
    const message = plain(d.message);
    if (message === "") return [];
    if (d.severity === "error") record.errors.push(d.urn !== undefined ? `${urnName(d.urn)}: ${message}` : message);
    const where = d.urn !== undefined ? `${urnName(d.urn)}: ` : "";
    return message.split("\n").map((line, i) => `  ${i === 0 ? `${d.severity}: ${where}` : "    "}${line}`);
  }
  const s = e.summaryEvent;
  if (s !== undefined) {
    record.resourceChanges = s.resourceChanges;
    record.durationSeconds = s.durationSeconds;
    record.policyPacks = Object.entries(s.policyPacks).map(([name, version]) => `${name}@${version}`);
  }
  return [];
}

/** One line counting the changes, e.g. `3 to create, 1 to update, 40 unchanged`. */
export function formatCounts(changes: OpMap, planned: boolean): string {
  const verbs: [OpType, string, string][] = [
    ["create", "to create", "created"],
    ["update", "to update", "updated"],
    ["replace", "to replace", "replaced"],
    ["delete", "to delete", "deleted"],
    ["read", "to read", "read"],
    ["refresh", "to refresh", "refreshed"],
    ["import", "to import", "imported"],
    ["same", "unchanged", "unchanged"],
  ];
  const parts = verbs.filter(([op]) => (changes[op] ?? 0) > 0).map(([op, future, past]) => `${changes[op]} ${planned ? future : past}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}
