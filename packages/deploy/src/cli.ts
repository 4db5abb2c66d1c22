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

/** Where the output goes; the process's streams unless a test passes its own. */
export interface CliIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const PROCESS_IO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: readonly string[], io: CliIO = PROCESS_IO): Promise<number> {
  let inv;
  try {
    inv = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return EXIT.usage;
    }
    throw e;
  }
  if (inv.command === "help") {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (inv.command === "changed") {
    try {
      io.out(JSON.stringify(changedStacks(path.resolve(inv.workDir ?? REPO_ROOT), inv.base, inv.stack)));
      return EXIT.ok;
    } catch (e) {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT.usage;
    }
  }
  return runStackInvocation(inv, { env: process.env, ...io, now: () => new Date() });
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
