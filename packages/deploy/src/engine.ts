/**
 * The Automation API calls: one workspace over the repository's project, each operation
 * streamed event by event into an {@link OperationRecord}.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type DestroyOptions,
  type EngineEvent,
  type OutputMap,
  type PreviewOptions,
  type RefreshOptions,
  type Stack,
  type UpOptions,
} from "@pulumi/pulumi/automation";
import type { BackendSettings } from "./backend";
import { policyPackOptions, type PolicyPackRef } from "./policy-packs";
import { emptyRecord, recordEvent, type OperationRecord } from "./progress";
import type { CliLocation } from "./pulumi-cli";

export interface EngineContext {
  readonly workDir: string;
  readonly stackName: string;
  readonly backend: BackendSettings;
  readonly cli: CliLocation;
  readonly policyPacks: readonly PolicyPackRef[];
  /** Receives each progress line. */
  readonly print: (line: string) => void;
}

export interface OperationResult {
  readonly record: OperationRecord;
  readonly events: EngineEvent[];
  /** The engine's error, as lines worth showing (its stderr), when the operation failed. */
  readonly error?: string[];
  /** Why a guard stopped the operation, if one did. */
  readonly stopped?: string;
}

/** The informative lines of a failed CLI call: its stderr, else the first line of the error. */
export function errorLines(e: unknown): string[] {
  const text = e instanceof Error ? e.message : String(e);
  const m = /\n stderr: ([\s\S]*?)\n err\?: /.exec(text);
  const lines = (m?.[1] ?? "").split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
  return lines.length > 0 ? lines.slice(-10) : [text.split("\n")[0] ?? text];
}

export async function openStack(ctx: EngineContext): Promise<Stack> {
  if (ctx.backend.stateDir !== undefined) fs.mkdirSync(ctx.backend.stateDir, { recursive: true });
  const pulumiCommand = await PulumiCommand.get(ctx.cli.root !== undefined ? { root: ctx.cli.root } : {});
  // No projectSettings: passing them would rewrite Pulumi.yaml. The backend and passphrase
  // travel as envVars so no machine-wide `pulumi login` decides where the state goes.
  return LocalWorkspace.createOrSelectStack(
    { stackName: ctx.stackName, workDir: ctx.workDir },
    { workDir: ctx.workDir, pulumiHome: ctx.backend.pulumiHome, envVars: ctx.backend.envVars, pulumiCommand },
  );
}

export type Op = "preview" | "up" | "refresh" | "destroy";

/** The part of a stack the operations use; a `Stack` is one, a test fake is another. */
export interface OperableStack {
  preview(opts: PreviewOptions): Promise<unknown>;
  up(opts: UpOptions): Promise<unknown>;
  refresh(opts: RefreshOptions): Promise<unknown>;
  destroy(opts: DestroyOptions): Promise<unknown>;
}

/** What the driver needs of a stack: the operations and the outputs. */
export interface DriverStack extends OperableStack {
  outputs(): Promise<OutputMap>;
}

/**
 * Stops an operation when it returns a reason for an event: the second line of the gate,
 * for a plan that changed between the preview and the update.
 */
export type Guard = (e: EngineEvent) => string | undefined;

/** Runs one operation, printing progress; never throws for an engine failure. */
export async function runOperation(
  stack: OperableStack,
  op: Op,
  ctx: Pick<EngineContext, "policyPacks" | "print">,
  guard?: Guard,
): Promise<OperationResult> {
  const record = emptyRecord();
  const events: EngineEvent[] = [];
  // Aborting sends the CLI an interrupt: it finishes the steps in flight and starts no more.
  const controller = new AbortController();
  let stopped: string | undefined;
  const onEvent = (e: EngineEvent): void => {
    events.push(e);
    for (const line of recordEvent(record, e)) ctx.print(line);
    const why = stopped === undefined ? guard?.(e) : undefined;
    if (why !== undefined) {
      stopped = why;
      ctx.print(`  !! stopping the ${op}: ${why}`);
      controller.abort();
    }
  };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-infra-"));
  const result = (error?: string[]): OperationResult => ({
    record,
    events,
    ...(error !== undefined ? { error } : {}),
    ...(stopped !== undefined ? { stopped } : {}),
  });
  try {
    const usesPolicies = op === "preview" || op === "up";
    const packs = usesPolicies ? policyPackOptions(ctx.policyPacks, scratch) : undefined;
    for (const f of packs?.filesToWrite ?? []) fs.writeFileSync(f.path, f.content);
    const policy = packs !== undefined ? { policyPacks: packs.policyPacks, ...(packs.policyPackConfigs.length > 0 ? { policyPackConfigs: packs.policyPackConfigs } : {}) } : {};
    const common = { onEvent, color: "never" as const, userAgent: "pfv5-infra", signal: controller.signal };
    if (op === "preview") await stack.preview({ ...common, ...policy, diff: false });
    else if (op === "up") await stack.up({ ...common, ...policy });
    else if (op === "refresh") await stack.refresh({ ...common });
    else await stack.destroy({ ...common });
    return result();
  } catch (e) {
    return result(errorLines(e));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The stack outputs as JSON text, secret values masked. */
export async function maskedOutputs(stack: DriverStack): Promise<string> {
  const outputs = await stack.outputs();
  const shown = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : (v.value as unknown)]));
  return JSON.stringify(shown, null, 2);
}
