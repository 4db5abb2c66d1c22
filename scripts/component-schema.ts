/**
 * Probes how far each component is from being served to other Pulumi languages as a
 * source-based component package (see docs/multi-language.md). For every package under
 * packages/ it finds the exported ComponentResource classes the way the Node.js language
 * host does, then runs the SDK's schema analyzer on each, the step `pulumi package add`
 * runs first, and reports the schema's size or the first construct the analyzer refuses.
 *
 *   pnpm schema:probe [network firewall ...]
 *
 * Slow (the analyzer builds a full program per component, a minute or two in all) and
 * expected to fail until the work in docs/multi-language.md is done, so CI does not run it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { documentedPackages } from "./lib/api-docs";
import { ROOT, stopwatch } from "./lib/workspace";

export interface ProbeResult {
  readonly pkg: string;
  readonly component: string;
  /** The analyzer's first refusal, when it refused. */
  readonly error?: string;
  readonly inputs?: number;
  readonly outputs?: number;
}

/** Runs the analyzer on each exported component of one package directory. */
export async function probePackage(dir: string): Promise<ProbeResult[]> {
  const absolute = path.join(ROOT, dir);
  const manifest = JSON.parse(readFileSync(path.join(absolute, "package.json"), "utf8")) as Record<string, unknown> & { name: string };
  const exported: unknown = await import(path.join(absolute, "src", "index.ts"));
  const components = getPulumiComponents(exported).map((c) => c.name);
  const provider = manifest.name.replace(/^@[^/]+\//, "");
  return components.map((component) => {
    try {
      const result = new Analyzer(absolute, provider, manifest, new Set([component])).analyze();
      const definition = result.components[component];
      return { pkg: manifest.name, component, inputs: Object.keys(definition?.inputs ?? {}).length, outputs: Object.keys(definition?.outputs ?? {}).length };
    } catch (error) {
      return { pkg: manifest.name, component, error: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
    }
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const time = stopwatch();
  const packages = documentedPackages().filter((p) => argv.length === 0 || argv.includes(path.basename(p.dir)));
  const results: ProbeResult[] = [];
  for (const p of packages) {
    for (const r of await probePackage(p.dir)) {
      results.push(r);
      process.stdout.write(
        r.error === undefined ? `ok    ${r.pkg} ${r.component}: ${r.inputs} inputs, ${r.outputs} outputs\n` : `FAIL  ${r.pkg} ${r.component}: ${r.error}\n`,
      );
    }
  }
  const failed = results.filter((r) => r.error !== undefined).length;
  process.stdout.write(`\n${results.length - failed} of ${results.length} components have a schema (${time()})\n`);
  return failed === 0 ? 0 : 1;
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
