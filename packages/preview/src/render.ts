/**
 * Output: a preview-like tree (`+ type name`, children under their component, the stack at
 * the top), counts per type, every violation, the stack outputs, reporter sections and a
 * closing summary line; or, with `--json`, one JSON document. Secrets are never printed:
 * they show as `[secret]` in both forms.
 */
import { isSecretEnvelope, redact, redactMap, UNKNOWN } from "./proto";
import { reportJson } from "./reporters";
import type { Json, PreviewResult, RecordedResource, Violation } from "./types";

/** The tree lines: `+ ├─ type  name`, names aligned in one column. */
export function renderTree(resources: readonly RecordedResource[]): string[] {
  const known = new Set(resources.map((r) => r.urn));
  const children = new Map<string, RecordedResource[]>();
  const roots: RecordedResource[] = [];
  for (const r of resources) {
    if (r.parent === "" || !known.has(r.parent)) roots.push(r);
    else children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  const rows: { op: string; left: string; name: string; note: string }[] = [];
  const walk = (r: RecordedResource, prefix: string, branch: string): void => {
    const notes = [r.options.protect ? "protected" : "", r.read ? "read" : ""].filter((n) => n !== "");
    rows.push({
      op: r.read ? ">" : "+",
      left: `${prefix}${branch}${r.type}`,
      name: r.name,
      note: notes.length > 0 ? `  [${notes.join(", ")}]` : "",
    });
    const kids = children.get(r.urn) ?? [];
    const nextPrefix = branch === "" ? prefix : `${prefix}${branch === "└─ " ? "   " : "│  "}`;
    kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1 ? "└─ " : "├─ "));
  };
  for (const r of roots) walk(r, "", "");
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows.map((r) => `${r.op} ${r.left.padEnd(width)}  ${r.name}${r.note}`);
}

/** Resource counts per type, sorted by type. */
export function countByType(resources: readonly RecordedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function describeUrn(urn: string, byUrn: ReadonlyMap<string, RecordedResource>): string {
  if (urn === "") return "the stack";
  const r = byUrn.get(urn);
  return r === undefined ? urn : `${r.type} ${r.name}`;
}

function indent(text: string, by: string): string[] {
  return text.split("\n").map((l) => `${by}${l}`);
}

function renderViolations(result: PreviewResult): string[] {
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const versions = new Map(result.policyPacks.map((p) => [p.name, p.version]));
  const lines: string[] = [];
  const order: Violation["level"][] = ["mandatory", "remediate", "advisory", "disabled"];
  const sorted = [...result.violations].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  for (const v of sorted) {
    const version = versions.get(v.policyPack);
    lines.push(`  [${v.level}] ${v.policyPack}${version !== undefined ? `@v${version}` : ""}  ${v.policy}`);
    lines.push(`    resource: ${describeUrn(v.urn, byUrn)}${v.urn !== "" ? `  (${v.urn})` : ""}`);
    lines.push(...indent(v.message, "    "));
  }
  return lines;
}

/** A short display form of a serialized value. */
export function displayValue(v: Json): string {
  if (v === UNKNOWN) return "[unknown]";
  if (isSecretEnvelope(v)) return "[secret]";
  return JSON.stringify(redact(v), (_k, x: unknown) => (x === UNKNOWN ? "[unknown]" : x));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The closing line: `N resources, M violations (K mandatory)`. */
export function summaryLine(result: PreviewResult): string {
  const s = result.summary;
  return `${plural(s.resources, "resource")}, ${plural(s.violations, "violation")} (${s.mandatory} mandatory)`;
}

export function renderHuman(result: PreviewResult): string {
  const out: string[] = [];
  const packs = result.policyPacks.map((p) => `${p.name}@v${p.version}`).join(", ");
  out.push(`Previewing ${result.project}/${result.stack} offline (program under the SDK mocks${packs !== "" ? `, policies: ${packs}` : ""})`);
  out.push("");
  // After a config error nothing but the stack was registered: the tree would only be noise.
  const showTree = result.failure === undefined || result.failure.kind === "program" || result.failure.kind === "policy-pack";
  if (showTree && result.resources.length > 0) {
    out.push(...renderTree(result.resources), "");
    out.push("Resources by type:");
    for (const [type, n] of countByType(result.resources)) out.push(`  ${String(n).padStart(4)}  ${type}`);
    out.push("");
  }
  if (result.failure === undefined) {
    out.push(result.violations.length > 0 ? "Policy violations:" : "Policy violations: none");
    out.push(...renderViolations(result), "");
    const outputs = Object.entries(result.outputs);
    if (outputs.length > 0) {
      out.push("Outputs:");
      for (const [k, v] of outputs) out.push(`  ${k}: ${displayValue(v)}`);
      out.push("");
    }
    for (const report of Object.values(result.reports)) {
      if (report.text === undefined) continue;
      out.push(`${report.title ?? ""}:`, ...indent(report.text, "  "), "");
    }
  }
  if (result.diagnostics.length > 0) {
    out.push("Diagnostics:", ...result.diagnostics.map((d) => `  ${d}`), "");
  }
  const t = result.timings;
  out.push(`Ran in ${(t.totalMs / 1000).toFixed(1)} s (program ${(t.programMs / 1000).toFixed(1)} s, policies ${(t.policyMs / 1000).toFixed(1)} s)`);
  if (result.failure !== undefined) {
    out.push(`error (${result.failure.kind}): ${result.failure.message}`);
  } else {
    out.push(summaryLine(result));
  }
  return `${out.join("\n")}\n`;
}

/** The `--json` document. */
export function toJson(result: PreviewResult): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    stack: result.stack,
    resources: result.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      inputs: redactMap(r.inputs),
    })),
    violations: result.violations.map((v) => ({
      policyPack: v.policyPack,
      policy: v.policy,
      level: v.level,
      urn: v.urn,
      message: v.message,
    })),
    summary: { ...result.summary },
    project: result.project,
    outputs: redactMap(result.outputs),
    policyPacks: result.policyPacks,
  };
  for (const [name, report] of Object.entries(result.reports)) {
    const json = reportJson(report);
    if (json !== undefined) doc[name] = json;
  }
  if (result.failure !== undefined) doc["error"] = { ...result.failure };
  return doc;
}

export function renderJson(result: PreviewResult): string {
  return `${JSON.stringify(toJson(result), null, 2)}\n`;
}
