import { strict as assert } from "node:assert";
import { checkTarball, importedInDeclarations, packageOf, requiredModules, type PackedTarball } from "../../scripts/lib/tarball-checks";
import type { Manifest } from "../../scripts/lib/workspace";

const manifest: Manifest = {
  name: "@pfv5/network",
  version: "0.1.0",
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  exports: { ".": { "@pfv5/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" } },
  dependencies: { "@pfv5/zones": "0.1.0" },
  peerDependencies: { "@pulumi/pulumi": "^3.248.0", "@pulumi/aws": "^7.0.0" },
};
const files: Record<string, string> = {
  "README.md": "# @pfv5/network",
  "package.json": "{}",
  "src/index.ts": 'export * from "./aws";',
  "src/aws.ts": "",
  "dist/index.js": 'const pulumi = require("@pulumi/pulumi");\nconst zones_1 = require("@pfv5/zones");\nconst aws_1 = require("./aws");',
  "dist/index.d.ts": 'export * from "./aws";',
  "dist/aws.js": 'const aws = __importStar(require("@pulumi/aws"));\nconst fs = require("node:fs");',
  "dist/aws.d.ts": 'import * as aws from "@pulumi/aws";\nexport declare const x: import("@pfv5/zones").Tier;',
};

function tarball(overrides: { manifest?: Partial<Manifest>; files?: Record<string, string | undefined> } = {}): PackedTarball {
  const all = { ...files, ...overrides.files };
  const present = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    manifest: { ...manifest, ...overrides.manifest },
    files: Object.keys(present),
    read: (f) => present[f] ?? "",
    workspaceVersions: new Map([
      ["@pfv5/network", "0.1.0"],
      ["@pfv5/zones", "0.1.0"],
    ]),
  };
}

describe("the packed-tarball checks", () => {
  it("find nothing wrong with a complete tarball", () => {
    assert.deepEqual(checkTarball(tarball()), []);
  });

  it("name a workspace or catalog protocol left in the manifest", () => {
    const problems = checkTarball(tarball({ manifest: { dependencies: { "@pfv5/zones": "workspace:*" }, peerDependencies: { "@pulumi/pulumi": "catalog:", "@pulumi/aws": "^7.0.0" } } }));
    assert.deepEqual(problems, [
      'dependencies["@pfv5/zones"] is still "workspace:*" in the packed manifest: pack with pnpm, which replaces it with a version',
      'dependencies["@pfv5/zones"] is "workspace:*" but the workspace has @pfv5/zones@0.1.0: depend on it with "workspace:*"',
      'peerDependencies["@pulumi/pulumi"] is still "catalog:" in the packed manifest: pack with pnpm, which replaces it with a version',
    ]);
  });

  it("name an entry point the tarball lacks and JavaScript without declarations", () => {
    const problems = checkTarball(tarball({ files: { "dist/index.d.ts": undefined } }));
    assert.deepEqual(problems, [
      "types points at ./dist/index.d.ts, which the tarball does not contain: build first, or fix \"files\"",
      'exports["."] points at ./dist/index.d.ts, which the tarball does not contain: build first, or fix "files"',
      "dist/index.js has no declarations beside it (dist/index.d.ts): keep \"declaration\" on",
    ]);
  });

  it("name shipped tests, test helpers and a require of the test setup", () => {
    const problems = checkTarball(
      tarball({
        files: {
          "dist/aws.test.js": 'require("../../../test/setup/mocks");',
          "dist/aws.test.d.ts": "",
          "src/testing/fixtures.ts": "",
          "dist/fixtures.js": 'require("../../../test/setup/helpers");',
          "dist/fixtures.d.ts": "",
          "src/fixtures.ts": "",
        },
      }),
    );
    assert.deepEqual(problems, [
      "ships test code dist/aws.test.js: exclude it in \"files\"",
      "ships test code dist/aws.test.d.ts: exclude it in \"files\"",
      "ships test code src/testing/fixtures.ts: exclude it in \"files\"",
      'dist/fixtures.js requires the test setup ("../../../test/setup/helpers"): only specs may',
    ]);
  });

  it("name a required module that is neither a dependency nor a peer, and a peer nothing requires", () => {
    const problems = checkTarball(
      tarball({ manifest: { peerDependencies: { "@pulumi/pulumi": "^3.248.0", "@pulumi/aws": "^7.0.0", "@pulumi/tls": "^5.0.0" } }, files: { "dist/aws.js": 'require("@pulumi/aws");\nrequire("yaml/util");' } }),
    );
    assert.deepEqual(problems, [
      'dist/aws.js requires "yaml/util", but "yaml" is neither a dependency nor a peer: declare it (a peer for the Pulumi SDKs)',
      'peerDependencies["@pulumi/tls"] is never required by the shipped code: drop it, so consumers need not install it',
    ]);
  });

  it("name a package the declarations import types from without declaring it", () => {
    const extra = { "dist/extra.d.ts": 'import type { Listener } from "@pulumi/aws/lb/listener";\nimport { x } from "@pulumi/kubernetes/core/v1";', "dist/extra.js": "", "src/extra.ts": "" };
    assert.deepEqual(checkTarball(tarball({ files: extra })), [
      'dist/extra.d.ts import types from "@pulumi/kubernetes", which is neither a dependency nor a peer: declare it (an optional peer if only types need it)',
    ]);
  });

  it("let a policy pack's declarations use the SDKs it was tested with, since nothing compiles against it", () => {
    const extra = { "dist/extra.d.ts": 'import { x } from "@pulumi/kubernetes/core/v1";', "dist/extra.js": "", "src/extra.ts": "", "PulumiPolicy.yaml": "runtime: nodejs" };
    assert.deepEqual(checkTarball(tarball({ files: extra })), []);
  });

  it("ask a component library to take the Pulumi SDKs as peers, but let a policy pack carry them", () => {
    const asDependency = { dependencies: { "@pfv5/zones": "0.1.0", "@pulumi/pulumi": "3.248.0" }, peerDependencies: { "@pulumi/aws": "^7.0.0" } };
    assert.deepEqual(checkTarball(tarball({ manifest: asDependency })), [
      'dependencies["@pulumi/pulumi"]: make the Pulumi SDK a peer, so a consumer\'s program keeps one copy',
    ]);
    assert.deepEqual(checkTarball(tarball({ manifest: asDependency, files: { "PulumiPolicy.yaml": "runtime: nodejs" } })), []);
  });

  it("name a build output whose source is gone, left over from an earlier build", () => {
    const problems = checkTarball(tarball({ files: { "dist/old.js": "", "dist/old.d.ts": "" } }));
    assert.deepEqual(problems, ["dist/old.js has no source (src/old.ts): it is left over from an earlier build; run tsc -b --clean, then build"]);
  });

  it("name a missing README", () => {
    assert.deepEqual(checkTarball(tarball({ files: { "README.md": undefined } })), ["has no README.md: add one with a usage example"]);
  });
});

describe("the module scanners", () => {
  it("read the packages a compiled file requires, skipping relative paths and Node built-ins", () => {
    const js = 'require("@pulumi/aws/ec2");\nrequire("./plan");\nrequire("node:fs");\nrequire("path");\nrequire("yaml");';
    assert.deepEqual(requiredModules(js).map(packageOf), ["@pulumi/aws", undefined, undefined, undefined, "yaml"]);
  });

  it("read imports and import() types from a declaration file", () => {
    assert.deepEqual(importedInDeclarations('import * as a from "@pulumi/aws";\nexport type T = import("@pfv5/zones").Tier;\nexport * from "./x";'), ["@pulumi/aws", "@pfv5/zones", "./x"]);
  });
});
