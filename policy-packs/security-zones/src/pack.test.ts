import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { PACK_ARGS, POLICIES, POLICY_DOCS } from "./pack";

const POLICY_DIR = path.resolve(__dirname, "policies");
const policyFiles = fs
  .readdirSync(POLICY_DIR)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "index.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

describe("the security-zones pack", () => {
  it("registers every policy file under src/policies, each under its file's name", () => {
    assert.deepEqual([...POLICY_DOCS.map((d) => d.name)].sort(), policyFiles);
  });

  it("registers each policy once, with the name its file exports", () => {
    // The same module instances the registry imported, so identity tells what is registered.
    const load = createRequire(__filename);
    for (const file of policyFiles) {
      const mod: unknown = load(path.join(POLICY_DIR, file));
      const values = typeof mod === "object" && mod !== null ? Object.values(mod) : [];
      const exported = POLICIES.filter((p) => values.includes(p));
      assert.equal(exported.length, 1, `${file}.ts must export exactly one registered policy`);
      assert.equal(exported[0]?.doc.name, file);
      assert.equal(exported[0]?.policy.name, file);
    }
    assert.equal(new Set(POLICY_DOCS.map((d) => d.name)).size, POLICY_DOCS.length);
  });

  it("has a test file beside every policy", () => {
    const missing = policyFiles.filter((f) => !fs.existsSync(path.join(POLICY_DIR, `${f}.test.ts`)));
    assert.deepEqual(missing, []);
  });

  it("is mandatory by default, pack and policies alike, but for the advice on missing paths", () => {
    assert.equal(PACK_ARGS.enforcementLevel, "mandatory");
    // A declared flow that cannot pass breaks the service, not the zone rules: advice.
    const advisory = ["zone-matrix-missing"];
    assert.deepEqual(
      POLICIES.filter((p) => !advisory.includes(p.doc.name) && (p.policy.enforcementLevel !== "mandatory" || p.doc.enforcementLevel !== "mandatory")).map((p) => p.doc.name),
      [],
    );
    assert.deepEqual(POLICIES.filter((p) => advisory.includes(p.doc.name)).map((p) => p.policy.enforcementLevel), ["advisory"]);
  });

  it("documents what, why and fix for every policy", () => {
    for (const d of POLICY_DOCS) {
      assert.match(d.description, /^\S[^\n]*\.$/, `${d.name}: the description is one sentence`);
      assert.ok(d.why.length > 40, `${d.name}: says why it matters`);
      assert.ok(d.fix.length > 10, `${d.name}: says how to fix a violation`);
      assert.ok(d.appliesTo.length > 0, `${d.name}: names the resource types it reads`);
    }
  });

  it("declares a config schema the SDK accepts for each policy that reads site values", () => {
    for (const p of POLICIES) {
      const props = p.policy.configSchema?.properties ?? {};
      assert.deepEqual(Object.keys(props).sort(), [...p.doc.config].sort(), p.doc.name);
      assert.equal("enforcementLevel" in props, false, `${p.doc.name}: enforcementLevel is reserved`);
    }
  });
});
