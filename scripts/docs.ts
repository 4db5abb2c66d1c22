/**
 * The generated documentation: the API reference in docs/api (TypeDoc, Markdown), the
 * argument tables in the package READMEs, and each policy pack's catalogue (written by the
 * pack's own `src/catalogue.ts` from its policies' metadata).
 *
 *   pnpm docs          regenerate all of it
 *   pnpm docs:check    regenerate into a temporary directory and fail when the committed
 *                      files differ ("docs/api is stale: run pnpm docs")
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { argsTables, documentedPackages, fillReadme, generateApiDocs } from "./lib/api-docs";
import { ROOT, stopwatch } from "./lib/workspace";

export const API_DIR = path.join(ROOT, "docs", "api");

/** One generated file: where it lives and what it should contain. */
export interface GeneratedFile {
  readonly file: string;
  readonly text: string;
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** The files that differ between two directories: added, removed or changed. */
export function diffDirs(expected: string, actual: string): string[] {
  const want = listFiles(expected);
  const have = listFiles(actual);
  const changes: string[] = [];
  for (const f of want) {
    if (!have.includes(f)) changes.push(`missing ${f}`);
    else if (readFileSync(path.join(expected, f), "utf8") !== readFileSync(path.join(actual, f), "utf8")) changes.push(`changed ${f}`);
  }
  for (const f of have) if (!want.includes(f)) changes.push(`not generated ${f}`);
  return changes;
}

interface Catalogue {
  readonly CATALOGUE_PATH: string;
  renderCatalogue(): string;
}

function isCatalogue(value: unknown): value is Catalogue {
  const v = value as Partial<Catalogue> | null;
  return typeof v?.CATALOGUE_PATH === "string" && typeof v.renderCatalogue === "function";
}

/** Each policy pack's catalogue, rendered by the pack's own `src/catalogue.ts`. */
export async function catalogues(): Promise<GeneratedFile[]> {
  const packs = path.join(ROOT, "policy-packs");
  const files = readdirSync(packs)
    .map((pack) => path.join(packs, pack, "src", "catalogue.ts"))
    .filter((file) => existsSync(file));
  const generated: GeneratedFile[] = [];
  for (const file of files) {
    // A CommonJS module comes back as its namespace, with module.exports as `default`.
    const ns = (await import(file)) as { default?: unknown };
    const mod = isCatalogue(ns) ? ns : ns.default;
    if (!isCatalogue(mod)) {
      throw new Error(`${path.relative(ROOT, file)} must export CATALOGUE_PATH and renderCatalogue(): the docs check calls them`);
    }
    generated.push({ file: mod.CATALOGUE_PATH, text: mod.renderCatalogue() });
  }
  return generated;
}

/** The package READMEs with their argument tables refilled; fails on a marker naming no component. */
export function readmes(tables: ReadonlyMap<string, ReadonlyMap<string, string>>): GeneratedFile[] {
  const problems: string[] = [];
  const files: GeneratedFile[] = [];
  for (const pkg of documentedPackages()) {
    const file = path.join(ROOT, pkg.dir, "README.md");
    if (!existsSync(file)) continue;
    const { text, unknown } = fillReadme(readFileSync(file, "utf8"), tables.get(pkg.name) ?? new Map());
    problems.push(...unknown.map((name) => `${pkg.dir}/README.md: <!-- args:${name} --> names no component of ${pkg.name}`));
    files.push({ file, text });
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return files;
}

/** Generates everything into `apiOut`; returns the other generated files without writing them. */
export async function generate(apiOut: string): Promise<GeneratedFile[]> {
  rmSync(apiOut, { recursive: true, force: true });
  const docs = await generateApiDocs(apiOut);
  return [...readmes(argsTables(docs)), ...(await catalogues())];
}

/** What is stale: files under docs/api and generated files elsewhere that differ. */
export async function staleFiles(): Promise<string[]> {
  const scratch = mkdtempSync(path.join(tmpdir(), "pfv5-docs-"));
  try {
    const others = await generate(scratch);
    const stale = diffDirs(scratch, API_DIR).map((change) => change.replace(/ /, " docs/api/"));
    for (const g of others) {
      const current = existsSync(g.file) ? readFileSync(g.file, "utf8") : undefined;
      if (current !== g.text) stale.push(`${current === undefined ? "missing" : "changed"} ${path.relative(ROOT, g.file)}`);
    }
    return stale;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The message of a failed check, naming every stale file. */
export function staleMessage(stale: readonly string[]): string {
  return `docs/api is stale: run pnpm docs\n${stale.map((s) => `  - ${s}`).join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const time = stopwatch();
  if (argv.includes("--check")) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      process.stderr.write(staleMessage(stale));
      return 1;
    }
    process.stdout.write(`docs are current (${time()})\n`);
    return 0;
  }
  const others = await generate(API_DIR);
  for (const g of others) {
    const current = existsSync(g.file) ? readFileSync(g.file, "utf8") : undefined;
    if (current !== g.text) writeFileSync(g.file, g.text);
  }
  process.stdout.write(`wrote docs/api (${listFiles(API_DIR).length} files), ${others.length} READMEs and catalogues (${time()})\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
