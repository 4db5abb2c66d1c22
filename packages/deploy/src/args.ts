/**
 * Command-line arguments of `pnpm infra`: a pure parser that checks everything and reports
 * every problem at once, so a mistyped flag never reaches the engine.
 */

/** Commands that operate on one stack. */
export const STACK_COMMANDS = ["preview", "up", "refresh", "destroy", "outputs", "block", "unblock"] as const;
export type StackCommand = (typeof STACK_COMMANDS)[number];

/** Commands whose engine operation runs the program (and so the policy packs). */
export const POLICY_COMMANDS: readonly StackCommand[] = ["preview", "up", "block", "unblock"];

export interface StackInvocation {
  readonly command: StackCommand;
  readonly stack: string;
  /** `block` and `unblock`: the source block. */
  readonly cidr?: string;
  /** `block`: why, kept beside the entry in the stack file. */
  readonly reason?: string;
  readonly jsonSummary?: string;
  readonly markdownSummary?: string;
  /** URNs or type tokens the protected-environment gate lets through. */
  readonly allowReplace: readonly string[];
  readonly installCli: boolean;
  /** `block`/`unblock`: edit the stack file only, deploy later (e.g. through a pull request). */
  readonly noUp: boolean;
  /** `destroy` on a protected environment: the stack name again. */
  readonly confirm?: string;
  readonly workDir?: string;
}

export interface ChangedInvocation {
  readonly command: "changed";
  /** The git revision to diff against; all stacks when absent. */
  readonly base?: string;
  /** Just this stack (a manual run), classified like the others. */
  readonly stack?: string;
  readonly workDir?: string;
}

export type Invocation = StackInvocation | ChangedInvocation | { readonly command: "help" };

export const USAGE = `usage: pnpm infra <command> <stack> [options]

commands:
  preview <stack>                 preview with the policy packs
  up <stack>                      preview, gate (protected environments), then update
  refresh <stack>                 reconcile the state with the cloud
  destroy <stack>                 delete every resource (protected: --confirm <stack>)
  outputs <stack>                 print the stack outputs (secrets masked)
  block <stack> <cidr> --reason <text>
                                  deny a source block everywhere, then a gated up
  unblock <stack> <cidr>          lift a block, then a gated up
  changed [--base <rev> | --stack <stack>]
                                  print the stacks a change touches (or the one named), as JSON

options:
  --json-summary <file>           write the run summary as JSON
  --markdown-summary <file>       write the run summary as Markdown (pull-request comments)
  --allow-replace <urn-or-type>   let the gate pass this replace/delete (repeatable)
  --no-up                         block/unblock: edit the stack file only
  --install-cli                   install the pinned Pulumi CLI when it is missing
  --confirm <stack>               destroy: required on protected environments
  --work-dir <dir>                the Pulumi project directory (default: the repository root)
  --base <rev>, --stack <stack>   changed: the revision to diff against, or one stack
  --help                          this text

exit codes: 0 ok, 1 failed, 2 usage or refused input, 3 Pulumi CLI missing,
            4 mandatory policy violation, 5 refused by the gate`;

export class UsageError extends Error {
  /** `withUsage`: the message carries the whole usage text (nothing was asked at all). */
  constructor(
    readonly problems: readonly string[],
    withUsage = false,
  ) {
    super(`${problems.map((p) => `error: ${p}`).join("\n")}\n${withUsage ? `\n${USAGE}` : "run `pnpm infra --help` for usage"}`);
    this.name = "UsageError";
  }
}

interface OptionSpec {
  readonly takesValue: boolean;
  readonly repeatable?: boolean;
  /** Commands the option applies to; "changed" for the non-stack command. */
  readonly commands: readonly (StackCommand | "changed")[];
}

const ALL_STACK: readonly StackCommand[] = STACK_COMMANDS;
const RUNS: readonly StackCommand[] = ["preview", "up", "refresh", "destroy", "block", "unblock"];

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  "--json-summary": { takesValue: true, commands: RUNS },
  "--markdown-summary": { takesValue: true, commands: RUNS },
  "--allow-replace": { takesValue: true, repeatable: true, commands: ["preview", "up", "block", "unblock"] },
  "--reason": { takesValue: true, commands: ["block"] },
  "--no-up": { takesValue: false, commands: ["block", "unblock"] },
  "--install-cli": { takesValue: false, commands: ALL_STACK },
  "--confirm": { takesValue: true, commands: ["destroy"] },
  "--work-dir": { takesValue: true, commands: [...ALL_STACK, "changed"] },
  "--base": { takesValue: true, commands: ["changed"] },
  "--stack": { takesValue: true, commands: ["changed"] },
};

/** Pulumi stack names: letters, digits, `-`, `_`, `.`. */
export const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
/** A resource type token such as `aws:ec2/vpc:Vpc` or `kubernetes:core/v1:Namespace`. */
export const TYPE_TOKEN = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_./-]*:[A-Za-z0-9_]+$/;
export const MAX_REASON_LENGTH = 200;

