/**
 * A reader over raw stack configuration that records a problem for every bad value
 * instead of throwing at the first, so one run names them all.
 */
import type { Problem } from "@pfv5/zones";

/**
 * Raw configuration as the engine hands it over: full keys (`pfv5:azCount`, `aws:region`)
 * to values. Values are often strings even for lists and numbers (`pulumi.runtime.allConfig()`
 * JSON-encodes them), so the reader decodes JSON where a typed value is expected.
 */
export type RawConfig = Readonly<Record<string, unknown>>;

function decode(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (t === "" || !/^[[{0-9tfn"-]/.test(t)) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

export class ConfigReader {
  readonly problems: Problem[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly raw: RawConfig) {}

  /** Whether the key is set at all. */
  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  private value(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }

  problem(key: string, value: unknown, message: string): void {
    this.problems.push({ key, value, message });
  }

  string(key: string, fallback?: string): string | undefined {
    const v = this.value(key);
    if (v === undefined) return fallback;
    if (typeof v !== "string" || v === "") {
      this.problem(key, v, "expected a non-empty string");
      return fallback;
    }
    return v;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (fallback === undefined) this.problem(key, v, `is required: set it to one of ${allowed.join(", ")}`);
      return fallback;
    }
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
      this.problem(key, v, `expected one of ${allowed.join(", ")}`);
      return fallback;
    }
    return v as T;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const v = decode(this.value(key));
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      this.problem(key, v, `expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = decode(this.value(key));
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") {
      this.problem(key, v, "expected true or false");
      return fallback;
    }
    return v;
  }

  /** A list, left for the caller to check item by item. */
  list(key: string, fallback: readonly unknown[] = []): readonly unknown[] {
    const v = decode(this.value(key));
    if (v === undefined) return fallback;
    if (!Array.isArray(v)) {
      this.problem(key, v, "expected a list, e.g. [\"a\", \"b\"]");
      return fallback;
    }
    return v as unknown[];
  }

  stringList(key: string, fallback: readonly string[] = []): string[] {
    const items = this.list(key, fallback);
    const out: string[] = [];
    items.forEach((item, i) => {
      if (typeof item !== "string" || item === "") this.problem(`${key}[${i}]`, item, "expected a non-empty string");
      else out.push(item);
    });
    return out;
  }

  /** An object, left for the caller to check field by field. */
  object(key: string): Record<string, unknown> | undefined {
    const v = decode(this.value(key));
    if (v === undefined) return undefined;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.problem(key, v, "expected an object of keys and values");
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  stringMap(key: string): Record<string, string> {
    const obj = this.object(key) ?? {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v !== "string") this.problem(`${key}.${k}`, v, "expected a string value");
      else out[k] = v;
    }
    return out;
  }

  /**
   * Keys in the `pfv5:` namespace that nothing read: almost always a typo, which would
   * otherwise be silently ignored.
   */
  unknownKeys(namespace: string, known: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (key.startsWith(`${namespace}:`) && !this.used.has(key) && !known.includes(key)) {
        this.problem(key, decode(this.raw[key]), `is not a setting of this project: check the spelling (settings: ${[...this.used].filter((k) => k.startsWith(`${namespace}:`)).sort().join(", ")})`);
      }
    }
  }
}
