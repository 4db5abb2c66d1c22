/**
 * The program host: the child process in which a stack's program runs, as the engine runs
 * a program in its own process. It connects the SDK to the preview monitor instead of an
 * engine, runs the program inside the root `pulumi:pulumi:Stack` resource as the SDK's
 * `cmd/run` does, waits for every registration, and sends what the monitor recorded to the
 * parent over the IPC channel.
 *
 * Settings arrive as the engine sets them: PULUMI_NODEJS_PROJECT, _STACK, _DRY_RUN and
 * _ORGANIZATION, PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS. The program path is argv[2].
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { PreviewMonitor } from "./monitor";
import type { PropertyMap, RecordedResource } from "./types";

/** What the host sends back. */
export type HostMessage =
  | {
      readonly kind: "result";
      readonly resources: readonly RecordedResource[];
      readonly defaultProviders: readonly RecordedResource[];
      readonly outputs: PropertyMap;
    }
  | {
      readonly kind: "error";
      /** `config` for errors written for the user (validation, config), else `program`. */
      readonly errorKind: "config" | "program";
      readonly message: string;
      readonly resources: readonly RecordedResource[];
    };

/** Error names whose message is written for the user: no stack trace is shown for them. */
const USER_ERRORS = new Set(["ValidationError", "ConfigError", "ConfigMissingError", "ConfigTypeError", "ConfigRangeError", "ConfigPatternError", "ConfigEnumError"]);

function describe(err: unknown, program: string): { errorKind: "config" | "program"; message: string } {
  if (!(err instanceof Error)) return { errorKind: "program", message: `the program threw ${String(err)}` };
  const e: Error = err;
  // The SDK's type guards would narrow `e` away (both classes look like Error): ask plainly.
  const isRunError = (x: unknown): boolean => pulumi.RunError.isInstance(x);
  const hidesStack = (x: unknown): boolean => pulumi.ResourceError.isInstance(x) && x.hideStack === true;
  if (USER_ERRORS.has(e.name) || isRunError(e)) return { errorKind: "config", message: e.message };
  if (hidesStack(e)) return { errorKind: "program", message: e.message };
  // Keep the frames that point into the project, not into node, the SDK or this host.
  const frames = (e.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:") && !l.includes(__dirname))
    .slice(0, 5);
  return {
    errorKind: "program",
    message: [`running program '${program}' failed: ${e.message}`, ...frames].join("\n"),
  };
}

/** Sends the message, then exits: timers the program left behind must not hold the run. */
function finish(message: HostMessage): void {
  process.send?.(message, undefined, {}, () => process.exit(0));
}

async function main(): Promise<void> {
  const program = process.argv[2];
  const project = process.env["PULUMI_NODEJS_PROJECT"] ?? "project";
  const stack = process.env["PULUMI_NODEJS_STACK"] ?? "stack";
  const organization = process.env["PULUMI_NODEJS_ORGANIZATION"] ?? "organization";
  const engineConfig = JSON.parse(process.env["PULUMI_CONFIG"] ?? "{}") as Record<string, string>;
  if (program === undefined) throw new Error("usage: host <program>");

  const monitor = new PreviewMonitor(stack, project, engineConfig);
  pulumi.runtime.setMockOptions(monitor, project, stack, true, organization);

  // As in cmd/run: any error, even one in a stray promise, fails the program.
  const errors: unknown[] = [];
  process.on("unhandledRejection", (e) => errors.push(e));
  process.on("uncaughtException", (e) => errors.push(e));

  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      const exported: unknown = createRequire(program)(program);
      const result: unknown = typeof exported === "function" ? (exported as () => unknown)() : exported;
      return (await result) as pulumi.Inputs | undefined;
    });
    await pulumi.runtime.disconnect();
  } catch (e) {
    errors.unshift(e);
  }
  if (errors.length === 0 && pulumi.log.hasErrors()) {
    errors.push(new pulumi.RunError("the program logged errors (see the diagnostics above)"));
  }

  const stackEntry = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  const message: HostMessage =
    errors.length > 0
      ? { kind: "error", ...describe(errors[0], program), resources: monitor.recorded }
      : {
          kind: "result",
          resources: monitor.recorded,
          defaultProviders: monitor.defaultProviders,
          outputs: stackEntry?.outputs ?? {},
        };
  finish(message);
}

main().catch((e: unknown) => {
  finish({ kind: "error", errorKind: "program", message: `the preview host failed: ${String(e)}`, resources: [] });
});
