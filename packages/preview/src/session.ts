/**
 * One policy pack for the length of a preview, driven in the engine's order: the pack is
 * started and configured while the program runs (GetAnalyzerInfo, config reconciled and
 * validated, Configure, ConfigureStack), then analyzes the recorded resources (Analyze for
 * each custom resource, AnalyzeStack once), then is stopped.
 */
import { AnalyzerConnection, analyzeRequest, stackResource, type Diagnostic, type PolicyConfigEntry } from "./analyzer";
import type { ProjectInfo, StackConfig } from "./config";
import { reconcilePolicyConfig } from "./policy-config";
import { PolicyPackError, startPolicyPack, type RunningPack } from "./policy-pack";
import type { PolicyPackSummary, RecordedResource } from "./types";

/** The policy config for one pack and where it came from. */
export interface PackSetup {
  readonly file: string | undefined;
  readonly given: Readonly<Record<string, PolicyConfigEntry>> | undefined;
  /** A per-stack file shared by every pack: each takes the entries naming its policies. */
  readonly shared: boolean;
}

export interface RunSettings {
  readonly project: ProjectInfo;
  readonly stack: string;
  readonly config: StackConfig;
  /** The config as the engine passes it: full keys, string values. */
  readonly engineConfig: Readonly<Record<string, string>>;
}

function rpcMessage(e: unknown): string {
  return (e as { details?: string }).details ?? (e instanceof Error ? e.message : String(e));
}

export class PackSession {
  private constructor(
    private readonly pack: RunningPack,
    private readonly conn: AnalyzerConnection,
    readonly summary: PolicyPackSummary,
    readonly policyNames: readonly string[],
    /** Config problems; a session with problems is not configured and must not analyze. */
    readonly problems: readonly string[],
  ) {}

  get dir(): string {
    return this.pack.dir;
  }

  /** Lines the pack printed after its port. */
  get output(): readonly string[] {
    return this.pack.output;
  }

  /** Starts and configures a pack; on any failure the pack is stopped before this rejects. */
  static async open(dir: string, env: Record<string, string>, setup: PackSetup, run: RunSettings): Promise<PackSession> {
    const pack = await startPolicyPack(dir, env);
    const conn = new AnalyzerConnection(pack.port);
    try {
      const info = await conn.getAnalyzerInfo();
      const names = info.policies.map((p) => p.name);
      const given =
        setup.given === undefined
          ? undefined
          : Object.fromEntries(Object.entries(setup.given).filter(([n]) => !setup.shared || n === "all" || names.includes(n)));
      const reconciled = reconcilePolicyConfig(info, given, setup.file ?? "defaults");
      const problems = [...reconciled.problems];
      if (!setup.shared) {
        for (const n of Object.keys(setup.given ?? {})) {
          if (n !== "all" && !names.includes(n)) {
            problems.push(`policy config ${setup.file ?? ""}: pack ${info.name} has no policy "${n}" (its policies: ${names.join(", ")})`);
          }
        }
      }
      const summary: PolicyPackSummary = {
        name: info.name,
        version: info.version,
        dir,
        policies: info.policies.map((p) => ({ name: p.name, level: reconciled.config[p.name]?.level ?? p.level, kind: p.kind })),
      };
      if (problems.length === 0) {
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
      }
      return new PackSession(pack, conn, summary, names, problems);
    } catch (e) {
      conn.close();
      await pack.stop();
      throw new PolicyPackError(`policy pack ${dir} failed to load: ${rpcMessage(e)}`);
    }
  }

  /**
   * Sends every custom resource to Analyze (concurrently; results keep registration order)
   * and all resources to AnalyzeStack. `all` is in the engine's order, default providers
   * included.
   */
  async analyze(all: readonly RecordedResource[]): Promise<Diagnostic[]> {
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const providerOf = (r: RecordedResource): RecordedResource | undefined =>
      r.provider === "" ? undefined : byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
    try {
      const perResource = await Promise.all(
        all
          .filter((r) => r.custom && !r.read)
          // A resource policy's diagnostic names no URN: the engine attaches the resource's.
          .map(async (r) => (await this.conn.analyze(analyzeRequest(r, providerOf(r)))).map((d) => ({ ...d, urn: d.urn || r.urn }))),
      );
      const stack = await this.conn.analyzeStack(all.map((r) => stackResource(r, providerOf(r))));
      return [...perResource.flat(), ...stack];
    } catch (e) {
      throw new PolicyPackError(`policy pack ${this.summary.name} (${this.dir}) failed while analyzing: ${rpcMessage(e)}`);
    }
  }

  async close(): Promise<void> {
    this.conn.close();
    await this.pack.stop();
  }
}
