import * as assert from "node:assert/strict";
import { engineOrder, type PreviewResult, type Violation } from "@pfv5/preview";
import { CORPUS, type Case } from "./corpus";
import { buildPack, newViolations, preview, RunningPack } from "./harness";
import { Mutable } from "./mutate";

type Stack = Case["stack"];

describe("the red-team corpus", function () {
  this.timeout(120_000);
  const packs = new Map<Stack, RunningPack>();
  const baselines = new Map<Stack, { result: PreviewResult; violations: Violation[] }>();

  before(async () => {
    buildPack();
    await Promise.all(
      (["aws-dev", "azure-dev"] as const).map(async (stack) => {
        const [result, pack] = await Promise.all([preview(stack), RunningPack.forStack(stack)]);
        packs.set(stack, pack);
        baselines.set(stack, { result, violations: await pack.analyze(engineOrder(result.resources, result.defaultProviders)) });
      }),
    );
  });

  after(async () => {
    await Promise.all([...packs.values()].map((p) => p.close()));
  });

  async function violationsOf(c: Case): Promise<Violation[]> {
    const base = baselines.get(c.stack);
    const pack = packs.get(c.stack);
    if (base === undefined || pack === undefined) throw new Error(`no baseline for ${c.stack}`);
    if (c.config !== undefined) return newViolations(base.violations, (await preview(c.stack, c.config)).violations);
    const changed = (c.mutate ?? ((m) => m))(new Mutable(base.result.resources)).resources;
    return newViolations(base.violations, await pack.analyze(engineOrder(changed, base.result.defaultProviders)));
  }

  it("holds at least 30 misconfigurations with unique ids, every one expecting a violation", () => {
    assert.ok(CORPUS.length >= 30, `${CORPUS.length} cases`);
    assert.equal(new Set(CORPUS.map((c) => c.id)).size, CORPUS.length);
    for (const c of CORPUS) assert.ok(c.expect.length > 0, c.id);
  });

  it("finds no zone-matrix violation in the unchanged stacks", () => {
    for (const [stack, b] of baselines) {
      const matrix = b.violations.filter((v) => v.policy.startsWith("zone-matrix"));
      assert.deepEqual(matrix.map((v) => v.message.split("\n")[1]), [], stack);
    }
  });

  for (const c of CORPUS) {
    it(`catches ${c.id}: ${c.title}`, async () => {
      const found = await violationsOf(c);
      for (const e of c.expect) {
        const hit = found.find((v) => v.policy === e.policy && e.message.test(v.message));
        assert.ok(hit !== undefined, `${e.policy} did not report ${String(e.message)}; new violations:\n${found.map((v) => `  ${v.policy}: ${v.message.split("\n")[1] ?? v.message}`).join("\n")}`);
      }
    });
  }

  it("sees the same ACL deny close the path when it is numbered before the allow", async () => {
    const base = baselines.get("aws-dev");
    const pack = packs.get("aws-dev");
    assert.ok(base !== undefined && pack !== undefined);
    const c = CORPUS.find((x) => x.id === "aws-nacl-deny-after-allow");
    const m = (c?.mutate ?? ((x) => x))(new Mutable(base.result.resources)).set("-data-nacl-deny-dmz-in", { ruleNumber: 150 });
    const found = newViolations(base.violations, await pack.analyze(engineOrder(m.resources, base.result.defaultProviders)));
    assert.deepEqual(found.filter((v) => v.policy === "zone-matrix").map((v) => v.message.split("\n")[1]), []);
  });
});
