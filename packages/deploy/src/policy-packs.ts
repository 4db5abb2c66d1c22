/**
 * The policy packs every preview and update runs with. The engine pairs `policyPacks[i]`
 * with `policyPackConfigs[i]` and rejects lists of different lengths, so both come from one
 * list here: either no pack has a configuration (no configs passed) or every pack gets a
 * file, an empty one where it has nothing to configure.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The packs, by directory under `policy-packs/`. Each runs on every stack: a policy that
 * does not apply to a resource type simply never fires. */
export const POLICY_PACK_NAMES: readonly string[] = ["security-zones", "kubernetes-zones"];

export interface PolicyPackRef {
  /** The directory name, e.g. `security-zones`. */
  readonly name: string;
  /** Absolute path of the pack (the directory holding PulumiPolicy.yaml). */
  readonly dir: string;
  /** Absolute path of a JSON policy configuration for this run, if the pack has one. */
  readonly configFile?: string;
}

export interface PolicyPackOptions {
  readonly policyPacks: string[];
  readonly policyPackConfigs: string[];
  /** Empty configuration files the caller must write before the run. */
  readonly filesToWrite: readonly { readonly path: string; readonly content: string }[];
}

/**
 * Builds `policyPacks` and `policyPackConfigs` from one list. `scratchDir` receives the
 * empty configuration of each pack that has none when another pack has one.
 */
export function policyPackOptions(packs: readonly PolicyPackRef[], scratchDir: string): PolicyPackOptions {
  const names = packs.map((p) => p.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`policy pack "${dup}" is listed twice: list each pack once`);
  const policyPacks = packs.map((p) => p.dir);
  if (packs.every((p) => p.configFile === undefined)) return { policyPacks, policyPackConfigs: [], filesToWrite: [] };
  const filesToWrite: { path: string; content: string }[] = [];
  const policyPackConfigs = packs.map((p) => {
    if (p.configFile !== undefined) return p.configFile;
    const file = path.join(scratchDir, `${p.name}.policy-config.json`);
    filesToWrite.push({ path: file, content: "{}\n" });
    return file;
  });
  return { policyPacks, policyPackConfigs, filesToWrite };
}

/**
 * The packs under `policyRoot` with their configuration for `environment`: by convention
 * `<pack>/config/<environment>.json`, when that file exists.
 */
export function resolvePolicyPacks(policyRoot: string, environment: string, names: readonly string[] = POLICY_PACK_NAMES): PolicyPackRef[] {
  return names.map((name) => {
    const dir = path.join(policyRoot, name);
    const configFile = path.join(dir, "config", `${environment}.json`);
    return fs.existsSync(configFile) ? { name, dir, configFile } : { name, dir };
  });
}

/**
 * Problems that would make the engine fail to load a pack, each with the fix: a missing
 * directory or PulumiPolicy.yaml, or an unbuilt entry point.
 */
export function checkPolicyPacks(packs: readonly PolicyPackRef[]): string[] {
  const problems: string[] = [];
  for (const p of packs) {
    if (!fs.existsSync(path.join(p.dir, "PulumiPolicy.yaml"))) {
      problems.push(`policy pack "${p.name}" has no PulumiPolicy.yaml in ${p.dir}: every preview and update runs it, so it must exist`);
      continue;
    }
    let main = "index.js";
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(p.dir, "package.json"), "utf8")) as { main?: unknown };
      if (typeof pkg.main === "string") main = pkg.main;
    } catch {
      problems.push(`policy pack "${p.name}" has no readable package.json in ${p.dir}`);
      continue;
    }
    if (!fs.existsSync(path.join(p.dir, main))) {
      problems.push(`policy pack "${p.name}" is not built (${path.join(p.dir, main)} is missing): run \`pnpm build\` first`);
    }
  }
  return problems;
}
