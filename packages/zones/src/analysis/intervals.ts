/**
 * Sets as sorted, disjoint, non-adjacent inclusive intervals: ports as numbers, addresses
 * as bigints. Every analyzer works on whole sets, so a zone matrix costs a pass over the
 * rules per zone pair, never one evaluation per port or per address.
 */

/** An inclusive range of ports (0-65535). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** An inclusive range of addresses of one family, as unsigned integers. */
export interface BigSpan {
  readonly from: bigint;
  readonly to: bigint;
}

export const MAX_PORT = 65535;
/** Every port, 0 to 65535 (AWS and Azure both write "all ports" this way). */
export const ALL_PORT_SPANS: readonly Span[] = [{ from: 0, to: MAX_PORT }];

/** Sorts and merges overlapping or adjacent port ranges; drops empty ones. */
export function normalizeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.from <= s.to).slice();
  sorted.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.from <= last.to + 1) {
      if (s.to > last.to) out[out.length - 1] = { from: last.from, to: s.to };
    } else {
      out.push({ from: s.from, to: s.to });
    }
  }
  return out;
}

export function unionSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  return normalizeSpans([...a, ...b]);
}

/** The intersection of two normalized sets. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const p = a[i] as Span;
    const q = b[j] as Span;
    const from = Math.max(p.from, q.from);
    const to = Math.min(p.to, q.to);
    if (from <= to) out.push({ from, to });
    if (p.to < q.to) i += 1;
    else j += 1;
  }
  return out;
}

/** `a` without `b`, both normalized. */
export function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const p of a) {
    let from = p.from;
    while (j < b.length && (b[j] as Span).to < from) j += 1;
    let k = j;
    while (k < b.length && (b[k] as Span).from <= p.to) {
      const q = b[k] as Span;
      if (q.from > from) out.push({ from, to: q.from - 1 });
      from = Math.max(from, q.to + 1);
      k += 1;
    }
    if (from <= p.to) out.push({ from, to: p.to });
  }
  return out;
}

export function spansContain(set: readonly Span[], value: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = set[mid] as Span;
    if (value < s.from) hi = mid - 1;
    else if (value > s.to) lo = mid + 1;
    else return true;
  }
  return false;
}

export function spansEqual(a: readonly Span[], b: readonly Span[]): boolean {
  return a.length === b.length && a.every((s, i) => s.from === b[i]?.from && s.to === b[i]?.to);
}

/** `22`, `8000-9000`, `all`, `none`: for messages and printed matrices. */
export function formatSpans(set: readonly Span[]): string {
  if (set.length === 0) return "none";
  if (spansEqual(set, ALL_PORT_SPANS)) return "all";
  return set.map((s) => (s.from === s.to ? String(s.from) : `${s.from}-${s.to}`)).join(",");
}

/** Sorts and merges overlapping or adjacent address ranges. */
export function normalizeBig(spans: readonly BigSpan[]): BigSpan[] {
  const sorted = spans.filter((s) => s.from <= s.to).slice();
  sorted.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const out: BigSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.from <= last.to + 1n) {
      if (s.to > last.to) out[out.length - 1] = { from: last.from, to: s.to };
    } else {
      out.push({ from: s.from, to: s.to });
    }
  }
  return out;
}

export function unionBig(a: readonly BigSpan[], b: readonly BigSpan[]): BigSpan[] {
  return normalizeBig([...a, ...b]);
}

export function intersectBig(a: readonly BigSpan[], b: readonly BigSpan[]): BigSpan[] {
  const out: BigSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const p = a[i] as BigSpan;
    const q = b[j] as BigSpan;
    const from = p.from > q.from ? p.from : q.from;
    const to = p.to < q.to ? p.to : q.to;
    if (from <= to) out.push({ from, to });
    if (p.to < q.to) i += 1;
    else j += 1;
  }
  return out;
}

export function subtractBig(a: readonly BigSpan[], b: readonly BigSpan[]): BigSpan[] {
  const out: BigSpan[] = [];
  let j = 0;
  for (const p of a) {
    let from = p.from;
    while (j < b.length && (b[j] as BigSpan).to < from) j += 1;
    let k = j;
    while (k < b.length && (b[k] as BigSpan).from <= p.to) {
      const q = b[k] as BigSpan;
      if (q.from > from) out.push({ from, to: q.from - 1n });
      if (q.to + 1n > from) from = q.to + 1n;
      k += 1;
    }
    if (from <= p.to) out.push({ from, to: p.to });
  }
  return out;
}

/** Whether a normalized set shares an address with the range `r` (binary search). */
export function overlapsBig(set: readonly BigSpan[], r: BigSpan): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = set[mid] as BigSpan;
    if (s.to < r.from) lo = mid + 1;
    else if (s.from > r.to) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Whether a normalized set holds every address of the range `r`. */
export function coversBig(set: readonly BigSpan[], r: BigSpan): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = set[mid] as BigSpan;
    if (s.to < r.from) lo = mid + 1;
    else if (s.from > r.from) hi = mid - 1;
    else return s.to >= r.to;
  }
  return false;
}

/**
 * Cuts the normalized set `q` into pieces such that each cutting range either holds a
 * piece whole or misses it: the elementary regions a first-match evaluation needs.
 */
export function cutBig(q: readonly BigSpan[], cuts: readonly BigSpan[]): BigSpan[] {
  if (q.length === 0) return [];
  const marks: bigint[] = [];
  for (const c of cuts) {
    marks.push(c.from, c.to + 1n);
  }
  marks.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: BigSpan[] = [];
  let m = 0;
  for (const r of q) {
    let from = r.from;
    while (m < marks.length && (marks[m] as bigint) <= from) m += 1;
    let k = m;
    while (k < marks.length && (marks[k] as bigint) <= r.to) {
      const mark = marks[k] as bigint;
      if (mark > from) {
        out.push({ from, to: mark - 1n });
        from = mark;
      }
      k += 1;
    }
    out.push({ from, to: r.to });
  }
  return out;
}

/**
 * The pieces of `q` cut at the edges of `cuts`, grouped by the elementary interval of the
 * cuts each lies in: every cut holds all pieces of a group or none, so one piece (`probe`)
 * decides for the group. A set of a thousand subnet blocks cut by a dozen ACL entries
 * makes a handful of groups, not a thousand pieces.
 */
export function partitionBig(q: readonly BigSpan[], cuts: readonly BigSpan[]): { probe: BigSpan; ranges: BigSpan[] }[] {
  const pieces = cutBig(q, cuts);
  if (pieces.length === 0) return [];
  const marks = [...new Set(cuts.flatMap((c) => [c.from, c.to + 1n]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const groups = new Map<number, { probe: BigSpan; ranges: BigSpan[] }>();
  for (const p of pieces) {
    // The number of marks at or before the piece's start names its elementary interval.
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((marks[mid] as bigint) <= p.from) lo = mid + 1;
      else hi = mid;
    }
    const g = groups.get(lo);
    if (g === undefined) groups.set(lo, { probe: p, ranges: [p] });
    else g.ranges.push(p);
  }
  return [...groups.values()];
}
