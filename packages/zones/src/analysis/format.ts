/**
 * The matrix for people: a table with zones as rows and columns, a Mermaid flowchart
 * that GitHub renders, one-line descriptions of findings, and a JSON form.
 */
import { findingRules, type Comparison, type FindingKind, type PathFinding } from "./compare";
import { declaredCell } from "./declared";
import { grantRules, PROTOS, type Layer, type RuleRef, type Traffic } from "./grants";
import { formatPorts, portsOf } from "./matrix";

/** `tcp 22,3000; udp 51820`, `all`, or `-`. */
export function formatTraffic(t: Traffic): string {
  return formatPorts(portsOf(t));
}

const LAYER_ORDER: readonly Layer[] = ["security-group", "nsg", "nsg-default", "network-acl", "route", "platform"];

/** Rules in the order a reader fixes them: groups and NSG rules first (the receiving side first), then ACL entries and routes. */
export function orderRules(rules: readonly RuleRef[]): RuleRef[] {
  const side = (r: RuleRef): number => (r.direction === "out" ? 1 : 0);
  return [...rules].sort((a, b) => LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer) || side(a) - side(b) || a.label.localeCompare(b.label));
}

/** Up to `max` rule labels, then a count of the rest. */
export function listRules(rules: readonly RuleRef[], max = 6): string {
  const ordered = orderRules(rules);
  const shown = ordered.slice(0, max).map((r) => r.label);
  return ordered.length > max ? `${shown.join("; ")}; and ${ordered.length - max} more` : shown.join("; ");
}

/** The rules that open the traffic, protocols opened by the same rules together: `tcp 5432 by rule A; rule B`. */
export function describeOpening(t: Traffic, max = 6): string {
  const groups = new Map<string, { ports: Record<string, Traffic[keyof Traffic]>; rules: RuleRef[] }>();
  for (const p of PROTOS) {
    if (t[p].length === 0) continue;
    const rules = grantRules(t[p]);
    const key = rules.map((r) => r.id).sort().join("|");
    const g = groups.get(key) ?? { ports: {}, rules };
    g.ports[p] = t[p];
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => `${formatPorts(portsOf({ ...emptyTraffic(), ...g.ports }))} by ${listRules(g.rules, max)}`)
    .join("; and ");
}

function emptyTraffic(): Traffic {
  return { tcp: [], udp: [], icmp: [], icmpv6: [], other: [] };
}

const WHAT: Readonly<Record<FindingKind, string>> = {
  extra: "can pass, but the zone model does not permit it",
  latent: "is let through by the firewall rules, which the zone model does not permit; only routing or addressing stops it today",
  routable: "is routable, though the zone model keeps these zones apart; no firewall rule lets traffic through yet",
  missing: "is required by the zone model but cannot pass",
};

/** One sentence: the pair, the traffic, what is wrong, and what opens it. */
export function describeFinding(f: PathFinding, c?: Comparison): string {
  const pair = `${f.from} -> ${f.to}`;
  const traffic = formatTraffic(f.traffic);
  const d = c === undefined ? undefined : declaredCell(c.declared, f.from, f.to);
  const permitted = d === undefined ? "" : ` (permitted: ${formatPorts(d.permitted)}${d.reasons.length > 0 ? `, from ${d.reasons.join(", ")}` : ""})`;
  const what = f.kind === "routable" ? `${pair}: traffic ${WHAT.routable}` : `${pair}: ${traffic} ${WHAT[f.kind]}${f.kind === "missing" ? "" : permitted}`;
  if (f.kind === "missing") return what;
  const rules = findingRules(f);
  return rules.length === 0 ? what : `${what}. Opened by: ${f.kind === "routable" ? listRules(rules) : describeOpening(f.traffic)}`;
}

const MARK: Readonly<Record<FindingKind, string>> = { extra: "!", latent: "~", routable: "^", missing: "?" };

/** The reach matrix as a text table; marks: `!` extra, `~` latent, `^` routable, `?` missing. */
export function matrixTable(c: Comparison): string {
  const zones = c.reach.zones;
  const marks = new Map<string, string>();
  for (const f of c.findings) {
    const key = `${f.from}>${f.to}`;
    const m = marks.get(key) ?? "";
    if (!m.includes(MARK[f.kind])) marks.set(key, m + MARK[f.kind]);
  }
  const text = (from: string, to: string): string => {
    const cell = c.reach.cells.find((x) => x.from === from && x.to === to);
    const ports = cell === undefined ? "-" : formatTraffic(cell.traffic);
    return `${ports}${marks.get(`${from}>${to}`) ?? ""}`;
  };
  const header = ["from \\ to", ...zones];
  const rows = zones.map((f) => [f, ...zones.map((t) => text(f, t))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((x, i) => x.padEnd(widths[i] ?? 0)).join(" | ").trimEnd();
  const legend = "marks: ! extra (can pass, not permitted)  ~ latent (rules open it, routing stops it)  ^ routable (not permitted)  ? missing (required, cannot pass)";
  return [line(header), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.map(line), "", legend].join("\n");
}

function nodeId(zone: string): string {
  return zone.replace(/[^A-Za-z0-9]/g, "_");
}

/**
 * A Mermaid flowchart: a node per zone, an arrow per allowed pair labelled with its ports.
 * Extra paths are red and say so; missing required ones are dashed.
 */
export function mermaidDiagram(c: Comparison): string {
  const lines = ["flowchart LR"];
  for (const z of c.reach.zones) lines.push(`  ${nodeId(z)}["${z}"]`);
  const styles: string[] = [];
  let edge = 0;
  const kinds = (from: string, to: string): Set<FindingKind> => new Set(c.findings.filter((f) => f.from === from && f.to === to).map((f) => f.kind));
  for (const cell of c.reach.cells) {
    const text = formatTraffic(cell.traffic);
    if (text === "-") continue;
    const k = kinds(cell.from, cell.to);
    const label = k.has("extra") ? `EXTRA ${text}` : text;
    lines.push(`  ${nodeId(cell.from)} -->|"${label}"| ${nodeId(cell.to)}`);
    if (k.has("extra")) styles.push(`  linkStyle ${edge} stroke:#d00,stroke-width:3px`);
    edge += 1;
  }
  for (const f of c.findings.filter((x) => x.kind === "missing")) {
    lines.push(`  ${nodeId(f.from)} -.->|"missing ${formatTraffic(f.traffic)}"| ${nodeId(f.to)}`);
    styles.push(`  linkStyle ${edge} stroke:#888,stroke-dasharray:4`);
    edge += 1;
  }
  return [...lines, ...styles].join("\n");
}

/** Plain data for `--json`. */
export function comparisonJson(c: Comparison): unknown {
  const cells = c.reach.cells
    .filter((x) => formatTraffic(x.traffic) !== "-")
    .map((x) => ({ from: x.from, to: x.to, allowed: formatTraffic(x.traffic), rules: orderRules(grantRules(PROTOS.flatMap((p) => x.traffic[p]))).map((r) => r.label) }));
  const findings = c.findings.map((f) => ({ kind: f.kind, from: f.from, to: f.to, traffic: formatTraffic(f.traffic), rules: orderRules(findingRules(f)).map((r) => r.label), message: describeFinding(f, c) }));
  return { cloud: c.reach.cloud, zones: c.reach.zones, cells, findings };
}
