/**
 * `runOfflinePreview`: one stack, previewed as `pulumi preview --policy-pack <dir>` would
 * preview it for the first time, with no engine and no cloud. The program runs in its own
 * process under the preview monitor; each policy pack runs in its own process, started the
 * way the CLI starts it (both start at once, to save time); then every custom resource goes
 * to `Analyze`, all resources to `AnalyzeStack`, and the packs are stopped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  applyOverrides,
  ConfigError,
  engineEnv,
  cleanEnv,
  findProjectDir,
  readProject,
  readStackConfig,
  type ProjectInfo,
  type StackConfig,
} from "./config";
import { defaultPolicyConfigFile, readPolicyConfigFile } from "./policy-config";
import { checkPackDir, PolicyPackError } from "./policy-pack";
import { runProgram } from "./program";
import { DEFAULT_REPORTERS, runReporters, type Reporter } from "./reporters";
import { PackSession, type PackSetup, type RunSettings } from "./session";
import type { PolicyPackSummary, PreviewFailure, PreviewResult, PropertyMap, RecordedResource, Report, Violation } from "./types";

/** The pack the preview loads when none is named, relative to the project root. */
export const DEFAULT_POLICY_PACK = path.join("policy-packs", "security-zones");

/**
 * The packs a preview loads when none is named: every pack of the project. A pack whose
 * policies name no resource of the stack (the Kubernetes rules on an AWS stack) costs a
 * process start and reports nothing.
 */
export const DEFAULT_POLICY_PACKS: readonly string[] = [DEFAULT_POLICY_PACK, path.join("policy-packs", "kubernetes-zones")];

export interface OfflinePreviewOptions {
  readonly stack: string;
  /** The project root (the directory with Pulumi.yaml). Default: the nearest one up from the cwd. */
  readonly projectDir?: string;
  /** Config overrides for this run, `key` or `namespace:key` to value, applied in order. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Like `config`, but the values are secret. */
  readonly secrets?: Readonly<Record<string, unknown>>;
  /** Policy pack directories, relative to the project root. Default: {@link DEFAULT_POLICY_PACKS}; `[]` runs none. */
  readonly policyPacks?: readonly string[];
  /** One policy config file per pack, in the same order (the CLI's `--policy-pack-config`). */
  readonly policyPackConfigs?: readonly string[];
  /** Sections computed from the result. Default: {@link DEFAULT_REPORTERS}. */
  readonly reporters?: readonly Reporter[];
  /** Values for the reporters' flags. */
  readonly reporterFlags?: Readonly<Record<string, string>>;
  /** Where relative paths in reporter flags resolve. Default: the process's cwd. */
  readonly cwd?: string;
}

interface Context {
  project?: ProjectInfo;
  resources: readonly RecordedResource[];
  defaultProviders: readonly RecordedResource[];
  outputs: PropertyMap;
  violations: Violation[];
  packs: PolicyPackSummary[];
  diagnostics: string[];
  reports: Record<string, Report>;
  programMs: number;
  policyMs: number;
}

class Failure extends Error {
  constructor(readonly failure: PreviewFailure) {
    super(failure.message);
  }
}

function fail(kind: PreviewFailure["kind"], message: string): never {
  throw new Failure({ kind, message });
}

/** Every resource the engine would hold, each default provider just before its first user. */
export function engineOrder(resources: readonly RecordedResource[], defaults: readonly RecordedResource[]): RecordedResource[] {
  const pending = new Map(defaults.map((p) => [`${p.urn}::`, p]));
  const out: RecordedResource[] = [];
  for (const r of resources) {
    for (const [prefix, p] of pending) {
      if (r.provider.startsWith(prefix)) {
        out.push(p);
        pending.delete(prefix);
      }
    }
    out.push(r);
  }
  return [...out, ...pending.values()];
}

function loadConfig(options: OfflinePreviewOptions, ctx: Context): { project: ProjectInfo; config: StackConfig } {
  const dir = options.projectDir !== undefined ? path.resolve(options.projectDir) : findProjectDir(process.cwd());
  if (dir === undefined) fail("usage", "no Pulumi.yaml here or above: run from the project or pass --project-dir");
  const project = readProject(dir);
  ctx.project = project;
  const overrides = [
    ...Object.entries(options.config ?? {}).map(([key, value]) => ({ key, value })),
    ...Object.entries(options.secrets ?? {}).map(([key, value]) => ({ key, value, secret: true })),
  ];
  return { project, config: applyOverrides(project, readStackConfig(project, options.stack), overrides) };
}

/** Which policy config applies to each pack, and where it came from. */
function packConfigs(options: OfflinePreviewOptions, project: ProjectInfo, dirs: readonly string[]): PackSetup[] {
  const explicit = options.policyPackConfigs ?? [];
  if (explicit.length > 0) {
    if (explicit.length !== dirs.length) {
      fail("usage", `the number of --policy-pack-config files (${explicit.length}) must match the number of --policy-pack directories (${dirs.length})`);
    }
    return explicit.map((f) => ({ file: f, given: readPolicyConfigFile(f), shared: false }));
  }
  const file = path.join(project.dir, defaultPolicyConfigFile(options.stack));
  const given = fs.existsSync(file) ? readPolicyConfigFile(file) : undefined;
  return dirs.map(() => ({ file: given !== undefined ? file : undefined, given, shared: true }));
}

