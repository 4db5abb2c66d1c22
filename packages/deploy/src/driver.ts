/**
 * One `pnpm infra` run on one stack: check everything that can be checked without the
 * engine, then preview with the policy packs, gate protected environments, and update.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { formatProblem, type Problem } from "@pfv5/zones";
import { POLICY_COMMANDS, type StackInvocation } from "./args";
import { pulumiHome, resolveBackend, type Env } from "./backend";
import { checkBlockCloud, checkBlockedStack } from "./block-check";
import { blockContext, checkBlock } from "./blocklist";
import { addBlockedCidr, blockNote, removeBlockedCidr, type EditResult } from "./blocklist-edit";
import { errorLines, maskedOutputs, openStack, runOperation, type DriverStack, type EngineContext, type OperationResult } from "./engine";
import { EXIT, type ExitCode } from "./exit-codes";
import { formatRefusal, gate, type GateResult } from "./gate";
import { checkPolicyPacks, resolvePolicyPacks } from "./policy-packs";
import { formatCounts, mandatoryViolations, type OperationRecord } from "./progress";
import { findPulumiCli, installPulumiCli, missingCliMessage, type CliLocation } from "./pulumi-cli";
import { engineConfig, interpretStackFile, readProjectFile, readStackFile, type StackFile } from "./stack-file";
import { buildSummary, summaryToMarkdown, type RunStatus } from "./summary";

/** The repository root: the Pulumi project the stacks belong to. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface DriverIO {
  readonly env: Env;
  /** Progress and results. */
  readonly out: (line: string) => void;
  /** Errors and refusals. */
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Opens the stack; the Automation API's LocalWorkspace unless a test passes a fake. */
  readonly openStack?: (ctx: EngineContext) => Promise<DriverStack>;
}

interface Verdict {
  readonly status: RunStatus;
  readonly code: ExitCode;
}

function verdictOf(res: OperationResult): Verdict {
  if (res.stopped !== undefined) return { status: "refused-by-gate", code: EXIT.gate };
  if (mandatoryViolations(res.record).length > 0) return { status: "policy-violation", code: EXIT.policy };
  if (res.error !== undefined || res.record.failed.length > 0) return { status: "failed", code: EXIT.failed };
  return { status: "succeeded", code: EXIT.ok };
}