function isStackCommand(c: string): c is StackCommand {
  return (STACK_COMMANDS as readonly string[]).includes(c);
}

/** Parses `argv` (without node and the script). Throws one {@link UsageError} listing every problem. */
export function parseArgs(argv: readonly string[]): Invocation {
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  const missing = `a command is missing: one of ${[...STACK_COMMANDS, "changed"].join(", ")}`;
  // No arguments asks for nothing: show the usage, but exit 2, so a script that lost its
  // arguments fails instead of passing.
  if (argv.length === 0) throw new UsageError([missing], true);
  const problems: string[] = [];
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const spec = OPTIONS[name];
    if (spec === undefined) {
      problems.push(`unknown option "${name}": the options are ${Object.keys(OPTIONS).join(", ")}`);
      continue;
    }
    if (!spec.takesValue) {
      if (eq >= 0) problems.push(`option ${name} takes no value (got "${arg.slice(eq + 1)}")`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] ?? "").startsWith("--")) value = argv[(i += 1)];
    if (value === undefined || value === "") {
      problems.push(`option ${name} needs a value, e.g. ${name} <value>`);
      continue;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && spec.repeatable !== true) problems.push(`option ${name} is given twice ("${list[0]}", "${value}"): give it once`);
    list.push(value);
    values.set(name, list);
  }

  const command = positional.shift();
  if (command === undefined) {
    problems.push(missing);
    throw new UsageError(problems, true);
  }
  const known = isStackCommand(command) || command === "changed";
  if (!known) {
    problems.push(`unknown command "${command}": use one of ${[...STACK_COMMANDS, "changed"].join(", ")}`);
    throw new UsageError(problems);
  }
  for (const name of [...values.keys(), ...flags]) {
    const spec = OPTIONS[name];
    if (spec !== undefined && !spec.commands.includes(command)) {
      problems.push(`option ${name} does not apply to "${command}" (it applies to ${spec.commands.join(", ")})`);
    }
  }
  const one = (name: string): string | undefined => values.get(name)?.[0];

  if (command === "changed") {
    if (positional.length > 0) problems.push(`"changed" takes no positional arguments (got ${positional.map((p) => `"${p}"`).join(", ")})`);
    const base = one("--base");
    const only = one("--stack");
    if (base !== undefined && only !== undefined) problems.push("--base and --stack exclude each other: diff against a revision, or name one stack");
    if (only !== undefined && !STACK_NAME.test(only)) problems.push(`stack name "${only}" may hold only letters, digits, "-", "_" and "."`);
    if (problems.length > 0) throw new UsageError(problems);
    return { command, base, stack: only, workDir: one("--work-dir") };
  }

  const stack = positional.shift();
  if (stack === undefined) problems.push(`"${command}" needs a stack name, e.g. pnpm infra ${command} aws-dev`);
  else if (!STACK_NAME.test(stack)) problems.push(`stack name "${stack}" may hold only letters, digits, "-", "_" and "."`);
  let cidr: string | undefined;
  if (command === "block" || command === "unblock") {
    cidr = positional.shift();
    if (cidr === undefined) problems.push(`"${command}" needs a CIDR block after the stack, e.g. pnpm infra ${command} aws-prod 203.0.113.0/24`);
  }
  if (positional.length > 0) problems.push(`unexpected argument${positional.length > 1 ? "s" : ""} ${positional.map((p) => `"${p}"`).join(", ")}`);

  const reason = one("--reason");
  if (command === "block") {
    if (reason === undefined) problems.push('"block" needs --reason "<why>": the reason is kept beside the entry for whoever lifts it');
    else if (reason.trim() === "") problems.push("--reason is empty: say why the block is needed");
    else if (/[\r\n]/.test(reason)) problems.push(`--reason "${reason}" spans several lines: give one line`);
    else if (reason.length > MAX_REASON_LENGTH) problems.push(`--reason is ${reason.length} characters long: keep it to ${MAX_REASON_LENGTH}`);
  }
  const allowReplace = values.get("--allow-replace") ?? [];
  for (const a of allowReplace) {
    if (!a.startsWith("urn:pulumi:") && !TYPE_TOKEN.test(a)) {
      problems.push(`--allow-replace "${a}" is neither a URN (urn:pulumi:...) nor a type token such as aws:ec2/vpc:Vpc`);
    }
  }
  if (problems.length > 0 || stack === undefined) throw new UsageError(problems);

  return {
    command,
    stack,
    cidr,
    reason: reason?.trim(),
    jsonSummary: one("--json-summary"),
    markdownSummary: one("--markdown-summary"),
    allowReplace,
    installCli: flags.has("--install-cli"),
    confirm: one("--confirm"),
    workDir: one("--work-dir"),
    noUp: flags.has("--no-up"),
  };
}
