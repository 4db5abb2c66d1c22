/**
 * Packs the publishable packages with `pnpm pack` (which replaces `workspace:*` and
 * `catalog:` with real versions, as `pnpm publish` does) and checks every tarball.
 *
 *   pnpm pack:all [--out <dir>] [--no-build] [@pfv5/name ...]
 *
 * Without names it packs every package; with names, those and the workspace packages they
 * depend on. Exits 1 listing every problem of every tarball.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkTarball } from "./lib/tarball-checks";
import {
  ROOT,
  capture,
  publishablePackages,
  readJson,
  run,
  stopwatch,
  withWorkspaceDependencies,
  type Manifest,
  type WorkspacePackage,
} from "./lib/workspace";

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** Absolute path of the tarball. */
  readonly tarball: string;
  readonly fileCount: number;
  readonly problems: readonly string[];
}

interface PnpmPackJson {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Builds the packages' projects (`tsc -b`, incremental), so their output matches the sources. */
export function buildPackages(packages: readonly WorkspacePackage[]): void {
  run("pnpm", ["exec", "tsc", "-b", ...packages.map((p) => p.dir)], ROOT);
}

/** The packages `names` select (with their workspace dependencies), or every package. */
export function selectPackages(names: readonly string[] = []): WorkspacePackage[] {
  const all = publishablePackages();
  return names.length === 0 ? all : withWorkspaceDependencies(names, all);
}

/** Packs one package into `out` and checks the tarball. */
export function packOne(pkg: WorkspacePackage, out: string, versions: ReadonlyMap<string, string>): PackedPackage {
  const json = JSON.parse(capture("pnpm", ["pack", "--json", "--pack-destination", out], path.join(ROOT, pkg.dir))) as PnpmPackJson;
  const unpacked = mkdtempSync(path.join(tmpdir(), "pfv5-unpacked-"));
  try {
    capture("tar", ["-xzf", json.filename, "-C", unpacked], ROOT);
    const root = path.join(unpacked, "package");
    const problems = checkTarball({
      manifest: readJson<Manifest>(path.join(root, "package.json")),
      files: json.files.map((f) => f.path),
      read: (file) => readFileSync(path.join(root, file), "utf8"),
      workspaceVersions: versions,
    });
    return { name: json.name, version: json.version, dir: pkg.dir, tarball: json.filename, fileCount: json.files.length, problems };
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

/** Packs the chosen packages into `out` and checks each tarball. */
export function packPackages(out: string, chosen: readonly WorkspacePackage[]): PackedPackage[] {
  const versions = new Map(publishablePackages().map((p) => [p.manifest.name, p.manifest.version]));
  mkdirSync(out, { recursive: true });
  return chosen.map((pkg) => packOne(pkg, out, versions));
}

/** The problems of all tarballs, each prefixed with its package. */
export function packProblems(packed: readonly PackedPackage[]): string[] {
  return packed.flatMap((p) => p.problems.map((problem) => `${p.name} (${p.dir}): ${problem}`));
}

function main(argv: readonly string[]): number {
  let out: string | undefined;
  let build = true;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    if (arg === "--out") out = path.resolve(argv[++i] ?? "");
    else if (arg === "--no-build") build = false;
    else if (arg.startsWith("@pfv5/")) names.push(arg);
    else {
      process.stderr.write(`unknown argument "${arg}": use --out <dir>, --no-build and package names such as @pfv5/network\n`);
      return 2;
    }
  }
  const time = stopwatch();
  const chosen = selectPackages(names);
  if (build) buildPackages(chosen);
  const dest = out ?? mkdtempSync(path.join(tmpdir(), "pfv5-packs-"));
  const packed = packPackages(dest, chosen);
  for (const p of packed) {
    process.stdout.write(`${p.problems.length === 0 ? "ok  " : "FAIL"} ${p.name}@${p.version}  ${p.fileCount} files  ${path.basename(p.tarball)}\n`);
  }
  const problems = packProblems(packed);
  process.stdout.write(`\n${packed.length} tarballs in ${dest} (${time()})\n`);
  if (problems.length > 0) {
    process.stderr.write(`\n${problems.length} problem(s) with the packed packages:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
