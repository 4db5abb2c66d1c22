/**
 * Istio's value matching: exact, prefix (`abc*`), suffix (`*abc`) and presence (`*`, any
 * non-empty value). See https://istio.io/latest/docs/concepts/security/#value-matching.
 */
import { addressInCidr, isValidCidr } from "../cidr";

/** Whether one pattern matches one value; a missing value matches no pattern. */
export function matchValue(pattern: string, value: string | undefined, caseInsensitive = false): boolean {
  if (value === undefined || value === "") return false;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (p === "*") return true;
  if (p.endsWith("*")) return v.startsWith(p.slice(0, -1));
  if (p.startsWith("*")) return v.endsWith(p.slice(1));
  return v === p;
}

function toCidr(block: string): string {
  return block.includes("/") ? block : `${block}/${block.includes(":") ? 128 : 32}`;
}

/** Whether `block` is an IP address or a CIDR block (host bits clear). */
export function isIpOrCidr(block: string): boolean {
  return isValidCidr(toCidr(block));
}

/** Whether an IP lies in a block given as `a.b.c.d/n` or as a single address. */
export function matchIp(block: string, ip: string | undefined): boolean {
  if (ip === undefined || !isIpOrCidr(block) || !isIpOrCidr(ip)) return false;
  return addressInCidr(ip, toCidr(block));
}

export type ValueMatcher = (pattern: string, value: string) => boolean;

/**
 * A positive field (`paths`) matches when some pattern matches some value; a negative one
 * (`notPaths`) when no pattern matches any value, so a missing value passes a negative field.
 * An absent or empty list does not constrain.
 */
export function fieldMatches(
  positive: readonly string[] | undefined,
  negative: readonly string[] | undefined,
  values: readonly string[],
  match: ValueMatcher,
): boolean {
  if (positive !== undefined && positive.length > 0) {
    if (!positive.some((p) => values.some((v) => match(p, v)))) return false;
  }
  if (negative !== undefined && negative.length > 0) {
    if (negative.some((p) => values.some((v) => match(p, v)))) return false;
  }
  return true;
}

export const stringMatcher: ValueMatcher = (p, v) => matchValue(p, v);
export const hostMatcher: ValueMatcher = (p, v) => matchValue(p, v, true);
export const ipMatcher: ValueMatcher = (p, v) => matchIp(p, v);
export const exactMatcher: ValueMatcher = (p, v) => p === v;
