import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedStacks, resolveRevision } from "./changed";

describe("changed stacks against a git revision", () => {
  let repo: string;
  let first: string;
  const git = (...args: string[]): string =>
    execFileSync("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-changed-"));
    fs.writeFileSync(path.join(repo, "Pulumi.yaml"), "name: pfv5\n");
    fs.writeFileSync(path.join(repo, "Pulumi.aws-dev.yaml"), "config:\n  pfv5:environment: dev\n");
    fs.writeFileSync(path.join(repo, "Pulumi.aws-prod.yaml"), "config:\n  pfv5:environment: prod\n");
    git("init", "--quiet");
    git("add", ".");
    git("commit", "--quiet", "-m", "first");
    first = git("rev-parse", "HEAD");
    fs.appendFileSync(path.join(repo, "Pulumi.aws-prod.yaml"), "  pfv5:blockedCidrs:\n    - 192.0.2.0/24\n");
    git("commit", "--quiet", "-am", "block");
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("lists the stacks whose files changed since a known revision", () => {
    assert.deepEqual(changedStacks(repo, first), { all: ["aws-prod"], unprotected: [], protected: ["aws-prod"] });
    assert.deepEqual(changedStacks(repo, "HEAD~1").all, ["aws-prod"]);
  });

  it("lists every stack without a base or for the all-zero revision of a first push", () => {
    assert.deepEqual([changedStacks(repo, undefined).all, changedStacks(repo, "0000000000000000000000000000000000000000").all], [["aws-dev", "aws-prod"], ["aws-dev", "aws-prod"]]);
  });

  it("refuses an unknown revision, naming it, instead of listing every stack", () => {
    assert.throws(() => changedStacks(repo, "nonexistentrev"), {
      name: "ChangedStacksError",
      message: `unknown revision "nonexistentrev": no commit of the repository in ${repo} has that name; give a commit, branch or tag that exists here (in CI, check out with fetch-depth: 0), or leave out --base to list every stack`,
    });
  });

  it("reads a revision starting with a dash as a revision, never as a git option", () => {
    assert.throws(() => resolveRevision(repo, "--output=/dev/null"), { name: "ChangedStacksError", message: /^unknown revision "--output=\/dev\/null"/ });
  });

  it("says so when the directory is no git repository", () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-nogit-"));
    try {
      fs.writeFileSync(path.join(bare, "Pulumi.aws-dev.yaml"), "config: {}\n");
      assert.throws(() => changedStacks(bare, "main"), { name: "ChangedStacksError", message: /^cannot read revision "main" with git in .*: fatal: not a git repository/ });
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
