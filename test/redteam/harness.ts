/**
 * The red-team harness: each shipped stack is previewed once with the offline preview
 * (the real program, the real pack built from source), then each misconfiguration of the
 * corpus is a small change to the recorded resources, sent again to policy packs kept
 * running between cases, over the analyzer protocol the engine speaks. A case that needs
 * a config override gets a preview of its own.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineOrder, runOfflinePreview, type PreviewResult, type RecordedResource, type Violation } from "@pfv5/preview";
import { zoneMatrixReporter } from "../../packages/preview/src/reporters/zone-matrix";
import { engineEnv, readProject, readStackConfig } from "../../packages/preview/src/config";
import { readPolicyConfigFile } from "../../packages/preview/src/policy-config";
import { PackSession } from "../../packages/preview/src/session";
import type { Case, Expectation } from "./corpus";
import { Mutable } from "./mutate";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SECURITY_ZONES = path.join(ROOT, "policy-packs", "security-zones");

export type StackName = "aws-dev" | "aws-prod" | "azure-dev" | "azure-prod" | "cluster-dev" | "cluster-prod";

/** The stack's own policy config (Pulumi.<stack>.policy.json), as the preview finds it. */
function policyConfigFile(stack: StackName): string {
  return path.join(ROOT, `Pulumi.${stack}.policy.json`);
}

let built = false;

/** Compiles the pack from source once per run: the engine loads the compiled pack (bin/). */
export function buildPack(): void {
  if (built) return;
  execFileSync("pnpm", ["-s", "build"], { cwd: SECURITY_ZONES, stdio: "inherit" });
  built = true;
}

const previews = new Map<string, Promise<PreviewResult>>();

/** One preview of a stack with the security-zones pack and the matrix reporter, memoized per config override. */
export function preview(stack: StackName, config: Readonly<Record<string, unknown>> = {}): Promise<PreviewResult> {
  const key = `${stack} ${JSON.stringify(config)}`;
  let p = previews.get(key);
  if (p === undefined) {
    const configs = fs.existsSync(policyConfigFile(stack)) ? [policyConfigFile(stack)] : [];
    p = runOfflinePreview({ stack, projectDir: ROOT, config, policyPacks: [SECURITY_ZONES], policyPackConfigs: configs, reporters: [zoneMatrixReporter] }).then((r) => {
      if (r.failure !== undefined) throw new Error(`preview of ${stack} failed (${r.failure.kind}): ${r.failure.message}`);
      return r;
    });
    previews.set(key, p);
  }
  return p;
}

/** A policy pack process configured for a stack, analyzing any resource list it is given. */
export class RunningPack {
  private constructor(private readonly session: PackSession) {}

  static async open(dir: string, stack: StackName, configFile?: string): Promise<RunningPack> {
    const project = readProject(ROOT);
    const config = readStackConfig(project, stack);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("PULUMI_")) env[k] = v;
    Object.assign(env, engineEnv(project, stack, config));
    const engineConfig = JSON.parse(env["PULUMI_CONFIG"] ?? "{}") as Record<string, string>;
    const given = configFile !== undefined ? readPolicyConfigFile(configFile) : undefined;
    const session = await PackSession.open(dir, env, { file: configFile, given, shared: true }, { project, stack, config, engineConfig });
    if (session.problems.length > 0) {
      await session.close();
      throw new Error(`policy pack ${dir}: ${session.problems.join("; ")}`);
    }
    return new RunningPack(session);
  }

  static forStack(stack: StackName): Promise<RunningPack> {
    return RunningPack.open(SECURITY_ZONES, stack, policyConfigFile(stack));
  }

  /** The violations for these resources (the stack first, as the engine sends them). */
  async analyze(resources: readonly RecordedResource[]): Promise<Violation[]> {
    const diagnostics = await this.session.analyze(resources);
    return diagnostics.map((d) => ({ policyPack: d.policyPack, policy: d.policy, level: d.level, urn: d.urn, message: d.message }));
  }

  /** How many policies the pack serves. */
  get policyCount(): number {
    return this.session.summary.policies.length;
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** A violation as a key: what distinguishes one from another. */
export function violationKey(v: Violation): string {
  return `${v.policy}|${v.urn}|${v.message}`;
}

/** The violations of `after` that `before` does not have. */
export function newViolations(before: readonly Violation[], after: readonly Violation[]): Violation[] {
  const seen = new Set(before.map(violationKey));
  return after.filter((v) => !seen.has(violationKey(v)));
}

/** The corpus against one or more packs: the unchanged stacks' violations, then each case's new ones. */
export class CorpusRunner {
  private constructor(
    private readonly packs: ReadonlyMap<string, RunningPack>,
    private readonly baselines: ReadonlyMap<string, { result: PreviewResult; violations: Violation[] }>,
  ) {}

  /** Starts `pack(stack)` for each stack and records its view of the unchanged stack. */
  static async open(stacks: readonly StackName[], pack: (stack: StackName) => Promise<RunningPack> = (s) => RunningPack.forStack(s)): Promise<CorpusRunner> {
    const packs = new Map<string, RunningPack>();
    const baselines = new Map<string, { result: PreviewResult; violations: Violation[] }>();
    await Promise.all(
      stacks.map(async (stack) => {
        const [result, running] = await Promise.all([preview(stack), pack(stack)]);
        packs.set(stack, running);
        baselines.set(stack, { result, violations: await running.analyze(engineOrder(result.resources, result.defaultProviders)) });
      }),
    );
    return new CorpusRunner(packs, baselines);
  }

  baseline(stack: StackName): { result: PreviewResult; violations: Violation[] } {
    const b = this.baselines.get(stack);
    if (b === undefined) throw new Error(`the runner has no baseline for ${stack}`);
    return b;
  }

  /** The violations a case adds to its stack's: from its own preview (config) or the changed resources. */
  async violationsOf(c: Case, packOnly = false): Promise<Violation[]> {
    const base = this.baseline(c.stack);
    const pack = this.packs.get(c.stack);
    if (pack === undefined) throw new Error(`the runner has no pack for ${c.stack}`);
    if (c.config !== undefined && !packOnly) return newViolations(base.violations, (await preview(c.stack, c.config)).violations);
    const changed = c.config !== undefined ? (await preview(c.stack, c.config)).resources : (c.mutate ?? ((m) => m))(new Mutable(base.result.resources)).resources;
    return newViolations(base.violations, await pack.analyze(engineOrder(changed, base.result.defaultProviders)));
  }

  /** Runs the violations of a changed resource list (for checks beside the corpus). */
  async analyze(stack: StackName, resources: readonly RecordedResource[]): Promise<Violation[]> {
    const base = this.baseline(stack);
    const pack = this.packs.get(stack);
    if (pack === undefined) throw new Error(`the runner has no pack for ${stack}`);
    return newViolations(base.violations, await pack.analyze(engineOrder(resources, base.result.defaultProviders)));
  }

  policyCount(stack: StackName): number {
    return this.packs.get(stack)?.policyCount ?? 0;
  }

  close(): Promise<void> {
    return Promise.all([...this.packs.values()].map((p) => p.close())).then(() => undefined);
  }
}

/** The expectations of a case that no violation meets. */
export function unmet(c: Case, found: readonly Violation[]): Expectation[] {
  return c.expect.filter((e) => !found.some((v) => v.policy === e.policy && e.message.test(v.message)));
}
