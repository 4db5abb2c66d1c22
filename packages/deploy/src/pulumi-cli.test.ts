import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./driver";
import { EXIT } from "./exit-codes";
import { findPulumiCli, missingCliMessage, PINNED_CLI_VERSION } from "./pulumi-cli";

function which(exe: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    const file = path.join(dir, exe);
    if (dir !== "" && fs.existsSync(file)) return fs.realpathSync(file);
  }
  return undefined;
}

describe("finding the Pulumi CLI", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-cli-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function exe(file: string, mode = 0o755): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "#!/bin/sh\n", { mode });
  }

  it("finds pulumi on PATH first", () => {
    exe(path.join(root, "a", "pulumi"));
    exe(path.join(root, "home", "bin", "pulumi"));
    const found = findPulumiCli({ PATH: [path.join(root, "empty"), path.join(root, "a")].join(path.delimiter) }, path.join(root, "home"));
    assert.deepEqual(found, { command: path.join(root, "a", "pulumi") });
  });

  it("takes the parent of a bin directory on PATH as the install root", () => {
    exe(path.join(root, "opt", "bin", "pulumi"));
    assert.deepEqual(findPulumiCli({ PATH: path.join(root, "opt", "bin") }, path.join(root, "home")), { command: path.join(root, "opt", "bin", "pulumi"), root: path.join(root, "opt") });
  });

  it("finds the installer's copy in the Pulumi home, then the SDK's pinned install", () => {
    const home = path.join(root, "home");
    exe(path.join(home, "versions", PINNED_CLI_VERSION, "bin", "pulumi"));
    assert.deepEqual(findPulumiCli({ PATH: "" }, home), { command: path.join(home, "versions", PINNED_CLI_VERSION, "bin", "pulumi"), root: path.join(home, "versions", PINNED_CLI_VERSION) });
    exe(path.join(home, "bin", "pulumi"));
    assert.deepEqual(findPulumiCli({ PATH: "" }, home), { command: path.join(home, "bin", "pulumi"), root: home });
  });

  it("ignores a file named pulumi that is not executable, and directories", () => {
    exe(path.join(root, "a", "pulumi"), 0o644);
    fs.mkdirSync(path.join(root, "b", "pulumi"), { recursive: true });
    assert.equal(findPulumiCli({ PATH: `${path.join(root, "a")}${path.delimiter}${path.join(root, "b")}` }, path.join(root, "home")), undefined);
  });

  it("words the missing-CLI message as one line with both ways to install", () => {
    const msg = missingCliMessage("/home/ci/.pulumi");
    assert.equal(
      msg,
      `error: the Pulumi CLI is not installed (no "pulumi" on PATH or in /home/ci/.pulumi/bin): install it with \`curl -fsSL https://get.pulumi.com | sh -s -- --version ${PINNED_CLI_VERSION}\`, or rerun with --install-cli to install ${PINNED_CLI_VERSION} through the SDK`,
    );
    assert.equal(msg.includes("\n"), false);
  });
});

describe("pnpm infra without the Pulumi CLI", function () {
  this.timeout(60_000);
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-nocli-"));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /** Runs `pnpm infra ...` at the repository root with a PATH that holds node and pnpm only. */
  function infra(args: string[]): { status: number | null; stdout: string; stderr: string; seconds: number } {
    const pnpm = which("pnpm");
    if (pnpm === undefined) assert.fail("pnpm is not on PATH: install it with `npm install -g pnpm@10`");
    const dirs = [...new Set([path.dirname(process.execPath), path.dirname(pnpm), "/bin"])];
    for (const d of dirs) assert.equal(fs.existsSync(path.join(d, "pulumi")), false, `${d} holds a pulumi binary: this test needs a PATH without one`);
    const started = Date.now();
    const r = spawnSync(pnpm, ["infra", ...args], {
      cwd: REPO_ROOT,
      env: { PATH: dirs.join(path.delimiter), HOME: home, PULUMI_CONFIG_PASSPHRASE: "test" },
      encoding: "utf8",
      timeout: 45_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
  }

  it("prints the one-line install hint for `pnpm infra preview aws-dev` and exits 3 within seconds", () => {
    const r = infra(["preview", "aws-dev"]);
    assert.equal(r.status, EXIT.cliMissing, `exit code; stderr:\n${r.stderr}`);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    assert.deepEqual(lines, [missingCliMessage(path.join(home, ".pulumi"))]);
    assert.ok(r.seconds < 20, `took ${r.seconds}s`);
  });

  it("exits 2 with the problem for bad arguments, before looking for the CLI", () => {
    const r = infra(["up"]);
    assert.equal(r.status, EXIT.usage);
    assert.match(r.stderr, /error: "up" needs a stack name, e\.g\. pnpm infra up aws-dev\nrun `pnpm infra --help` for usage/);
  });
});
