/**
 * Sets of ports as sorted, disjoint, non-adjacent inclusive ranges. The evaluator works on
 * whole sets so that a zone matrix needs one evaluation per pair, not one per port.
 */
import type { PortRange } from "../model";

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
/** Every port a NetworkPolicy can name. */
export const EVERY_PORT: readonly PortRange[] = [{ from: MIN_PORT, to: MAX_PORT }];

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizePorts(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter((r) => r.from <= r.to).map((r) => ({ from: r.from, to: r.to }));
  sorted.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.from <= last.to + 1) {
      out[out.length - 1] = { from: last.from, to: Math.max(last.to, r.to) };
    } else {
      out.push(r);
    }
  }
  return out;
}

export function unionPorts(...sets: readonly (readonly PortRange[])[]): PortRange[] {
  return normalizePorts(sets.flat());
}

export function intersectPorts(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const x = normalizePorts(a);
  const y = normalizePorts(b);
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const p = x[i] as PortRange;
    const q = y[j] as PortRange;
    const from = Math.max(p.from, q.from);
    const to = Math.min(p.to, q.to);
    if (from <= to) out.push({ from, to });
    if (p.to < q.to) i += 1;
    else j += 1;
  }
  return out;
}

export function portsContain(set: readonly PortRange[], port: number): boolean {
  return set.some((r) => r.from <= port && port <= r.to);
}

export function isEveryPort(set: readonly PortRange[]): boolean {
  const n = normalizePorts(set);
  return n.length === 1 && n[0]?.from === MIN_PORT && n[0]?.to === MAX_PORT;
}

/** `80`, `8000-9000`, `every port`, `none`: for messages and printed matrices. */
export function formatPorts(set: readonly PortRange[]): string {
  const n = normalizePorts(set);
  if (n.length === 0) return "none";
  if (isEveryPort(n)) return "every port";
  return n.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(", ");
}
