/**
 * The stack settings files (`Pulumi.<stack>.yaml`) beside the project file: which stacks
 * exist, and the few values the driver needs before it starts the engine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** Environments whose `up` passes the gate; every other environment is protected. */
export const UNPROTECTED_ENVIRONMENTS: readonly string[] = ["dev"];

export interface StackFile {
  readonly stack: string;
  readonly file: string;
  /** The `config:` map as written (values not decoded). */
  readonly config: Readonly<Record<string, unknown>>;
  /** `secretsprovider:` when set (e.g. awskms://...). */
  readonly secretsProvider?: string;
  /** `pfv5:environment`, else the stack name's suffix, else `unknown`. */
  readonly environment: string;
  /** Whether the gate guards this stack: anything but a known dev environment. */
  readonly protected: boolean;
  /** `pfv5:cloud`, else read from the stack name's prefix (`cluster-` is kubernetes). */
  readonly cloud?: string;
}

/** The stacks with a settings file in `workDir`, sorted. */
export function listStacks(workDir: string): string[] {
  return fs
    .readdirSync(workDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Decodes a config value that `pulumi config set` may have stored as JSON text. */
export function decodeConfigValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (!t.startsWith("[") && !t.startsWith("{")) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

/** What the stack config needs from the project file: its name and config defaults. */
export interface ProjectFile {
  readonly name: string;
  /** `config:` defaults of Pulumi.yaml (`{default: ...}`, `{value: ...}` or a bare value), full keys. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A key as the engine names it: one without a namespace belongs to the project. */
function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Reads the project's name and config defaults from the text of its Pulumi.yaml (pure). */
export function interpretProjectFile(file: string, text: string): ProjectFile {
  const doc = (parse(text) ?? {}) as unknown;
  const name = isRecord(doc) ? doc["name"] : undefined;
  if (typeof name !== "string" || name === "") throw new Error(`${file}: "name" must be the project name`);
  const defaults: Record<string, unknown> = {};
  const config = isRecord(doc) ? doc["config"] : undefined;
  for (const [key, spec] of Object.entries(isRecord(config) ? config : {})) {
    if (!isRecord(spec)) {
      if (spec !== null) defaults[qualify(key, name)] = spec;
    } else if ("default" in spec) defaults[qualify(key, name)] = spec["default"];
    else if ("value" in spec) defaults[qualify(key, name)] = spec["value"];
  }
  return { name, defaults };
}

/** Reads `Pulumi.yaml` in `workDir`. */
export function readProjectFile(workDir: string): ProjectFile {
  const file = path.join(workDir, "Pulumi.yaml");
  return interpretProjectFile(file, fs.readFileSync(file, "utf8"));
}

/** What a `secure:` value stands for here: the driver checks a config's shape, never decrypts it. */
export const SECRET_PLACEHOLDER = "[secret]";

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "secure") return SECRET_PLACEHOLDER;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}

/**
 * The stack's config as the engine hands it to the program (`pulumi.runtime.allConfig()`):
 * full `namespace:key` names, the project's defaults under the stack's values, and every
 * value a string (lists, maps, numbers and booleans JSON-encoded). Secure values become
 * {@link SECRET_PLACEHOLDER}.
 */
export function engineConfig(config: Readonly<Record<string, unknown>>, project: ProjectFile): Record<string, string> {
  const values: Record<string, unknown> = { ...project.defaults };
  for (const [key, value] of Object.entries(config)) values[qualify(key, project.name)] = value;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const plain = withoutSecrets(value);
    out[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return out;
}

/** Reads the stack's environment, cloud and config from text (pure). */
export function interpretStackFile(stack: string, file: string, text: string): StackFile {
  const doc = (parse(text) ?? {}) as unknown;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new Error(`${file} is not a YAML map: a stack file holds "config:" and optional settings`);
  }
  const top = doc as Record<string, unknown>;
  const rawConfig = top["config"] ?? {};
  if (typeof rawConfig !== "object" || rawConfig === null || Array.isArray(rawConfig)) {
    throw new Error(`${file}: "config" must be a map of keys to values`);
  }
  const config = rawConfig as Record<string, unknown>;
  const env = config["pfv5:environment"];
  const suffix = /-(dev|prod)$/.exec(stack)?.[1];
  const environment = typeof env === "string" ? env : (suffix ?? "unknown");
  const cloudValue = config["pfv5:cloud"];
  const prefix = /^(aws|azure|cluster)-/.exec(stack)?.[1];
  const cloud = typeof cloudValue === "string" ? cloudValue : prefix === "cluster" ? "kubernetes" : prefix;
  const sp = top["secretsprovider"];
  return {
    stack,
    file,
    config,
    ...(typeof sp === "string" ? { secretsProvider: sp } : {}),
    environment,
    // A stack named -prod is protected even when its config says otherwise.
    protected: !UNPROTECTED_ENVIRONMENTS.includes(environment) || suffix === "prod",
    ...(cloud !== undefined ? { cloud } : {}),
  };
}

/** Reads `Pulumi.<stack>.yaml` from `workDir`; an unknown stack is an error naming the known ones. */
export function readStackFile(workDir: string, stack: string): StackFile {
  for (const ext of ["yaml", "yml"]) {
    const file = path.join(workDir, `Pulumi.${stack}.${ext}`);
    if (fs.existsSync(file)) return interpretStackFile(stack, file, fs.readFileSync(file, "utf8"));
  }
  const known = listStacks(workDir);
  throw new StackNotFoundError(
    `unknown stack "${stack}": there is no Pulumi.${stack}.yaml in ${workDir}; ` +
      (known.length > 0 ? `the stacks are ${known.join(", ")}` : "no stack files exist there yet"),
  );
}

export class StackNotFoundError extends Error {
  override name = "StackNotFoundError";
}