export async function runStackInvocation(inv: StackInvocation, io: DriverIO): Promise<number> {
  const started = io.now();
  const records: OperationRecord[] = [];
  const messages: string[] = [];
  let gateResult: GateResult | undefined;
  let stackFile: StackFile | undefined;

  const finish = (status: RunStatus, code: ExitCode, message?: string): number => {
    if (message !== undefined) {
      io.err(message);
      messages.push(message.replace(/^error: /, ""));
    }
    const summary = buildSummary({
      stack: inv.stack,
      command: inv.command,
      environment: stackFile?.environment ?? "unknown",
      protected: stackFile?.protected ?? true,
      status,
      exitCode: code,
      startedAt: started,
      finishedAt: io.now(),
      records,
      ...(gateResult !== undefined ? { gate: gateResult } : {}),
      messages,
    });
    for (const [file, content] of [
      [inv.jsonSummary, `${JSON.stringify(summary, null, 2)}\n`],
      [inv.markdownSummary, summaryToMarkdown(summary)],
    ] as const) {
      if (file === undefined) continue;
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, content);
    }
    return code;
  };

  // 1. Everything that needs no engine: project, stack, input, confirmation.
  const workDir = path.resolve(inv.workDir ?? REPO_ROOT);
  if (!fs.existsSync(path.join(workDir, "Pulumi.yaml"))) {
    return finish("usage-error", EXIT.usage, `error: no Pulumi.yaml in ${workDir}: run from the repository or pass --work-dir <project directory>`);
  }
  try {
    stackFile = readStackFile(workDir, inv.stack);
  } catch (e) {
    return finish("usage-error", EXIT.usage, `error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const sf = stackFile;
  let edit: EditResult | undefined;
  if ((inv.command === "block" || inv.command === "unblock") && inv.cidr !== undefined) {
    const text = fs.readFileSync(sf.file, "utf8");
    const file = path.basename(sf.file);
    const refuse = (why: string, problems: readonly Problem[]): number =>
      finish("usage-error", EXIT.usage, [`error: cannot block "${inv.cidr ?? ""}" on stack "${inv.stack}"${why}:`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join("\n"));
    if (inv.command === "block") {
      const cloud = checkBlockCloud(sf.cloud);
      const problems = cloud.length > 0 ? cloud : checkBlock(inv.cidr, blockContext(sf.config, sf.cloud));
      if (problems.length > 0) return refuse("", problems);
    }
    try {
      edit = inv.command === "block" ? addBlockedCidr(text, inv.cidr, blockNote(inv.reason ?? "", io.now()), file) : removeBlockedCidr(text, inv.cidr, file);
      // The stack's own checks on the edited file: what they reject, the preview would too.
      if (inv.command === "block" && edit.changed) {
        const problems = checkBlockedStack(inv.stack, engineConfig(interpretStackFile(inv.stack, sf.file, edit.text).config, readProjectFile(workDir)));
        if (problems.length > 0) return refuse(`: the stack's own validation would reject ${file} with it`, problems);
      }
    } catch (e) {
      return finish("usage-error", EXIT.usage, `error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (inv.command === "destroy" && sf.protected && inv.confirm !== inv.stack) {
    return finish("usage-error", EXIT.usage, `error: stack "${inv.stack}" is a protected environment (${sf.environment}) and destroy deletes every resource in it: rerun with --confirm ${inv.stack} if that is intended`);
  }
  if (edit !== undefined && inv.noUp) {
    if (edit.changed) fs.writeFileSync(sf.file, edit.text);
    io.out(`${edit.message} in ${path.basename(sf.file)}${edit.changed ? "" : " (file unchanged)"}; not deployed (--no-up): commit the file and let CI deploy it, or run \`pnpm infra up ${inv.stack}\``);
    return finish("succeeded", EXIT.ok);
  }

  // 2. The CLI, the backend and the policy packs.
  const home = pulumiHome(io.env);
  let cli: CliLocation | undefined = findPulumiCli(io.env, home);
  if (cli === undefined && inv.installCli) {
    io.out(`installing the Pulumi CLI into ${home} ...`);
    try {
      cli = await installPulumiCli(home);
    } catch (e) {
      return finish("cli-missing", EXIT.cliMissing, `error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (cli === undefined) return finish("cli-missing", EXIT.cliMissing, missingCliMessage(home));
  const backend = resolveBackend(io.env, workDir, sf.secretsProvider);
  if (!backend.ok) return finish("usage-error", EXIT.usage, backend.problems.map((p) => `error: ${p}`).join("\n"));
  const policyPacks = POLICY_COMMANDS.includes(inv.command) ? resolvePolicyPacks(path.join(workDir, "policy-packs"), sf.environment) : [];
  const packProblems = checkPolicyPacks(policyPacks);
  if (packProblems.length > 0) return finish("usage-error", EXIT.usage, packProblems.map((p) => `error: ${p}`).join("\n"));

  // 3. The engine.
  if (edit !== undefined) {
    if (edit.changed) fs.writeFileSync(sf.file, edit.text);
    io.out(`${edit.message} in ${path.basename(sf.file)}${edit.changed ? "" : " (file unchanged)"}; deploying`);
  }
  const ctx: EngineContext = { workDir, stackName: inv.stack, backend: backend.settings, cli, policyPacks, print: io.out };
  io.out(`stack ${inv.stack} (${sf.environment}${sf.protected ? ", protected" : ""}), backend ${backend.settings.backendUrl}`);
  let stack: DriverStack;
  try {
    stack = await (io.openStack ?? openStack)(ctx);
  } catch (e) {
    return finish("failed", EXIT.failed, ["error: could not open the stack:", ...errorLines(e)].join("\n  "));
  }
  const afterEdit = edit?.changed === true ? ` The stack file already holds the change; fix the cause and rerun \`pnpm infra up ${inv.stack}\`, or revert the file.` : "";

  if (inv.command === "outputs") {
    try {
      io.out(await maskedOutputs(stack));
      return finish("succeeded", EXIT.ok);
    } catch (e) {
      return finish("failed", EXIT.failed, ["error: could not read the outputs:", ...errorLines(e)].join("\n  "));
    }
  }

  const report = (what: string, res: OperationResult, v: Verdict): void => {
    for (const line of res.error ?? []) io.err(`  ${line}`);
    const failedViolations = mandatoryViolations(res.record).length;
    io.out(
      `${what} ${v.status === "succeeded" ? "succeeded" : "failed"}: ${formatCounts(res.record.resourceChanges, what === "preview")}` +
        (failedViolations > 0 ? `; ${failedViolations} mandatory policy violation${failedViolations === 1 ? "" : "s"}` : "") +
        (res.record.durationSeconds !== undefined ? ` (${res.record.durationSeconds}s)` : ""),
    );
  };

  const needsPreview = inv.command === "preview" || inv.command === "up" || inv.command === "block" || inv.command === "unblock";
  if (needsPreview) {
    io.out(`previewing ${inv.stack} with policy packs ${policyPacks.map((p) => p.name).join(", ")}`);
    const res = await runOperation(stack, "preview", ctx);
    records.push(res.record);
    const v = verdictOf(res);
    report("preview", res, v);
    if (v.code !== EXIT.ok) return finish(v.status, v.code, `error: the preview of ${inv.stack} failed.${afterEdit}`);
    if (sf.protected) {
      gateResult = gate(res.events, inv.allowReplace);
      for (const a of gateResult.unusedAllowances) io.err(`warning: --allow-replace ${a} matched no planned replace or delete`);
      for (const f of gateResult.allowed) io.out(`gate: allowed ${f.op} of ${f.urn} (--allow-replace)`);
      if (gateResult.refused.length > 0) return finish("refused-by-gate", EXIT.gate, `${formatRefusal(inv.stack, gateResult)}${afterEdit}`);
      io.out(`gate: no protected resource is replaced or deleted`);
    }
    if (inv.command === "preview") return finish("succeeded", EXIT.ok);
  }

  const op = inv.command === "refresh" ? "refresh" : inv.command === "destroy" ? "destroy" : "up";
  io.out(`${op === "up" ? "updating" : op === "refresh" ? "refreshing" : "destroying"} ${inv.stack}`);
  // On a protected stack the update is watched too: a gated step the preview did not show
  // (the plan changed in between) stops it.
  const guard = op === "up" && sf.protected
    ? (e: EngineEvent): string | undefined => {
        const f = gate([e], inv.allowReplace).refused[0];
        return f !== undefined ? `it started to ${f.op} ${f.urn}, which the preview did not show` : undefined;
      }
    : undefined;
  const res = await runOperation(stack, op, ctx, guard);
  records.push(res.record);
  const v = verdictOf(res);
  report(op, res, v);
  if (v.code === EXIT.ok) return finish(v.status, v.code);
  const what = res.stopped !== undefined ? `was stopped: ${res.stopped}; steps already in flight may have completed, so check \`pnpm infra preview ${inv.stack}\`` : "failed";
  return finish(v.status, v.code, `error: the ${op} of ${inv.stack} ${what}.${afterEdit}`);
}

