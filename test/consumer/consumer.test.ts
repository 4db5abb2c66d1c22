import { strict as assert } from "node:assert";
import { runScript } from "../release/run-script";
import { checkConsumerManifest, declarationsMissing, sourcesInProgram, withTarballs } from "../../scripts/test-consumer";

describe("examples/consumer, a program outside the workspace", () => {
  it("installs the packed tarballs, type-checks against their declarations and passes its own specs", async function () {
    // Build, pack, install from the store, a strict tsc and mocha: about a minute on two cores.
    this.timeout(300_000);
    const { code, output } = await runScript("test-consumer.ts");
    assert.equal(code, 0, `scripts/test-consumer.ts failed:\n${output}`);
    assert.match(output, /examples\/consumer passed against @pfv5\/access@[^,]+, @pfv5\/firewall@[^,]+, @pfv5\/network@[^,]+, @pfv5\/zones@/);
    assert.match(output, /\b[1-9]\d* passing\b/);
    assert.doesNotMatch(output, /\bfailing\b/);
  });
});

describe("the consumer script's checks", () => {
  const catalog = { "@pulumi/pulumi": "3.248.0", mocha: "11.7.5" };

  it("accepts a manifest whose third-party versions are the catalog's", () => {
    const manifest = { name: "c", version: "1.0.0", dependencies: { "@pfv5/network": "^0.1.0", "@pulumi/pulumi": "3.248.0" }, devDependencies: { mocha: "11.7.5" } };
    assert.deepEqual(checkConsumerManifest(manifest, catalog), []);
  });

  it("names a version that differs from the catalog and a package the catalog lacks", () => {
    const manifest = { name: "c", version: "1.0.0", dependencies: { "@pulumi/pulumi": "^3.200.0" }, devDependencies: { chai: "5.0.0" } };
    assert.deepEqual(checkConsumerManifest(manifest, catalog), [
      'examples/consumer/package.json dependencies["@pulumi/pulumi"] is "^3.200.0" but the catalog has 3.248.0: use 3.248.0',
      'examples/consumer/package.json devDependencies["chai"] is not in the pnpm catalog: add it there, so the example tests what the workspace uses',
    ]);
  });

  it("points direct dependencies at the tarballs and overrides the transitive ones", () => {
    const manifest = { name: "c", version: "1.0.0", dependencies: { "@pfv5/network": "^0.1.0", "@pulumi/aws": "7.48.0" } };
    const tarballs = new Map([
      ["@pfv5/network", "/t/pfv5-network-0.1.0.tgz"],
      ["@pfv5/zones", "/t/pfv5-zones-0.1.0.tgz"],
    ]);
    assert.deepEqual(withTarballs(manifest, tarballs), {
      name: "c",
      version: "1.0.0",
      dependencies: { "@pfv5/network": "file:/t/pfv5-network-0.1.0.tgz", "@pulumi/aws": "7.48.0" },
      pnpm: { overrides: { "@pfv5/network": "file:/t/pfv5-network-0.1.0.tgz", "@pfv5/zones": "file:/t/pfv5-zones-0.1.0.tgz" } },
    });
  });

  it("tells a program checked against the declarations from one that compiled our sources", () => {
    const store = "/w/node_modules/.pnpm/@pfv5+network@file+x/node_modules/@pfv5/network";
    const declarations = [`${store}/dist/index.d.ts`, "/w/infra.ts"].join("\n");
    const sources = [`${store}/src/index.ts`, "/w/infra.ts"].join("\n");
    assert.deepEqual(sourcesInProgram(declarations), []);
    assert.deepEqual(declarationsMissing(declarations, ["@pfv5/network"]), []);
    assert.deepEqual(sourcesInProgram(sources), [`${store}/src/index.ts`]);
    assert.deepEqual(declarationsMissing(sources, ["@pfv5/network"]), ["@pfv5/network"]);
  });
});
