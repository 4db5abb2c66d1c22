import * as assert from "node:assert/strict";
import { CORPUS } from "./corpus";
import { buildPack, CorpusRunner, unmet } from "./harness";
import { Mutable } from "./mutate";

describe("the red-team corpus", function () {
  this.timeout(120_000);
  let runner: CorpusRunner | undefined;
  const run = (): CorpusRunner => {
    if (runner === undefined) throw new Error("the corpus runner did not start");
    return runner;
  };

  before(async () => {
    buildPack();
    runner = await CorpusRunner.open(["aws-dev", "azure-dev"]);
  });

  after(async () => {
    await runner?.close();
  });

  it("holds at least 30 misconfigurations with unique ids, every one expecting a violation", () => {
    assert.ok(CORPUS.length >= 30, `${CORPUS.length} cases`);
    assert.equal(new Set(CORPUS.map((c) => c.id)).size, CORPUS.length);
    for (const c of CORPUS) assert.ok(c.expect.length > 0, c.id);
  });

  it("finds no zone-matrix violation in the unchanged stacks", () => {
    for (const stack of ["aws-dev", "azure-dev"] as const) {
      const matrix = run().baseline(stack).violations.filter((v) => v.policy.startsWith("zone-matrix"));
      assert.deepEqual(matrix.map((v) => v.message.split("\n")[1]), [], stack);
    }
  });

  for (const c of CORPUS) {
    it(`catches ${c.id}: ${c.title}`, async () => {
      const found = await run().violationsOf(c);
      const missed = unmet(c, found);
      assert.deepEqual(
        missed.map((e) => `${e.policy} ${String(e.message)}`),
        [],
        `new violations:\n${found.map((v) => `  ${v.policy}: ${v.message.split("\n")[1] ?? v.message}`).join("\n")}`,
      );
    });
  }

  it("sees the same ACL deny close the path when it is numbered before the allow", async () => {
    const c = CORPUS.find((x) => x.id === "aws-nacl-deny-after-allow");
    const m = (c?.mutate ?? ((x) => x))(new Mutable(run().baseline("aws-dev").result.resources)).set("-data-nacl-deny-dmz-in", { ruleNumber: 150 });
    const found = await run().analyze("aws-dev", m.resources);
    assert.deepEqual(found.filter((v) => v.policy === "zone-matrix").map((v) => v.message.split("\n")[1]), []);
  });
});
