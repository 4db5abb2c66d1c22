import { strict as assert } from "node:assert";
import { parseArgs, USAGE, UsageError, type StackInvocation } from "./args";

function problems(argv: string[]): readonly string[] {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.problems;
    throw e;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

function stackInv(argv: string[]): StackInvocation {
  const inv = parseArgs(argv);
  if (inv.command === "help" || inv.command === "changed") assert.fail(`expected a stack command, got ${inv.command}`);
  return inv;
}

describe("infra arguments", () => {
  it("reads a preview with both summary files", () => {
    const inv = stackInv(["preview", "aws-dev", "--json-summary", "out/a.json", "--markdown-summary=out/a.md"]);
    assert.deepEqual(
      [inv.command, inv.stack, inv.jsonSummary, inv.markdownSummary, inv.allowReplace, inv.installCli, inv.noUp],
      ["preview", "aws-dev", "out/a.json", "out/a.md", [], false, false],
    );
  });

  it("collects every --allow-replace, by URN or by type token", () => {
    const urn = "urn:pulumi:aws-prod::pfv5::pfv5:network:AwsNetwork$aws:ec2/vpc:Vpc::net-vpc";
    const inv = stackInv(["up", "aws-prod", "--allow-replace", urn, "--allow-replace=tls:index/privateKey:PrivateKey"]);
    assert.deepEqual(inv.allowReplace, [urn, "tls:index/privateKey:PrivateKey"]);
  });

  it("reads a block with its CIDR and trimmed reason", () => {
    const inv = stackInv(["block", "aws-prod", "203.0.113.0/24", "--reason", "  ssh brute force  ", "--no-up"]);
    assert.deepEqual([inv.command, inv.stack, inv.cidr, inv.reason, inv.noUp], ["block", "aws-prod", "203.0.113.0/24", "ssh brute force", true]);
  });

  it("reads an unblock without a reason", () => {
    const inv = stackInv(["unblock", "azure-prod", "198.51.100.7/32"]);
    assert.deepEqual([inv.command, inv.cidr, inv.reason], ["unblock", "198.51.100.7/32", undefined]);
  });

  it("reads a destroy confirmation and the install flag", () => {
    const inv = stackInv(["destroy", "aws-prod", "--confirm", "aws-prod", "--install-cli"]);
    assert.deepEqual([inv.confirm, inv.installCli], ["aws-prod", true]);
  });

  it("reads changed with a base revision or one stack", () => {
    assert.deepEqual(parseArgs(["changed", "--base", "abc123"]), { command: "changed", base: "abc123", stack: undefined, workDir: undefined });
    assert.deepEqual(parseArgs(["changed", "--stack", "aws-prod"]), { command: "changed", base: undefined, stack: "aws-prod", workDir: undefined });
  });

  it("answers help for help, --help and -h", () => {
    for (const argv of [["help"], ["--help"], ["up", "aws-dev", "-h"]]) assert.deepEqual(parseArgs(argv), { command: "help" });
  });

  it("refuses a command line without a command, showing the usage", () => {
    for (const argv of [[], ["--work-dir", "infra"]]) {
      assert.throws(() => parseArgs(argv), {
        name: "UsageError",
        message: `error: a command is missing: one of preview, up, refresh, destroy, outputs, block, unblock, changed\n\n${USAGE}`,
      });
    }
  });

  it("refuses an unknown command, naming the commands", () => {
    assert.deepEqual(problems(["deploy", "aws-dev"]), ['unknown command "deploy": use one of preview, up, refresh, destroy, outputs, block, unblock, changed']);
  });

  it("refuses a stack command without a stack", () => {
    assert.deepEqual(problems(["up"]), ['"up" needs a stack name, e.g. pnpm infra up aws-dev']);
  });

  it("lists every problem of one command line at once", () => {
    assert.deepEqual(problems(["block", "aws/prod", "--force", "--json-summary", "--allow-replace", "vpc"]), [
      'unknown option "--force": the options are --json-summary, --markdown-summary, --allow-replace, --reason, --no-up, --install-cli, --confirm, --work-dir, --base, --stack',
      "option --json-summary needs a value, e.g. --json-summary <value>",
      'stack name "aws/prod" may hold only letters, digits, "-", "_" and "."',
      '"block" needs a CIDR block after the stack, e.g. pnpm infra block aws-prod 203.0.113.0/24',
      '"block" needs --reason "<why>": the reason is kept beside the entry for whoever lifts it',
      '--allow-replace "vpc" is neither a URN (urn:pulumi:...) nor a type token such as aws:ec2/vpc:Vpc',
    ]);
  });

  it("refuses options that do not apply to the command", () => {
    assert.deepEqual(problems(["preview", "aws-dev", "--reason", "x", "--no-up"]), [
      "option --reason does not apply to \"preview\" (it applies to block)",
      'option --no-up does not apply to "preview" (it applies to block, unblock)',
    ]);
    assert.deepEqual(problems(["refresh", "aws-dev", "--allow-replace", "aws:ec2/vpc:Vpc"]), [
      'option --allow-replace does not apply to "refresh" (it applies to preview, up, block, unblock)',
    ]);
  });

  it("refuses a repeated single-value option and a value on a flag", () => {
    assert.deepEqual(problems(["up", "aws-dev", "--json-summary", "a", "--json-summary", "b", "--install-cli=yes"]), [
      'option --json-summary is given twice ("a", "b"): give it once',
      'option --install-cli takes no value (got "yes")',
    ]);
  });

  it("refuses extra positional arguments", () => {
    assert.deepEqual(problems(["preview", "aws-dev", "azure-dev"]), ['unexpected argument "azure-dev"']);
  });

  it("refuses an empty, multi-line or overlong reason", () => {
    assert.deepEqual(problems(["block", "aws-dev", "203.0.113.0/24", "--reason", " "]), ["--reason is empty: say why the block is needed"]);
    assert.deepEqual(problems(["block", "aws-dev", "203.0.113.0/24", "--reason=a\nb"]), ['--reason "a\nb" spans several lines: give one line']);
    assert.deepEqual(problems(["block", "aws-dev", "203.0.113.0/24", "--reason", "x".repeat(201)]), ["--reason is 201 characters long: keep it to 200"]);
  });

  it("refuses --base together with --stack", () => {
    assert.deepEqual(problems(["changed", "--base", "abc", "--stack", "aws-dev"]), ["--base and --stack exclude each other: diff against a revision, or name one stack"]);
  });

  it("ends the error text with where to find the usage", () => {
    assert.throws(() => parseArgs(["up"]), /^UsageError: error: "up" needs a stack name.*\nrun `pnpm infra --help` for usage$/s);
  });
});
