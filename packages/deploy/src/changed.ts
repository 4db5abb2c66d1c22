/**
 * Which stacks a change touches, for CI's per-stack preview and deploy matrices. A stack
 * file touches its stack; program, component, policy or dependency changes touch every stack;
 * docs and tests touch none.
 */
import { execFileSync } from "node:child_process";
import { listStacks, readStackFile } from "./stack-file";

/** Paths that change what every stack deploys or how it is checked. */
const AFFECTS_ALL: readonly RegExp[] = [
  /^Pulumi\.ya?ml$/,
  /^stacks\//,
  /^packages\//,
  /^policy-packs\//,
  /^package\.json$/,
  /^pnpm-lock\.yaml$/,
  /^pnpm-workspace\.yaml$/,
  /^tsconfig(\.[a-z]+)?\.json$/,
  /^\.github\/workflows\/infra\.ya?ml$/,
];

/** Paths that never change a deployment, even inside the directories above. */
const AFFECTS_NONE: readonly RegExp[] = [/\.md$/, /\.test\.ts$/, /^test\//, /(^|\/)README/];

/** The stacks (from `stacks`, sorted) that the changed paths touch. */
export function stacksAffected(changedFiles: readonly string[], stacks: readonly string[]): string[] {
  const hit = new Set<string>();
  for (const file of changedFiles) {
    if (AFFECTS_NONE.some((r) => r.test(file))) continue;
    if (AFFECTS_ALL.some((r) => r.test(file))) return [...stacks].sort();
    const m = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
    if (m?.[1] !== undefined && stacks.includes(m[1])) hit.add(m[1]);
  }
  return [...hit].sort();
}

export interface ChangedStacks {
  readonly all: string[];
  /** Stacks whose up needs no approval (dev). */
  readonly unprotected: string[];
  /** Stacks behind the gate and the approval (prod, or unknown). */
  readonly protected: string[];
}

/** Splits stacks by whether the gate guards them (from their stack files). */
export function classify(workDir: string, stacks: readonly string[]): ChangedStacks {
  const files = stacks.map((s) => readStackFile(workDir, s));
  return {
    all: [...stacks],
    unprotected: files.filter((f) => !f.protected).map((f) => f.stack),
    protected: files.filter((f) => f.protected).map((f) => f.stack),
  };
}

/**
 * The stacks changed since `base` (a git revision). Without a base, or when git cannot diff
 * (a shallow clone, a first push), every stack counts as changed: previewing too much is
 * safe, skipping one is not. `only` names one stack instead (a manual run); an unknown
 * stack throws.
 */
export function changedStacks(workDir: string, base: string | undefined, only?: string): ChangedStacks {
  if (only !== undefined) return classify(workDir, [readStackFile(workDir, only).stack]);
  const stacks = listStacks(workDir);
  if (base === undefined || /^0+$/.test(base)) return classify(workDir, stacks);
  let files: string[];
  try {
    files = execFileSync("git", ["diff", "--name-only", base, "HEAD"], { cwd: workDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
      .split("\n")
      .filter((l) => l !== "");
  } catch {
    return classify(workDir, stacks);
  }
  return classify(workDir, stacksAffected(files, stacks));
}
