import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { CATALOGUE_PATH, renderCatalogue } from "./catalogue";
import { POLICY_DOCS } from "./pack";

describe("the policy catalogue (POLICIES.md)", () => {
  const onDisk = fs.existsSync(CATALOGUE_PATH) ? fs.readFileSync(CATALOGUE_PATH, "utf8") : "";

  it("is current with the policies' metadata", () => {
    assert.ok(
      onDisk === renderCatalogue(),
      "POLICIES.md is stale: regenerate it with `pnpm --filter @pfv5/security-zones-policy catalogue` and commit it",
    );
  });

  it("documents every registered policy with its level, why and fix", () => {
    const sections = onDisk.split(/^## /m).slice(1);
    for (const doc of POLICY_DOCS) {
      const s = sections.find((x) => x.startsWith(`${doc.name}\n`));
      assert.ok(s !== undefined, `POLICIES.md has no section for ${doc.name}`);
      assert.match(s, new RegExp(`\\*\\*Enforcement:\\*\\* ${doc.enforcementLevel} `));
      assert.ok(s.includes(`**Why.** ${doc.why}`), `the section for ${doc.name} lacks its why`);
      assert.ok(s.includes("**Fix.** "), `the section for ${doc.name} lacks its fix`);
    }
  });
});
