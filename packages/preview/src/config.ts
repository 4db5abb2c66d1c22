/**
 * Project and stack configuration, read as the Pulumi CLI reads it: `Pulumi.yaml` for the
 * project, `Pulumi.<stack>.yaml` for the stack's `config:` map, and `--config key=value`
 * overrides on top. The result is handed to the program the way the engine hands it over:
 * `PULUMI_CONFIG` holds `namespace:key` names to string values (lists, objects, numbers and
 * booleans JSON-encoded) and `PULUMI_CONFIG_SECRET_KEYS` lists the secret keys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** Thrown for a bad project, stack file or override; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? "") : problems.map((p) => `- ${p}`).join("\n"));
    this.name = "ConfigError";
  }
}

export interface ProjectInfo {
  readonly dir: string;
  readonly name: string;
  readonly description?: string;
  /** The program's entry point, absolute. */
  readonly main: string;
  /** Node arguments from `runtime.options.nodeargs`, split on spaces. */
  readonly nodeArgs: readonly string[];
  /** Project-level config defaults (`config: {key: {default: ...}}`), full keys. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

/** The value a secure config entry takes offline: the ciphertext cannot be decrypted here. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Stack names the CLI accepts. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const KEY_PART = /^[A-Za-z0-9_.-]+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readYaml(file: string): unknown {
  const text = fs.readFileSync(file, "utf8");
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    throw new ConfigError([`${file} is not valid YAML: ${(e as Error).message}`]);
  }
}

/** Walks up from `start` to the nearest directory with a Pulumi.yaml. */
export function findProjectDir(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Qualifies a key as the CLI does: a key without a namespace belongs to the project. */
export function qualifyKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function checkKey(key: string): string | undefined {
  const parts = key.split(":");
  if (parts.length > 2 || parts.some((p) => !KEY_PART.test(p))) {
    return `config key "${key}" is not valid: use namespace:name, e.g. pfv5:azCount or aws:region`;
  }
  return undefined;
}

export function readProject(dir: string): ProjectInfo {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) {
    throw new ConfigError([`no Pulumi.yaml in ${dir}: run from the project root or pass --project-dir`]);
  }
  const doc = readYaml(file);
  const problems: string[] = [];
  if (!isRecord(doc)) throw new ConfigError([`${file} must be a mapping with name, runtime and main`]);
  const name = doc["name"];
  if (typeof name !== "string" || name === "") problems.push(`${file}: "name" must be the project name`);
  const runtime = doc["runtime"];
  const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
  if (runtimeName !== "nodejs") {
    problems.push(`${file}: runtime ${JSON.stringify(runtimeName)} is not supported: the offline preview runs nodejs programs`);
  }
  const options = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
  const nodeargs = options["nodeargs"];
  const main = doc["main"] ?? ".";
  if (typeof main !== "string") problems.push(`${file}: "main" must be a path`);
  const defaults: Record<string, unknown> = {};
  const config = doc["config"];
  if (isRecord(config) && typeof name === "string") {
    for (const [key, spec] of Object.entries(config)) {
      const full = qualifyKey(key, name);
      if (isRecord(spec)) {
        if ("default" in spec) defaults[full] = spec["default"];
        else if ("value" in spec) defaults[full] = spec["value"];
      } else if (spec !== null) {
        defaults[full] = spec;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dir,
    name: name as string,
    ...(typeof doc["description"] === "string" ? { description: doc["description"] } : {}),
    main: path.resolve(dir, main as string),
    nodeArgs: typeof nodeargs === "string" ? nodeargs.split(/\s+/).filter((a) => a !== "") : [],
    defaults,
  };
}

/** Stack config: full keys to values, and which keys are secret. */
export interface StackConfig {
  readonly values: Readonly<Record<string, unknown>>;
  readonly secretKeys: readonly string[];
}

/** Replaces `{secure: ...}` leaves with the placeholder; reports whether there was one. */
function unsecure(value: unknown): { value: unknown; secret: boolean } {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") return { value: SECRET_PLACEHOLDER, secret: true };
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = unsecure(v);
      secret ||= r.secret;
      out[k] = r.value;
    }
    return { value: out, secret };
  }
  if (Array.isArray(value)) {
    let secret = false;
    const out = value.map((v) => {
      const r = unsecure(v);
      secret ||= r.secret;
      return r.value;
    });
    return { value: out, secret };
  }
  return { value, secret: false };
}