async function execute(options: OfflinePreviewOptions, ctx: Context): Promise<void> {
  const { project, config } = loadConfig(options, ctx);
  const dirs = (options.policyPacks ?? DEFAULT_POLICY_PACKS).map((d) => path.resolve(project.dir, d));
  const setups = packConfigs(options, project, dirs);
  for (const d of dirs) checkPackDir(d);
  const env = { ...cleanEnv(process.env), ...engineEnv(project, options.stack, config) };
  const engineConfig = JSON.parse(env["PULUMI_CONFIG"] ?? "{}") as Record<string, string>;
  const settings: RunSettings = { project, stack: options.stack, config, engineConfig };

  const started = Date.now();
  // Packs start and are configured while the program runs; each settles on its own.
  const opening = dirs.map((d, i) =>
    PackSession.open(d, env, setups[i] ?? { file: undefined, given: undefined, shared: true }, settings).then(
      (session) => ({ ok: true as const, session }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  );
  const run = await runProgram(project, options.stack, config);
  ctx.programMs = Date.now() - started;
  ctx.diagnostics.push(...run.output);
  ctx.resources = run.message.resources;
  const opened = await Promise.all(opening);
  const sessions = opened.flatMap((o) => (o.ok ? [o.session] : []));
  try {
    // The engine loads and configures the packs before it runs the program, so their
    // failures come first, then policy config problems, then the program's own error.
    for (const o of opened) if (!o.ok) throw o.error;
    const problems = sessions.flatMap((s) => s.problems);
    const shared = setups[0];
    if (shared?.shared === true && shared.given !== undefined) {
      const known = new Set(sessions.flatMap((s) => s.policyNames));
      for (const name of Object.keys(shared.given)) {
        if (name !== "all" && !known.has(name)) {
          problems.push(`policy config ${shared.file ?? ""}: no pack has a policy "${name}" (known: ${[...known].join(", ")})`);
        }
      }
    }
    ctx.packs = sessions.map((s) => s.summary);
    if (problems.length > 0) fail("config", problems.join("\n"));
    if (run.message.kind === "error") fail(run.message.errorKind, run.message.message);
    ctx.defaultProviders = run.message.defaultProviders;
    ctx.outputs = run.message.outputs;

    const policyStart = Date.now();
    const all = engineOrder(ctx.resources, ctx.defaultProviders);
    for (const diagnostics of await Promise.all(sessions.map((s) => s.analyze(all)))) {
      for (const d of diagnostics) {
        ctx.violations.push({ policyPack: d.policyPack, policy: d.policy, level: d.level, urn: d.urn, message: d.message });
      }
    }
    ctx.policyMs = Date.now() - policyStart;
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    for (const s of sessions) ctx.diagnostics.push(...s.output.map((l) => `[${path.basename(s.dir)}] ${l}`));
  }
  try {
    ctx.reports = await runReporters(options.reporters ?? DEFAULT_REPORTERS, {
      stack: options.stack,
      project: project.name,
      resources: ctx.resources,
      violations: ctx.violations,
      outputs: ctx.outputs,
      flags: options.reporterFlags ?? {},
      cwd: options.cwd ?? process.cwd(),
      config: engineConfig,
    });
  } catch (e) {
    fail("program", `a reporter failed: ${(e as Error).message}`);
  }
}

export async function runOfflinePreview(options: OfflinePreviewOptions): Promise<PreviewResult> {
  const t0 = Date.now();
  const ctx: Context = {
    resources: [], defaultProviders: [], outputs: {}, violations: [], packs: [], diagnostics: [], reports: {}, programMs: 0, policyMs: 0,
  };
  let failure: PreviewFailure | undefined;
  try {
    await execute(options, ctx);
  } catch (e) {
    if (e instanceof Failure) failure = e.failure;
    else if (e instanceof ConfigError) failure = { kind: "config", message: e.message };
    else if (e instanceof PolicyPackError) failure = { kind: "policy-pack", message: e.message };
    else throw e;
  }
  const mandatory = ctx.violations.filter((v) => v.level === "mandatory").length;
  return {
    stack: options.stack,
    project: ctx.project?.name ?? "",
    resources: ctx.resources,
    defaultProviders: ctx.defaultProviders,
    outputs: ctx.outputs,
    violations: ctx.violations,
    policyPacks: ctx.packs,
    summary: { resources: ctx.resources.length, violations: ctx.violations.length, mandatory },
    reports: ctx.reports,
    diagnostics: ctx.diagnostics,
    timings: { programMs: ctx.programMs, policyMs: ctx.policyMs, totalMs: Date.now() - t0 },
    ...(failure !== undefined ? { failure } : {}),
    exitCode: failure !== undefined ? 2 : mandatory > 0 ? 1 : 0,
  };
}
