/**
 * Wall time of the main job per stack: `runOfflinePreview` (the program under the
 * preview monitor plus the policy packs over the analyzer protocol), the same path as
 * `pnpm preview:offline <stack>`. Each stack runs `--runs` times (default 3); the median
 * and the worst are reported against the 10 s target. Build the packs first
 * (`pnpm exec tsc -b policy-packs/security-zones policy-packs/kubernetes-zones`).
 *
 *   pnpm bench:preview [--runs N] [stack ...]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runOfflinePreview } from "@pfv5/preview";

const ROOT = path.resolve(__dirname, "..");
const TARGET_MS = 10_000;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of at least 1, got "${args[runsAt + 1]}"`);
  const named = args.filter((a, i) => a !== "--runs" && i !== runsAt + 1);
  const stacks = named.length > 0 ? named : fs.readdirSync(ROOT).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
  console.log(`offline preview, ${runs} run(s) per stack, target ${TARGET_MS / 1000} s`);
  console.log("stack          resources  median s  worst s  program s  policies s  result");
  let over = 0;
  for (const stack of stacks) {
    const walls: number[] = [];
    let last;
    for (let i = 0; i < runs; i += 1) {
      const t0 = process.hrtime.bigint();
      last = await runOfflinePreview({ stack, projectDir: ROOT });
      walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (last.exitCode !== 0) throw new Error(`${stack}: the preview exited ${last.exitCode}: ${last.failure?.message ?? "mandatory violations"}`);
    }
    const med = median(walls);
    const worst = Math.max(...walls);
    if (med > TARGET_MS) over += 1;
    console.log(
      `${stack.padEnd(14)} ${String(last?.summary.resources ?? 0).padStart(9)}  ${(med / 1000).toFixed(2).padStart(8)}  ${(worst / 1000).toFixed(2).padStart(7)}  ` +
        `${((last?.timings.programMs ?? 0) / 1000).toFixed(2).padStart(9)}  ${((last?.timings.policyMs ?? 0) / 1000).toFixed(2).padStart(10)}  ${med > TARGET_MS ? "over target" : "ok"}`,
    );
  }
  return over > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
