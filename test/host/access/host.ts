/**
 * Small helpers for the access host tests: find a tool or fail saying which Debian package
 * brings it, run commands (in a network namespace or not), and remember every namespace,
 * process and file so one cleanup removes them all, even after a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The tool each test needs and the Debian package that installs it. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  "cloud-init": "cloud-init",
  sshd: "openssh-server",
  "ssh-keygen": "openssh-client",
  nft: "nftables",
  wg: "wireguard-tools",
  "wg-quick": "wireguard-tools",
  "wireguard-go": "wireguard-go",
  ip: "iproute2",
  ss: "iproute2",
  nc: "netcat-openbsd",
  sysctl: "procps",
};

const SEARCH = [...(process.env["PATH"] ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/local/sbin"].filter((d) => d !== "");

/** The absolute path of a tool, or an Error naming the package to install. */
export function which(tool: string): string {
  for (const dir of SEARCH) {
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  const pkg = TOOL_PACKAGES[tool] ?? tool;
  throw new Error(`host test needs \`${tool}\`, which is not installed: apt-get install ${pkg} (it is in .ci/run's package list)`);
}

/** Fails (never skips) unless every tool is present; returns their paths. */
export function requireTools(...tools: string[]): Record<string, string> {
  const missing: string[] = [];
  const found: Record<string, string> = {};
  for (const t of tools) {
    try {
      found[t] = which(t);
    } catch (e) {
      missing.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (missing.length > 0) throw new Error(missing.join("\n"));
  return found;
}

/** Fails unless the test runs as root (namespaces and nftables need it). */
export function requireRoot(): void {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error("host test needs root: network namespaces, nftables and sshd -t require it (CI runs as root)");
  }
}

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded by `timeoutMs`). */
export function run(cmd: string, args: readonly string[], timeoutMs = 10000): Result {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs });
  if (r.error !== undefined) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command and throws with its output unless it exits 0. */
export function must(cmd: string, args: readonly string[], timeoutMs = 10000): string {
  const r = run(cmd, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${String(r.code)}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Runs a command asynchronously; resolves with its exit code and output. */
export function runAsync(cmd: string, args: readonly string[], timeoutMs = 10000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Waits until `check` holds, polling every 50 ms, or throws `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything a test creates, removed by {@link Sandbox.cleanup} in reverse order. */
export class Sandbox {
  readonly dir: string;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly files: string[] = [];
  private readonly dirs: string[] = [];

  constructor(prefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  }

  /** Writes a file in the temporary directory and returns its path. */
  write(name: string, content: string, mode = 0o600): string {
    const p = path.join(this.dir, name);
    fs.writeFileSync(p, content, { mode });
    return p;
  }

  /** Registers a file or directory outside the temporary directory for removal. */
  track(file: string, kind: "file" | "dir" = "file"): void {
    (kind === "file" ? this.files : this.dirs).push(file);
  }

  /** Creates a network namespace with loopback up. */
  netns(name: string): string {
    must("ip", ["netns", "add", name]);
    this.namespaces.push(name);
    must("ip", ["-n", name, "link", "set", "lo", "up"]);
    return name;
  }

  /** Runs a command inside a namespace to completion. */
  exec(ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Result {
    return run("ip", ["netns", "exec", ns, cmd, ...args], timeoutMs);
  }

  /** Like {@link exec} but throws unless the command exits 0. */
  mustExec(ns: string, cmd: string, args: readonly string[]): string {
    return must("ip", ["netns", "exec", ns, cmd, ...args]);
  }

  /** Runs a command inside a namespace asynchronously. */
  execAsync(ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Promise<Result> {
    return runAsync("ip", ["netns", "exec", ns, cmd, ...args], timeoutMs);
  }

  /** Starts a long-running process inside a namespace; it is killed at cleanup. */
  daemon(ns: string, cmd: string, args: readonly string[]): ChildProcess {
    const child = spawn("ip", ["netns", "exec", ns, cmd, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.resume();
    child.stderr?.resume();
    this.children.push(child);
    return child;
  }

  /** Kills every process, deletes every namespace (and the links in it) and every file. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    for (const child of this.children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(timer);
    }
    for (const ns of this.namespaces.reverse()) {
      const r = run("ip", ["netns", "del", ns]);
      if (r.code !== 0) problems.push(`ip netns del ${ns}: ${r.stderr.trim()}`);
    }
    for (const f of this.files) fs.rmSync(f, { force: true });
    for (const d of this.dirs) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty: something else uses it, leave it
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }
}
