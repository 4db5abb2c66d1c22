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

/** Thrown when the changed stacks cannot be told: an unknown revision, or git failing. */
export class ChangedStacksError extends Error {
  override name = "ChangedStacksError";
}

function git(workDir: string, args: readonly string[]): string {
  return execFileSync("git", args, { cwd: workDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function gitFailure(e: unknown): string {
  const stderr = typeof e === "object" && e !== null && "stderr" in e ? String(e.stderr).trim() : "";
  return stderr !== "" ? stderr : e instanceof Error ? e.message : String(e);
}

/** The commit `base` names in the repository at `workDir`; an unknown revision is an error naming it. */
export function resolveRevision(workDir: string, base: string): string {
  try {
    // --end-of-options: a revision starting with "-" is still a revision, never an option.
    return git(workDir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${base}^{commit}`]).trim();
  } catch (e) {
    // --verify --quiet exits 1, silently, for a revision that names no commit.
    if (typeof e === "object" && e !== null && "status" in e && e.status === 1) {
      throw new ChangedStacksError(
        `unknown revision "${base}": no commit of the repository in ${workDir} has that name; ` +
          "give a commit, branch or tag that exists here (in CI, check out with fetch-depth: 0), or leave out --base to list every stack",
      );
    }
    throw new ChangedStacksError(`cannot read revision "${base}" with git in ${workDir}: ${gitFailure(e)}`);
  }
}

/**
 * The stacks changed since `base` (a git revision). Without a base, or with the all-zero
 * revision GitHub sends for a branch's first push, every stack counts as changed:
 * previewing too much is safe. A base git does not know is an error, not "everything":
 * a mistyped revision would otherwise send every stack to preview and deploy unnoticed.
 * `only` names one stack instead (a manual run); an unknown stack throws.
 */
export function changedStacks(workDir: string, base: string | undefined, only?: string): ChangedStacks {
  if (only !== undefined) return classify(workDir, [readStackFile(workDir, only).stack]);
  const stacks = listStacks(workDir);
  if (base === undefined || /^0+$/.test(base)) return classify(workDir, stacks);
  const commit = resolveRevision(workDir, base);
  let files: string[];
  try {
    files = git(workDir, ["diff", "--name-only", commit, "HEAD"])
      .split("\n")
      .filter((l) => l !== "");
  } catch (e) {
    throw new ChangedStacksError(`cannot diff ${base} against HEAD with git in ${workDir}: ${gitFailure(e)}`);
  }
  return classify(workDir, stacksAffected(files, stacks));
}
