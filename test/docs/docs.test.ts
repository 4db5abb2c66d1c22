import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runScript } from "../release/run-script";
import { diffDirs, listFiles, staleMessage } from "../../scripts/docs";
import { fillReadme } from "../../scripts/lib/api-docs";

describe("the generated documentation", () => {
  it("is current: docs/api, the README argument tables and the policy catalogues match the code", async function () {
    // TypeDoc converts every package once: about half a minute on two cores.
    this.timeout(180_000);
    const { code, output } = await runScript("docs.ts", ["--check"]);
    assert.equal(code, 0, output);
    assert.match(output, /docs are current/);
  });
});

describe("the docs check", () => {
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(path.join(tmpdir(), "pfv5-docs-test-"))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), text);
  };

  it("reports a generated page that is missing, one that changed and one that is no longer generated", () => {
    write("want/README.md", "index");
    write("want/@pfv5/network.md", "new text");
    write("want/@pfv5/zones/README.md", "zones");
    write("have/README.md", "index");
    write("have/@pfv5/network.md", "old text");
    write("have/@pfv5/gone.md", "gone");
    assert.deepEqual(listFiles(path.join(scratch, "want")), ["@pfv5/network.md", "@pfv5/zones/README.md", "README.md"]);
    assert.deepEqual(diffDirs(path.join(scratch, "want"), path.join(scratch, "have")), [
      "changed @pfv5/network.md",
      "missing @pfv5/zones/README.md",
      "not generated @pfv5/gone.md",
    ]);
  });

  it("finds nothing when the directories match", () => {
    write("want/a.md", "same");
    write("have/a.md", "same");
    assert.deepEqual(diffDirs(path.join(scratch, "want"), path.join(scratch, "have")), []);
  });

  it("says what to run when something is stale", () => {
    assert.equal(staleMessage(["changed docs/api/@pfv5/network.md"]), "docs/api is stale: run pnpm docs\n  - changed docs/api/@pfv5/network.md\n");
  });
});

describe("the README argument tables", () => {
  it("refill every marked block and leave the rest of the README alone", () => {
    const readme = "# x\n\n<!-- args:AwsNetwork -->\nold table\n<!-- /args -->\n\ntext\n";
    const { text, unknown } = fillReadme(readme, new Map([["AwsNetwork", "| argument |"]]));
    assert.equal(text, "# x\n\n<!-- args:AwsNetwork -->\n| argument |\n<!-- /args -->\n\ntext\n");
    assert.deepEqual(unknown, []);
  });

  it("name a marker that matches no component", () => {
    const { text, unknown } = fillReadme("<!-- args:AwsVpc -->\n<!-- /args -->", new Map([["AwsNetwork", "t"]]));
    assert.equal(text, "<!-- args:AwsVpc -->\n<!-- /args -->");
    assert.deepEqual(unknown, ["AwsVpc"]);
  });
});
