/**
 * The workspace as the release scripts see it: the publishable packages (every package.json
 * under the workspace globs that is not private), the pnpm catalog, and small process helpers.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The repository root (this file lives in scripts/lib). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The dependency fields of a manifest that name other packages. */
export const DEPENDENCY_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"] as const;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

export type ExportTarget = string | { readonly [condition: string]: ExportTarget };

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly main?: string;
  readonly types?: string;
  readonly bin?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, ExportTarget>>;
  readonly files?: readonly string[];
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  /** Directory relative to the root, e.g. `packages/network`. */
  readonly dir: string;
  readonly manifest: Manifest;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

interface WorkspaceFile {
  readonly packages?: readonly string[];
  readonly catalog?: Readonly<Record<string, string>>;
}

function workspaceFile(): WorkspaceFile {
  return parse(readFileSync(path.join(ROOT, "pnpm-workspace.yaml"), "utf8")) as WorkspaceFile;
}

/** The default catalog of pnpm-workspace.yaml: package name to exact version. */
export function catalog(): Readonly<Record<string, string>> {
  return workspaceFile().catalog ?? {};
}

/**
 * Every publishable package of the workspace, sorted by directory. The workspace globs
 * here are all of the form `<dir>/*`, which is all this needs to expand.
 */
export function publishablePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const glob of workspaceFile().packages ?? []) {
    if (!glob.endsWith("/*") || glob.slice(0, -2).includes("*")) {
      throw new Error(`pnpm-workspace.yaml: package glob "${glob}" is not of the form <dir>/*; extend scripts/lib/workspace.ts`);
    }
    const parent = glob.slice(0, -2);
    for (const entry of readdirSync(path.join(ROOT, parent), { withFileTypes: true })) {
      const dir = `${parent}/${entry.name}`;
      const file = path.join(ROOT, dir, "package.json");
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const manifest = readJson<Manifest>(file);
      if (manifest.private !== true) found.push({ dir, manifest });
    }
  }
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The `@pfv5/*` packages `names` depend on at run time, transitively, including themselves. */
export function withWorkspaceDependencies(names: readonly string[], all: readonly WorkspacePackage[]): WorkspacePackage[] {
  const byName = new Map(all.map((p) => [p.manifest.name, p]));
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    const pkg = byName.get(name);
    if (pkg === undefined) throw new Error(`"${name}" is not a publishable package of the workspace`);
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies })) {
      if (byName.has(dep)) visit(dep);
    }
  };
  names.forEach(visit);
  return all.filter((p) => wanted.has(p.manifest.name));
}

/** Runs a command, inheriting stdio; throws with the command line when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: env ?? process.env });
  if (result.error !== undefined) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${result.status ?? result.signal ?? "?"}`);
  }
}

/** Runs a command quietly; prints its output only when it fails, then throws. */
export function runQuiet(command: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${result.status ?? result.signal ?? "?"}`);
  }
}

/** Runs a command and returns its stdout; throws with its stderr when it fails. */
export function capture(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${typeof stderr === "string" ? stderr : String(error)}`);
  }
}

/** A stopwatch for the scripts' step timings. */
export function stopwatch(): () => string {
  const start = process.hrtime.bigint();
  return () => `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)}s`;
}