/** Lists the stacks that have a `Pulumi.<stack>.yaml` in the project directory. */
export function listStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function readStackConfig(project: ProjectInfo, stack: string): StackConfig {
  if (!STACK_NAME.test(stack)) {
    throw new ConfigError([`stack name "${stack}" is not valid: use letters, digits, "-", "_" or "."`]);
  }
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = listStacks(project.dir);
    throw new ConfigError([
      `no stack file Pulumi.${stack}.yaml in ${project.dir}: ` +
        (known.length > 0 ? `known stacks are ${known.join(", ")}` : "create it with a config: map"),
    ]);
  }
  const doc = readYaml(file) ?? {};
  if (!isRecord(doc)) throw new ConfigError([`${file} must be a mapping with a config: map`]);
  const config = doc["config"] ?? {};
  if (!isRecord(config)) throw new ConfigError([`${file}: "config" must be a mapping of keys to values`]);
  const values: Record<string, unknown> = { ...project.defaults };
  const secretKeys: string[] = [];
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(config)) {
    const full = qualifyKey(key, project.name);
    const bad = checkKey(full);
    if (bad !== undefined) problems.push(`${file}: ${bad}`);
    const { value, secret } = unsecure(raw);
    values[full] = value;
    if (secret) secretKeys.push(full);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { values, secretKeys };
}

/** One `--config key=value` override: the value is JSON when it parses, else the string. */
export function parseOverride(arg: string): { key: string; value: unknown } {
  const eq = arg.indexOf("=");
  if (eq <= 0) {
    throw new ConfigError([`--config "${arg}" is not key=value: write e.g. --config aws:region=eu-west-1`]);
  }
  const text = arg.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the value is the text itself, as `pulumi config set` stores it.
  }
  return { key: arg.slice(0, eq).trim(), value };
}

export interface Override {
  /** As the user wrote it; a key without a namespace belongs to the project. */
  readonly key: string;
  readonly value: unknown;
  readonly secret?: boolean;
}

/** Applies overrides (in order, later wins); secret overrides join the secret keys. */
export function applyOverrides(project: ProjectInfo, base: StackConfig, overrides: readonly Override[]): StackConfig {
  const values: Record<string, unknown> = { ...base.values };
  const secretKeys = new Set(base.secretKeys);
  const problems: string[] = [];
  for (const o of overrides) {
    const key = qualifyKey(o.key, project.name);
    const bad = checkKey(key);
    if (bad !== undefined) {
      problems.push(`override ${bad}`);
      continue;
    }
    values[key] = o.value;
    if (o.secret === true) secretKeys.add(key);
    else secretKeys.delete(key);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { values, secretKeys: [...secretKeys].sort() };
}

/** The string form the engine gives a config value. */
export function engineString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The environment the engine sets for a nodejs program (or policy pack) in preview. */
export function engineEnv(project: ProjectInfo, stack: string, config: StackConfig): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.values)) {
    if (v !== undefined) map[k] = engineString(v);
  }
  return {
    PULUMI_CONFIG: JSON.stringify(map),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys),
    PULUMI_NODEJS_PROJECT: project.name,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_NODEJS_ORGANIZATION: "organization",
    PULUMI_NODEJS_ROOT_DIRECTORY: project.dir,
    PULUMI_NODEJS_DRY_RUN: "true",
  };
}

/** The process environment without any engine settings inherited from a caller. */
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k.startsWith("PULUMI_NODEJS_") || k === "PULUMI_CONFIG" || k === "PULUMI_CONFIG_SECRET_KEYS") continue;
    out[k] = v;
  }
  return out;
}
