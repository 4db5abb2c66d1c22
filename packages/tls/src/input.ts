/**
 * Reading arguments that arrive untyped. Stacks hand config objects straight to the
 * checks, and plain JavaScript callers bypass the types, so every check takes what it is
 * given and turns a wrong shape into a problem instead of throwing on it.
 */
import type { Problem } from "@pfv5/zones";

/** An object of settings as received: any keys, any values. */
export type Bag = Readonly<Record<string, unknown>>;

/** Whether `value` is a plain object of settings (not null, not a list). */
export function isBag(value: unknown): value is Bag {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` is resolved later by the engine (an Output or a Promise). Its content
 * cannot be checked before deployment, only that something is there.
 */
export function isDeferred(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { readonly then?: unknown; readonly __pulumiOutput?: unknown };
  return typeof v.then === "function" || v.__pulumiOutput === true;
}

/**
 * `prefix.key`, or `key` at the top level; a key that is not a plain name (empty, or with
 * spaces or dots) is quoted in brackets, `prefix["a b"]`, so it stays readable and whole.
 */
export function keyOf(prefix: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${prefix}[${JSON.stringify(key)}]`;
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** A problem for a required setting that is absent. */
export function missing(key: string, what: string): Problem {
  return { key, value: undefined, message: `is required: give ${what}` };
}

/**
 * The settings object at `key`: undefined when absent, or, with a problem, when it is
 * something other than an object.
 */
export function bagAt(key: string, value: unknown, example: string, problems: Problem[]): Bag | undefined {
  if (value === undefined) return undefined;
  if (isBag(value)) return value;
  problems.push({ key, value, message: `expected an object of settings, e.g. ${example}` });
  return undefined;
}

/** The list at `key`: undefined when absent, or, with a problem, when it is not a list. */
export function listAt(key: string, value: unknown, example: string, problems: Problem[]): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value as readonly unknown[];
  problems.push({ key, value, message: `expected a list, e.g. ${example}` });
  return undefined;
}

/** Problems with an optional true/false setting. */
export function checkBoolean(key: string, value: unknown): Problem[] {
  if (value === undefined || typeof value === "boolean") return [];
  return [{ key, value, message: "expected true or false" }];
}

/** Edit distance counting a swap of neighbours as one edit (so "domian" is one from "domain"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.MAX_SAFE_INTEGER;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known key a misspelt `key` most likely meant, if one is close enough. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d <= Math.max(1, Math.min(3, Math.floor(k.length / 3))) && (best === undefined || d < best.d)) best = { key: k, d };
  }
  return best?.key;
}

export interface UnknownKeyOptions {
  /** Keys accepted without comment because another check reads them. */
  readonly alsoAccepted?: readonly string[];
  /** How to list the known settings in the message. @default the known keys, comma-separated */
  readonly listing?: string;
}

/**
 * One problem per key of `bag` that is not in `known`: nothing reads such a key, so it
 * is almost always a typo that would otherwise be dropped without a word.
 */
export function unknownKeys(prefix: string, bag: Bag, known: readonly string[], problems: Problem[], options: UnknownKeyOptions = {}): void {
  const accepted = [...known, ...(options.alsoAccepted ?? [])];
  const listing = options.listing ?? `the settings here are ${known.join(", ")}`;
  for (const k of Object.keys(bag)) {
    if (accepted.includes(k)) continue;
    const guess = closestKey(k, accepted);
    problems.push({
      key: keyOf(prefix, k),
      value: bag[k],
      message: guess !== undefined
        ? `is not a known setting and would be ignored: did you mean "${guess}"? (${listing})`
        : `is not a known setting and would be ignored: remove it or rename it (${listing})`,
    });
  }
}
