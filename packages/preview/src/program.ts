/**
 * Runs a stack's program in a child process (the program host), as the engine runs a
 * program in its own process, and collects what it registered.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { cleanEnv, engineEnv, type ProjectInfo, type StackConfig } from "./config";
import type { HostMessage } from "./host";
import { outputLines } from "./lines";

/** How long a program may run before the preview gives up on it. */
export const PROGRAM_TIMEOUT_MS = 120_000;

/** Node arguments for TypeScript programs when Pulumi.yaml gives none. */
export const DEFAULT_NODE_ARGS: readonly string[] = ["--import=tsx", "--conditions=@pfv5/source"];

export interface ProgramRun {
  readonly message: HostMessage;
  /** What the program printed, line by line. */
  readonly output: readonly string[];
}

/** The host runs as TypeScript from the sources and as JavaScript once built. */
function hostPath(): string {
  return path.join(__dirname, `host${path.extname(__filename)}`);
}

/** The Node arguments the engine would use, plus tsx when the host itself is TypeScript. */
export function nodeArgsFor(project: ProjectInfo): string[] {
  const args = project.nodeArgs.length > 0 ? [...project.nodeArgs] : [...DEFAULT_NODE_ARGS];
  const importsTsx = args.some((a, i) => a === "--import=tsx" || (a === "--import" && args[i + 1] === "tsx"));
  if (path.extname(__filename) === ".ts" && !importsTsx) args.unshift("--import=tsx");
  return args;
}

export function runProgram(project: ProjectInfo, stack: string, config: StackConfig): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    let message: HostMessage | undefined;
    const child = fork(hostPath(), [project.main], {
      cwd: project.dir,
      env: { ...cleanEnv(process.env), ...engineEnv(project, stack, config) },
      execArgv: nodeArgsFor(project),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
    });
    const collect = (chunk: Buffer): void => {
      output.push(...outputLines(chunk.toString("utf8")));
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the program did not finish within ${PROGRAM_TIMEOUT_MS / 1000} s`));
    }, PROGRAM_TIMEOUT_MS);
    child.on("message", (m) => {
      message = m as HostMessage;
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (message !== undefined) {
        resolve({ message, output });
        return;
      }
      const tail = output.slice(-20).join("\n");
      resolve({
        message: {
          kind: "error",
          errorKind: "program",
          message: `the program exited (${signal ?? `code ${String(code)}`}) before reporting its resources` +
            (tail !== "" ? `:\n${tail}` : ""),
          resources: [],
        },
        output,
      });
    });
  });
}
