/**
 * The red-team harness: each shipped stack is previewed once with the offline preview
 * (the real program, the real pack built from source), then each misconfiguration of the
 * corpus is a small change to the recorded resources, sent again to policy packs kept
 * running between cases, over the analyzer protocol the engine speaks. A case that needs
 * a config override gets a preview of its own.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { runOfflinePreview, type PreviewResult, type RecordedResource, type Violation } from "@pfv5/preview";
import { zoneMatrixReporter } from "../../packages/preview/src/reporters/zone-matrix";
import { engineEnv, readProject, readStackConfig } from "../../packages/preview/src/config";
import { readPolicyConfigFile } from "../../packages/preview/src/policy-config";
import { PackSession } from "../../packages/preview/src/session";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SECURITY_ZONES = path.join(ROOT, "policy-packs", "security-zones");

export type StackName = "aws-dev" | "aws-prod" | "azure-dev" | "azure-prod";

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
    p = runOfflinePreview({ stack, projectDir: ROOT, config, policyPacks: [SECURITY_ZONES], policyPackConfigs: [policyConfigFile(stack)], reporters: [zoneMatrixReporter] }).then((r) => {
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
