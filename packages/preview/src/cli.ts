/**
 * `pnpm preview:offline <stack>`: previews a stack with its policy packs, offline.
 * Exit codes: 0 with no mandatory violation, 1 with one, 2 when the run failed (bad config,
 * a program error, a pack that did not load, bad usage).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, findProjectDir, parseOverride } from "./config";
import { renderHuman, renderJson } from "./render";
import { DEFAULT_REPORTERS, type Reporter } from "./reporters";
import { DEFAULT_POLICY_PACKS, runOfflinePreview } from "./runner";
import type { PreviewResult } from "./types";

export const USAGE = `usage: pnpm preview:offline <stack> [options]

Runs the stack's program with the engine replaced by the Pulumi SDK's mocks (a first
preview: computed outputs and ids unknown), loads each policy pack as
\`pulumi preview --policy-pack\` does, and reports the resources and every violation.

options:
  -c, --config key=value        override stack config for this run (repeatable);
                                the value is parsed as JSON when it parses
      --secret key=value        like --config, and the value is secret
      --secret key=@file        the secret value is the file's content (keeps it off the
                                command line, which pnpm echoes and the shell records)
      --policy-pack <dir>       a policy pack directory (repeatable;
                                default ${DEFAULT_POLICY_PACKS.join(" and ")})
      --policy-pack-config <f>  policy config for the pack in the same position
                                (repeatable; default Pulumi.<stack>.policy.json if present)
      --project-dir <dir>       the project root with Pulumi.yaml (default: found from the cwd)
      --json                    print one JSON document instead of the tree
      --diagram <file>          write the zone matrix as a Mermaid flowchart
                                (fenced for GitHub when the file ends in .md)
  -h, --help                    show this help

exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the run failed`;

export interface CliOutput {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI on `argv` (without node and the script); paths resolve against `cwd`. */
/** `key=@file` becomes `key=<the file's content>`; anything else is returned as given. */
function secretFromFile(arg: string): string {
  const m = /^([^=]+)=@(.+)$/.exec(arg);
  if (m === null) return arg;
  const [, key, file] = m;
  try {
    return `${key}=${fs.readFileSync(file ?? "", "utf8").replace(/\r?\n$/, "")}`;
  } catch (e) {
    throw new ConfigError([`--secret ${key}=@${file}: the file cannot be read (${(e as Error).message}); give a readable file`]);
  }
}

export async function main(argv: readonly string[], cwd: string, reporters: readonly Reporter[] = DEFAULT_REPORTERS): Promise<CliOutput> {
  const reporterFlags = reporters.flatMap((r) => r.flags ?? []);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c", multiple: true },
        secret: { type: "string", multiple: true },
        "policy-pack": { type: "string", multiple: true },
        "policy-pack-config": { type: "string", multiple: true },
        "project-dir": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(reporterFlags.map((f) => [f, { type: "string" as const }])),
      },
    });
  } catch (e) {
    return { code: 2, stdout: "", stderr: `${(e as Error).message}\n\n${USAGE}\n` };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
  if (positionals.length !== 1) {
    return { code: 2, stdout: "", stderr: `expected exactly one stack name, got ${positionals.length}\n\n${USAGE}\n` };
  }
  const stack = positionals[0] ?? "";
  const resolve = (p: string): string => path.resolve(cwd, p);
  const projectDir = typeof values["project-dir"] === "string" ? resolve(values["project-dir"]) : findProjectDir(cwd);
  if (projectDir === undefined) {
    return { code: 2, stdout: "", stderr: `error (usage): no Pulumi.yaml in ${cwd} or above: pass --project-dir\n` };
  }
  const str = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  try {
    for (const arg of str(values.config)) {
      const { key, value } = parseOverride(arg);
      config[key] = value;
    }
    for (const arg of str(values.secret)) {
      const { key, value } = parseOverride(secretFromFile(arg));
      secrets[key] = value;
    }
  } catch (e) {
    if (e instanceof ConfigError) return { code: 2, stdout: "", stderr: `error (usage): ${e.message}\n` };
    throw e;
  }
  const flags: Record<string, string> = {};
  for (const f of reporterFlags) {
    const v = (values as Record<string, unknown>)[f];
    if (typeof v === "string") flags[f] = v;
  }
  const packs = str(values["policy-pack"]);
  const packConfigs = str(values["policy-pack-config"]);
  const result: PreviewResult = await runOfflinePreview({
    stack,
    projectDir,
    config,
    secrets,
    ...(packs.length > 0 ? { policyPacks: packs.map(resolve) } : {}),
    ...(packConfigs.length > 0 ? { policyPackConfigs: packConfigs.map(resolve) } : {}),
    reporters,
    reporterFlags: flags,
    cwd,
  });
  if (values.json === true) return { code: result.exitCode, stdout: renderJson(result), stderr: "" };
  const text = renderHuman(result);
  return result.failure !== undefined
    ? { code: result.exitCode, stdout: "", stderr: text }
    : { code: result.exitCode, stdout: text, stderr: "" };
}

if (require.main === module) {
  // pnpm runs scripts from the workspace root; INIT_CWD is where the user typed the command.
  const cwd = process.env["INIT_CWD"] ?? process.cwd();
  main(process.argv.slice(2), cwd).then(
    (out) => {
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      process.exitCode = out.code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
