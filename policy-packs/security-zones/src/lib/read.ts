/**
 * Reading properties without tripping over unknowns where the value itself does not matter.
 *
 * Through the SDK's proxy, reading an unknown value throws. That is what policies want for
 * values they decide on (a CIDR, a port): the error reaches the policy's guard, which
 * reports that the resource could not be checked. For some properties only their presence
 * matters ("is a security group referenced?", "are inline rules set?"), and an id that is
 * unknown in preview is still present; these helpers answer that without reading the value.
 */
import { isUnknownValueError } from "./sdk";

/** The value stored under `key`, bypassing the unknown-checking proxy (which traps only reads). */
function rawValue(obj: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

/**
 * Whether `obj` sets `key` to something: any value but `undefined` and `null`, an unknown
 * value included. An empty array counts as set when `emptyArrayCounts` is true (inline rule
 * lists, where even `[]` takes ownership of the group's rules).
 */
export function isSet(obj: object | undefined, key: string, emptyArrayCounts = false): boolean {
  if (obj === undefined || obj === null || !(key in obj)) return false;
  const v = rawValue(obj, key);
  if (v === undefined || v === null) return false;
  if (Array.isArray(v) && v.length === 0) return emptyArrayCounts;
  return true;
}

/** A string tag value, or `undefined` when the tag is absent. Throws through the proxy when unknown. */
export function tag(tags: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (tags === undefined || tags === null || !(key in tags)) return undefined;
  return tags[key];
}

/**
 * The string under `key` for a message, or the property name when the value is not a known
 * string (an id that only exists after deployment).
 */
export function textOr(obj: object, key: string): string {
  try {
    const v: unknown = Reflect.get(obj, key);
    return typeof v === "string" ? v : key;
  } catch (e) {
    if (isUnknownValueError(e)) return key;
    throw e;
  }
}
