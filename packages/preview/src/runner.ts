/**
 * `runOfflinePreview`: one stack, previewed as `pulumi preview --policy-pack <dir>` would
 * preview it for the first time, with no engine and no cloud. The program runs in its own
 * process under the preview monitor; each policy pack runs in its own process, started the
 * way the CLI starts it (both start at once, to save time); then every custom resource goes
 * to `Analyze`, all resources to `AnalyzeStack`, and the packs are stopped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AnalyzerConnection, analyzeRequest, stackResource, type Diagnostic } from "./analyzer";
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
import { defaultPolicyConfigFile, readPolicyConfigFile, reconcilePolicyConfig } from "./policy-config";
import { checkPackDir, PolicyPackError, startPolicyPack, type RunningPack } from "./policy-pack";
import { runProgram } from "./program";
import { DEFAULT_REPORTERS, runReporters, type Reporter } from "./reporters";
import type { PolicyConfigEntry } from "./analyzer";
import type { PolicyPackSummary, PreviewFailure, PreviewResult, PropertyMap, RecordedResource, Report, Violation } from "./types";

/** The pack the preview loads when none is named, relative to the project root. */
export const DEFAULT_POLICY_PACK = path.join("policy-packs", "security-zones");

export interface OfflinePreviewOptions {
  readonly stack: string;
  /** The project root (the directory with Pulumi.yaml). Default: the nearest one up from the cwd. */
  readonly projectDir?: string;
  /** Config overrides for this run, `key` or `namespace:key` to value, applied in order. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Like `config`, but the values are secret. */
  readonly secrets?: Readonly<Record<string, unknown>>;
  /** Policy pack directories. Default: {@link DEFAULT_POLICY_PACK}; `[]` runs none. */
  readonly policyPacks?: readonly string[];
  /** One policy config file per pack, in the same order (the CLI's `--policy-pack-config`). */
  readonly policyPackConfigs?: readonly string[];
  /** Sections computed from the result. Default: {@link DEFAULT_REPORTERS}. */
  readonly reporters?: readonly Reporter[];
  /** Values for the reporters' flags. */
  readonly reporterFlags?: Readonly<Record<string, string>>;
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
function packConfigs(
  options: OfflinePreviewOptions,
  project: ProjectInfo,
  dirs: readonly string[],
): { file: string | undefined; given: Record<string, PolicyConfigEntry> | undefined; shared: boolean }[] {
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

async function analyzePack(
  pack: RunningPack,
  setup: { file: string | undefined; given: Record<string, PolicyConfigEntry> | undefined; shared: boolean },
  run: { project: ProjectInfo; stack: string; config: StackConfig; engineConfig: Record<string, string> },
  all: readonly RecordedResource[],
): Promise<{ summary: PolicyPackSummary; diagnostics: Diagnostic[]; problems: string[]; policyNames: string[] }> {
  const conn = new AnalyzerConnection(pack.port);
  try {
    const info = await conn.getAnalyzerInfo();
    const names = info.policies.map((p) => p.name);
    const given = setup.given === undefined ? undefined : Object.fromEntries(
      Object.entries(setup.given).filter(([name]) => !setup.shared || name === "all" || names.includes(name)),
    );
    const reconciled = reconcilePolicyConfig(info, given, setup.file ?? "defaults");
    const problems = [...reconciled.problems];
    if (!setup.shared) {
      for (const name of Object.keys(setup.given ?? {})) {
        if (name !== "all" && !names.includes(name)) {
          problems.push(`policy config ${setup.file ?? ""}: pack ${info.name} has no policy "${name}" (its policies: ${names.join(", ")})`);
        }
      }
    }
    const summary: PolicyPackSummary = {
      name: info.name,
      version: info.version,
      dir: pack.dir,
      policies: info.policies.map((p) => ({ name: p.name, level: reconciled.config[p.name]?.level ?? p.level, kind: p.kind })),
    };
    if (problems.length > 0) return { summary, diagnostics: [], problems, policyNames: names };
    await conn.configure(reconciled.config);
    await conn.configureStack({
      stack: run.stack,
      project: run.project.name,
      organization: "organization",
      config: run.engineConfig,
      secretKeys: run.config.secretKeys,
      tags: {
        "pulumi:project": run.project.name,
        "pulumi:runtime": "nodejs",
        ...(run.project.description !== undefined ? { "pulumi:description": run.project.description } : {}),
      },
    });
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const providerOf = (r: RecordedResource): RecordedResource | undefined =>
      r.provider === "" ? undefined : byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
    const analyzed = all.filter((r) => r.custom && !r.read);
    const perResource = await Promise.all(
      analyzed.map(async (r) => (await conn.analyze(analyzeRequest(r, providerOf(r)))).map((d) => ({ ...d, urn: d.urn || r.urn }))),
    );
    const stack = await conn.analyzeStack(all.map((r) => stackResource(r, providerOf(r))));
    return { summary, diagnostics: [...perResource.flat(), ...stack], problems: [], policyNames: names };
  } catch (e) {
    if (e instanceof Failure) throw e;
    fail("policy-pack", `policy pack ${pack.dir} failed while analyzing: ${(e as { details?: string }).details ?? (e as Error).message}`);
  } finally {
    conn.close();
  }
}

async function execute(options: OfflinePreviewOptions, ctx: Context): Promise<void> {
  const { project, config } = loadConfig(options, ctx);
  const dirs = (options.policyPacks ?? [DEFAULT_POLICY_PACK]).map((d) => path.resolve(project.dir, d));
  const setups = packConfigs(options, project, dirs);
  for (const d of dirs) checkPackDir(d);
  const env = { ...cleanEnv(process.env), ...engineEnv(project, options.stack, config) };
  const engineConfig = JSON.parse(env["PULUMI_CONFIG"] ?? "{}") as Record<string, string>;

  const started = Date.now();
  // Packs start while the program runs; each settles on its own so none is left unhandled.
  const packStarts = dirs.map((d) => startPolicyPack(d, env).then((p) => ({ ok: true as const, p }), (e: unknown) => ({ ok: false as const, e })));
  const running: RunningPack[] = [];
  try {
    const run = await runProgram(project, options.stack, config);
    ctx.programMs = Date.now() - started;
    ctx.diagnostics.push(...run.output);
    const packs = await Promise.all(packStarts);
    for (const s of packs) if (s.ok) running.push(s.p);
    if (run.message.kind === "error") {
      ctx.resources = run.message.resources;
      fail(run.message.errorKind, run.message.message);
    }
    ctx.resources = run.message.resources;
    ctx.defaultProviders = run.message.defaultProviders;
    ctx.outputs = run.message.outputs;
    for (const s of packs) if (!s.ok) fail("policy-pack", s.e instanceof Error ? s.e.message : String(s.e));

    const policyStart = Date.now();
    const all = engineOrder(ctx.resources, ctx.defaultProviders);
    const settings = { project, stack: options.stack, config, engineConfig };
    const results = await Promise.all(
      running.map((p) => analyzePack(p, setups[dirs.indexOf(p.dir)] ?? { file: undefined, given: undefined, shared: true }, settings, all)),
    );
    const problems = results.flatMap((r) => r.problems);
    if (setups[0]?.shared === true && setups[0].given !== undefined) {
      const known = new Set(results.flatMap((r) => r.policyNames));
      for (const name of Object.keys(setups[0].given)) {
        if (name !== "all" && !known.has(name)) problems.push(`policy config ${setups[0].file ?? ""}: no pack has a policy "${name}" (known: ${[...known].join(", ")})`);
      }
    }
    ctx.packs = results.map((r) => r.summary);
    if (problems.length > 0) fail("config", problems.join("\n"));
    for (const r of results) {
      for (const d of r.diagnostics) {
        ctx.violations.push({ policyPack: d.policyPack, policy: d.policy, level: d.level, urn: d.urn, message: d.message });
      }
    }
    ctx.policyMs = Date.now() - policyStart;
  } finally {
    await Promise.all(running.map((p) => p.stop()));
    for (const p of running) ctx.diagnostics.push(...p.output.map((l) => `[${path.basename(p.dir)}] ${l}`));
  }
  try {
    ctx.reports = await runReporters(options.reporters ?? DEFAULT_REPORTERS, {
      stack: options.stack,
      project: project.name,
      resources: ctx.resources,
      violations: ctx.violations,
      outputs: ctx.outputs,
      flags: options.reporterFlags ?? {},
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
