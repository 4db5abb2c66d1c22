/**
 * The zone matrix: for each ordered pair of zones, the traffic one may open to the other,
 * with the rules that allow it; and the single question "can this reach that?".
 */
import { grantPorts, grantRules, PROTOS, type Proto, type RuleRef, type Traffic } from "./grants";
import { formatSpans, spansContain, type Span } from "./intervals";
import type { Layers } from "./zones";

export type Cloud = "aws" | "azure";

export interface MatrixCell {
  readonly from: string;
  readonly to: string;
  readonly traffic: Traffic;
}

export interface ZoneMatrix {
  readonly cloud: Cloud;
  /** Rows and columns, in order. */
  readonly zones: readonly string[];
  /** Every ordered pair, row by row (empty traffic included). */
  readonly cells: readonly MatrixCell[];
}

/** A question for {@link ZoneAnalyzer.query}: a zone name or an address at each end. */
export interface Query {
  readonly from: string;
  readonly to: string;
  readonly protocol: Proto;
  /** Required for tcp and udp. */
  readonly port?: number;
}

export interface QueryAnswer {
  readonly allowed: boolean;
  /** When allowed: the rules of every layer that let the packet through. */
  readonly allowedBy: readonly RuleRef[];
  /** When denied: which layer stops it, and the rule that decides where one does. */
  readonly deniedBy: readonly string[];
}

export interface ZoneAnalyzer {
  readonly cloud: Cloud;
  readonly zones: readonly string[];
  /** The traffic `from` may open to `to`. */
  evaluate(from: string, to: string, layers?: Layers): Traffic;
  matrix(layers?: Layers): ZoneMatrix;
  query(q: Query): QueryAnswer;
}

/** Builds a matrix by evaluating every ordered pair. */
export function buildMatrix(cloud: Cloud, zones: readonly string[], evaluate: (from: string, to: string) => Traffic): ZoneMatrix {
  const cells: MatrixCell[] = [];
  for (const from of zones) for (const to of zones) cells.push({ from, to, traffic: evaluate(from, to) });
  return { cloud, zones, cells };
}

export function cellOf(m: ZoneMatrix, from: string, to: string): MatrixCell | undefined {
  return m.cells.find((c) => c.from === from && c.to === to);
}

/** Ports per protocol, without reasons. */
export type PortsByProto = Readonly<Record<Proto, readonly Span[]>>;

export function portsOf(t: Traffic): PortsByProto {
  return { tcp: grantPorts(t.tcp), udp: grantPorts(t.udp), icmp: grantPorts(t.icmp), icmpv6: grantPorts(t.icmpv6), other: grantPorts(t.other) };
}

/** `tcp 22,3000; udp 51820`, `all`, or `-` for nothing. */
export function formatPorts(ports: PortsByProto): string {
  const full = PROTOS.every((p) => formatSpans(ports[p]) === "all");
  if (full) return "all";
  const parts = PROTOS.filter((p) => ports[p].length > 0).map((p) => {
    const text = formatSpans(ports[p]);
    return p === "tcp" || p === "udp" ? `${p} ${text}` : p;
  });
  return parts.length === 0 ? "-" : parts.join("; ");
}

/** Whether the traffic allows protocol `p` on `port` (any port for protocols without ports). */
export function allows(t: Traffic, p: Proto, port?: number): boolean {
  const spans = grantPorts(t[p]);
  return port === undefined ? spans.length > 0 : spansContain(spans, port);
}

/** The rules that allow protocol `p` on `port`. */
export function rulesFor(t: Traffic, p: Proto, port?: number): RuleRef[] {
  const grants = t[p].filter((g) => port === undefined || (g.from <= port && port <= g.to));
  return grantRules(grants);
}
