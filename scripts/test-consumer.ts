/**
 * Proves the packages work as published: packs the ones examples/consumer depends on (and
 * their workspace dependencies), installs the tarballs into a temporary copy of the example
 * outside the workspace, type-checks it strictly against the packed declarations, and runs
 * its own specs under its own mocks.
 *
 *   pnpm test:consumer [--no-build] [--keep]
 *
 * The Pulumi SDKs come from the registry at the catalog's versions (pnpm's store makes that
 * quick after the workspace install); no install script runs.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildPackages, packPackages, packProblems, selectPackages } from "./pack";
import { ROOT, capture, catalog, readJson, run, runQuiet, stopwatch, type Manifest } from "./lib/workspace";

export const CONSUMER_DIR = path.join(ROOT, "examples", "consumer");

/** Problems with the example's own manifest: every third-party version must be the catalog's. */
export function checkConsumerManifest(manifest: Manifest, versions: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const field of ["dependencies", "devDependencies"] as const) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (dep.startsWith("@pfv5/")) continue;
      const want = versions[dep];
      if (want === undefined) problems.push(`examples/consumer/package.json ${field}["${dep}"] is not in the pnpm catalog: add it there, so the example tests what the workspace uses`);
      else if (range !== want) problems.push(`examples/consumer/package.json ${field}["${dep}"] is "${range}" but the catalog has ${want}: use ${want}`);
    }
  }
  return problems;
}

/** The example's manifest with our packages (direct and transitive) taken from the tarballs. */
export function withTarballs(manifest: Manifest, tarballs: ReadonlyMap<string, string>): Record<string, unknown> {
  const dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies ?? {}).map(([dep, range]) => {
      const tarball = tarballs.get(dep);
      return [dep, tarball !== undefined ? `file:${tarball}` : range];
    }),
  );
  const overrides = Object.fromEntries([...tarballs].map(([name, tarball]) => [name, `file:${tarball}`]));
  return { ...manifest, dependencies, pnpm: { overrides } };
}

/** The direct @pfv5 dependencies whose published declarations (dist/index.d.ts) the program did not read. */
export function declarationsMissing(listedFiles: string, packages: readonly string[]): string[] {
  const files = listedFiles.split("\n");
  return packages.filter((name) => !files.some((f) => f.endsWith(`node_modules/${name}/dist/index.d.ts`)));
}

/** Files of the program the compiler read from our packages' sources instead of their declarations. */
export function sourcesInProgram(listedFiles: string): string[] {
  return listedFiles.split("\n").filter((f) => /node_modules\/(\.pnpm\/.*\/)?@pfv5\/[^/]+\/src\//.test(f));
}

function main(argv: readonly string[]): number {
  const build = !argv.includes("--no-build");
  const keep = argv.includes("--keep");
  const total = stopwatch();
  const step = (what: string): (() => void) => {
    const t = stopwatch();
    process.stdout.write(`\n== ${what}\n`);
    return () => process.stdout.write(`   ${what}: ${t()}\n`);
  };

  const manifest = readJson<Manifest>(path.join(CONSUMER_DIR, "package.json"));
  const manifestProblems = checkConsumerManifest(manifest, catalog());
  if (manifestProblems.length > 0) {
    process.stderr.write(`examples/consumer is out of step with the workspace:\n${manifestProblems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 1;
  }

  const work = mkdtempSync(path.join(tmpdir(), "pfv5-consumer-"));
  try {
    const chosen = selectPackages(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@pfv5/")));
    if (build) {
      const done = step(`build ${chosen.map((p) => p.manifest.name).join(", ")}`);
      buildPackages(chosen);
      done();
    }
    let done = step("pack");
    const packed = packPackages(path.join(work, "artifacts"), chosen);
    const problems = packProblems(packed);
    if (problems.length > 0) {
      process.stderr.write(`the packed packages are not publishable:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return 1;
    }
    done();

    done = step("install the tarballs into a copy of examples/consumer");
    const app = path.join(work, "consumer");
    cpSync(CONSUMER_DIR, app, { recursive: true, filter: (src) => !/[/\\](node_modules|bin)$/.test(src) });
    const tarballs = new Map(packed.map((p) => [p.name, p.tarball]));
    writeFileSync(path.join(app, "package.json"), `${JSON.stringify(withTarballs(manifest, tarballs), null, 2)}\n`);
    // Outside any workspace; from the store when it can be; provider install scripts stay off.
    runQuiet("pnpm", ["install", "--ignore-workspace", "--prefer-offline", "--ignore-scripts", "--reporter=append-only", "--no-lockfile"], app);
    done();

    done = step("type-check strictly against the packed declarations");
    const listed = capture("pnpm", ["exec", "tsc", "-p", ".", "--listFiles"], app);
    const fromSources = sourcesInProgram(listed);
    const unread = declarationsMissing(listed, [...tarballs.keys()].filter((name) => manifest.dependencies?.[name] !== undefined));
    if (fromSources.length > 0 || unread.length > 0) {
      process.stderr.write(
        `the example was not checked against the published declarations:\n${[
          ...fromSources.map((f) => `  - compiled a source file: ${f}`),
          ...unread.map((name) => `  - never read ${name}/dist/index.d.ts`),
        ].join("\n")}\n`,
      );
      return 1;
    }
    done();

    done = step("run the example's specs");
    run("pnpm", ["exec", "mocha"], app);
    done();
    process.stdout.write(`\nexamples/consumer passed against ${packed.map((p) => `${p.name}@${p.version}`).join(", ")} in ${total()}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    if (keep) process.stdout.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
