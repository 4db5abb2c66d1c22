#!/usr/bin/env node
/**
 * `pnpm infra`: the entry point. Parses the arguments, runs the command, and exits with a
 * code CI can branch on (see exit-codes.ts).
 */
import { parseArgs, USAGE, UsageError } from "./args";
import { changedStacks } from "./changed";
import { REPO_ROOT, runStackInvocation } from "./driver";
import { EXIT } from "./exit-codes";
import * as path from "node:path";

export async function main(argv: readonly string[]): Promise<number> {
  let inv;
  try {
    inv = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (inv.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (inv.command === "changed") {
    try {
      process.stdout.write(`${JSON.stringify(changedStacks(path.resolve(inv.workDir ?? REPO_ROOT), inv.base, inv.stack))}\n`);
      return EXIT.ok;
    } catch (e) {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT.usage;
    }
  }
  return runStackInvocation(inv, {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    now: () => new Date(),
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
