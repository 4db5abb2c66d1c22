/** Running host tools from the TLS host tests: async (the upstream lives in this process). */
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with stdin closed (or fed `input`) and collects its output. */
export function run(cmd: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Without input stdin is not a pipe at all: a tool that exits at once (nginx -t on a
    // bad config) would otherwise make the write fail with EPIPE.
    const child = spawn(cmd, args, { stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin !== null) {
      // The exit code and stderr tell why a tool stopped reading; EPIPE adds nothing.
      child.stdin.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") reject(e);
      });
      child.stdin.end(options.input);
    }
  });
}

/** Fails with a clear message when a host tool the test needs is not installed. */
export function requireTools(tools: readonly string[], packages: string): void {
  const missing = tools.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(`host tools missing: ${missing.join(", ")}; install the Debian packages ${packages} (.ci/run does)`);
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, below the kernel's ephemeral range (32768 and
 * up on Linux), so outgoing connections of parallel tests cannot take it before nginx
 * binds it.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (await canBind(port)) return port;
  }
  throw new Error("no free port found between 20000 and 32000 on 127.0.0.1");
}

/** Resolves once something accepts connections on 127.0.0.1:port, or rejects after the timeout. */
export async function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
