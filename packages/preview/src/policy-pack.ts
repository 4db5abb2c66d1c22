/**
 * Starts a policy pack the way `pulumi preview --policy-pack <dir>` does. The CLI's
 * `pulumi-analyzer-policy` plugin resolves `@pulumi/pulumi/cmd/run-policy-pack` from the
 * pack's own node_modules and runs it with node, in the pack's directory, with the engine
 * address and the program path "." as arguments and the stack's config, project, stack and
 * dry-run flag in the environment. The pack serves the Analyzer gRPC service and prints its
 * port on stdout; everything it prints after that is log output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { outputLines, stripAnsi } from "./lines";

/** How long a pack may take to print its port. */
export const PACK_START_TIMEOUT_MS = 60_000;

/**
 * run-policy-pack drops its first argument (it never dials the engine); the CLI passes its
 * own address there. No engine listens offline, so this placeholder stands in for it.
 */
const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";

/** How many lines of a failing pack's stderr the message keeps. */
const STDERR_LINES = 12;

/** A pack that could not be started; its message is shown and the run exits 2. */
export class PolicyPackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackError";
  }
}

export interface RunningPack {
  readonly dir: string;
  readonly port: number;
  /** Lines the pack printed after its port (its logs). */
  readonly output: string[];
  /** Stops the pack's process, as the CLI does when the preview ends. */
  stop(): Promise<void>;
}

/** Checks the pack directory as the CLI does before starting it. */
export function checkPackDir(dir: string): void {
  const manifest = path.join(dir, "PulumiPolicy.yaml");
  if (!fs.existsSync(dir)) throw new PolicyPackError(`policy pack directory ${dir} does not exist`);
  if (!fs.existsSync(manifest)) {
    throw new PolicyPackError(`${dir} is not a policy pack: it has no PulumiPolicy.yaml`);
  }
  const doc = parseYaml(fs.readFileSync(manifest, "utf8")) as unknown;
  const runtime = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["runtime"] : undefined;
  const name = typeof runtime === "object" && runtime !== null ? (runtime as Record<string, unknown>)["name"] : runtime;
  if (name !== "nodejs") {
    throw new PolicyPackError(`${manifest}: runtime ${JSON.stringify(name)} is not supported offline: use runtime: nodejs`);
  }
}

/** The run-policy-pack script, resolved from the pack's directory as the plugin resolves it. */
function runScript(dir: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
  } catch {
    throw new PolicyPackError(
      `it looks like the policy pack's dependencies are not installed: @pulumi/pulumi is not resolvable from ${dir}; run pnpm install`,
    );
  }
}

export function startPolicyPack(dir: string, env: Record<string, string>): Promise<RunningPack> {
  checkPackDir(dir);
  const script = runScript(dir);
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [script, ENGINE_ADDRESS_PLACEHOLDER, "."], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const stderr: string[] = [];
    let pending = "";
    let port: number | undefined;
    let exited = false;
    const exit = new Promise<void>((done) => child.on("exit", () => done()));

    const stop = async (): Promise<void> => {
      if (!exited) child.kill("SIGTERM");
      await exit;
    };
    const fail = (why: string): void => {
      clearTimeout(timer);
      const detail = stderr.slice(0, STDERR_LINES).join("\n").trim();
      reject(new PolicyPackError(`policy pack ${dir} failed to start: ${why}${detail !== "" ? `\n${detail}` : ""}`));
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(`it printed no port within ${PACK_START_TIMEOUT_MS / 1000} s`);
    }, PACK_START_TIMEOUT_MS);

    child.stdout?.on("data", (chunk: Buffer) => {
      pending += stripAnsi(chunk.toString("utf8"));
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (port === undefined) {
          const n = Number(line.trim());
          if (Number.isInteger(n) && n > 0 && n < 65536) {
            port = n;
            clearTimeout(timer);
            resolve({ dir, port, output, stop });
            continue;
          }
        }
        if (line.trim() !== "") output.push(line);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      for (const line of outputLines(chunk.toString("utf8"))) {
        if (port === undefined) stderr.push(line);
        else output.push(line);
      }
    });
    child.on("error", (e) => fail(e.message));
    child.on("exit", (code, signal) => {
      exited = true;
      if (port === undefined) fail(`it exited (${signal ?? `code ${String(code)}`}) before printing its port`);
    });
  });
}
