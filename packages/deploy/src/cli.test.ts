import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { USAGE } from "./args";
import { main, type CliIO } from "./cli";
import { EXIT } from "./exit-codes";

describe("infra command line", () => {
  let out: string[];
  let err: string[];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l) };
  beforeEach(() => {
    out = [];
    err = [];
  });

  it("prints the usage and exits 2 when called without arguments", async () => {
    assert.equal(await main([], io), EXIT.usage);
    assert.deepEqual([out, err], [[], [`error: a command is missing: one of preview, up, refresh, destroy, outputs, block, unblock, changed\n\n${USAGE}`]]);
  });

  it("prints the usage on stdout and exits 0 when asked for help", async () => {
    assert.equal(await main(["--help"], io), EXIT.ok);
    assert.deepEqual([out, err], [[USAGE], []]);
  });

  it("exits 2 when git cannot read the base, in a directory that is no repository", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-cli-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.aws-dev.yaml"), "config: {}\n");
      assert.equal(await main(["changed", "--base", "nonexistentrev", "--work-dir", dir], io), EXIT.usage);
      assert.deepEqual(out, []);
      assert.match(err.join("\n"), /^error: cannot read revision "nonexistentrev" with git in /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 for a changed base unknown to the repository itself", async () => {
    const root = path.resolve(__dirname, "..", "..", "..");
    assert.equal(await main(["changed", "--base", "nonexistentrev"], io), EXIT.usage);
    assert.deepEqual(out, []);
    assert.equal(err[0], `error: unknown revision "nonexistentrev": no commit of the repository in ${root} has that name; give a commit, branch or tag that exists here (in CI, check out with fetch-depth: 0), or leave out --base to list every stack`);
  });
});
