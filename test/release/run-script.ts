/** Runs one of the repository's scripts (scripts/*.ts) in a child process and collects its output. */
import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface ScriptResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `scripts/<script>` with tsx (and the source condition, as the root scripts do). */
export function runScript(script: string, args: readonly string[] = []): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@pfv5/source", path.join(REPO_ROOT, "scripts", script), ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
