import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { publishablePackages } from "../../scripts/lib/workspace";
import { runScript } from "./run-script";

describe("pnpm pack of every publishable package", () => {
  let out: string;
  before(() => (out = mkdtempSync(path.join(tmpdir(), "pfv5-pack-test-"))));
  after(() => rmSync(out, { recursive: true, force: true }));

  it("produces one tarball per package that passes every check (versions, entry points, no tests, declared dependencies)", async function () {
    // Builds the projects (incremental) and packs eleven packages: about half a minute.
    this.timeout(240_000);
    const { code, output } = await runScript("pack.ts", ["--out", out]);
    assert.equal(code, 0, output);
    const expected = publishablePackages().map((p) => `${p.manifest.name.replace(/^@/, "").replace("/", "-")}-${p.manifest.version}.tgz`);
    assert.deepEqual(readdirSync(out).sort(), expected.sort());
  });
});
