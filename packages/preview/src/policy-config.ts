/**
 * Policy pack configuration, reconciled as the CLI reconciles it before `Configure`: each
 * policy starts from its own enforcement level and the defaults in its config schema, then
 * the pack's initial config applies, then the config file (`--policy-pack-config`, the
 * CLI's format: `{"all": "mandatory", "<policy>": "advisory" | {"enforcementLevel": ..., <props>}}`).
 * The result is validated against each policy's schema; every problem is listed at once.
 *
 * Where the file comes from: `--policy-pack-config <file>` once per `--policy-pack` (in the
 * same order, as the CLI requires), or else `Pulumi.<stack>.policy.json` beside the stack
 * file when it exists, applied to every pack (each takes the entries naming its policies).
 */
import * as fs from "node:fs";
import type { AnalyzerInfo, PolicyConfigEntry } from "./analyzer";
import { ConfigError } from "./config";
import type { EnforcementLevel, Json, PropertyMap } from "./types";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The per-stack policy config file the preview reads when none is passed. */
export function defaultPolicyConfigFile(stack: string): string {
  return `Pulumi.${stack}.policy.json`;
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads and parses a policy config file in the CLI's format. */
export function readPolicyConfigFile(file: string): Record<string, PolicyConfigEntry> {
  let doc: unknown;
  try {
    const text = fs.readFileSync(file, "utf8");
    doc = text.trim() === "" ? {} : (JSON.parse(text) as unknown);
  } catch (e) {
    throw new ConfigError([`policy config ${file} cannot be read: ${(e as Error).message}`]);
  }
  if (!isObject(doc)) throw new ConfigError([`policy config ${file} must be a JSON object of policy names`]);
  const out: Record<string, PolicyConfigEntry> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(doc)) {
    if (typeof value === "string") {
      if (isLevel(value)) out[name] = { level: value };
      else problems.push(`${file}: "${name}" = "${value}" is not an enforcement level: use ${LEVELS.join(", ")}`);
    } else if (isObject(value)) {
      const { enforcementLevel, ...properties } = value;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        problems.push(`${file}: "${name}".enforcementLevel = ${JSON.stringify(enforcementLevel)} is not valid: use ${LEVELS.join(", ")}`);
        continue;
      }
      out[name] = { ...(enforcementLevel !== undefined ? { level: enforcementLevel } : {}), properties };
    } else {
      problems.push(`${file}: "${name}" = ${JSON.stringify(value)}: expected an enforcement level or an object`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

function typeOf(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A JSON Schema subset: type, enum, const, bounds, pattern, items, properties, required. */
export function validateValue(schema: Json, value: Json, at: string): string[] {
  if (!isObject(schema)) return [];
  const problems: string[] = [];
  const t = typeOf(value);
  const types = schema["type"];
  const wanted = typeof types === "string" ? [types] : Array.isArray(types) ? types.map(String) : [];
  if (wanted.length > 0 && !wanted.includes(t) && !(t === "integer" && wanted.includes("number"))) {
    return [`${at} = ${JSON.stringify(value)}: expected ${wanted.join(" or ")}`];
  }
  const e = schema["enum"];
  if (Array.isArray(e) && !e.some((x) => JSON.stringify(x) === JSON.stringify(value))) {
    problems.push(`${at} = ${JSON.stringify(value)}: expected one of ${e.map((x) => JSON.stringify(x)).join(", ")}`);
  }
  if ("const" in schema && JSON.stringify(schema["const"]) !== JSON.stringify(value)) {
    problems.push(`${at} = ${JSON.stringify(value)}: expected ${JSON.stringify(schema["const"])}`);
  }
  if (typeof value === "number") {
    const min = schema["minimum"];
    const max = schema["maximum"];
    if (typeof min === "number" && value < min) problems.push(`${at} = ${value}: expected at least ${min}`);
    if (typeof max === "number" && value > max) problems.push(`${at} = ${value}: expected at most ${max}`);
  }
  if (typeof value === "string") {
    const pattern = schema["pattern"];
    if (typeof pattern === "string" && !new RegExp(pattern, "u").test(value)) {
      problems.push(`${at} = "${value}": expected to match ${pattern}`);
    }
    const minLength = schema["minLength"];
    if (typeof minLength === "number" && value.length < minLength) problems.push(`${at} = "${value}": expected at least ${minLength} characters`);
  }
  if (Array.isArray(value)) {
    const items = schema["items"];
    value.forEach((item, i) => problems.push(...validateValue(items ?? {}, item, `${at}[${i}]`)));
    const minItems = schema["minItems"];
    if (typeof minItems === "number" && value.length < minItems) problems.push(`${at}: expected at least ${minItems} items`);
  }
  if (isObject(value)) {
    const props = schema["properties"];
    if (isObject(props)) {
      for (const [k, v] of Object.entries(value)) {
        if (k in props) problems.push(...validateValue(props[k] ?? {}, v, `${at}.${k}`));
      }
    }
    const required = schema["required"];
    if (Array.isArray(required)) {
      for (const r of required) if (typeof r === "string" && !(r in value)) problems.push(`${at}.${r} is required`);
    }
  }
  return problems;
}

export interface ReconciledConfig {
  readonly config: Record<string, { level: EnforcementLevel; properties: PropertyMap }>;
  readonly problems: readonly string[];
}

function apply(
  result: Record<string, { level: EnforcementLevel; properties: PropertyMap }>,
  given: Readonly<Record<string, PolicyConfigEntry>>,
): void {
  const all = given["all"]?.level;
  if (all !== undefined) for (const c of Object.values(result)) c.level = all;
  for (const [name, c] of Object.entries(given)) {
    const target = result[name];
    if (name === "all" || target === undefined) continue;
    if (c.level !== undefined) target.level = c.level;
    Object.assign(target.properties, c.properties ?? {});
  }
}

/** Reconciles one pack's config; `source` names the file in messages. */
export function reconcilePolicyConfig(
  info: AnalyzerInfo,
  given: Readonly<Record<string, PolicyConfigEntry>> | undefined,
  source: string,
): ReconciledConfig {
  const result: Record<string, { level: EnforcementLevel; properties: PropertyMap }> = {};
  for (const p of info.policies) {
    const properties: PropertyMap = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (isObject(s) && s["default"] !== undefined) properties[k] = s["default"];
    }
    result[p.name] = { level: p.level, properties };
  }
  apply(result, info.initialConfig);
  if (given !== undefined) apply(result, given);
  const problems: string[] = [];
  for (const p of info.policies) {
    if (p.configSchema === undefined) continue;
    const schema: Json = { type: "object", properties: p.configSchema.properties, required: [...p.configSchema.required] };
    for (const problem of validateValue(schema, result[p.name]?.properties ?? {}, p.name)) {
      problems.push(`policy config for pack ${info.name} (${source}): ${problem}`);
    }
  }
  return { config: result, problems };
}
