import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AnalyzerInfo } from "./analyzer";
import { ConfigError } from "./config";
import { readPolicyConfigFile, reconcilePolicyConfig, validateValue } from "./policy-config";

const INFO: AnalyzerInfo = {
  name: "zones",
  version: "1.0.0",
  policies: [
    {
      name: "ssh",
      description: "",
      level: "mandatory",
      kind: "resource",
      configSchema: {
        properties: { cidrs: { type: "array", items: { type: "string" }, default: [] }, port: { type: "integer", default: 22 } },
        required: ["cidrs"],
      },
    },
    { name: "tags", description: "", level: "advisory", kind: "resource" },
  ],
  initialConfig: { tags: { level: "mandatory" } },
};

describe("policy pack config", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pfv5-policy-config-${process.pid}-`));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("starts from each policy's level and schema defaults, then the pack's initial config", () => {
    assert.deepEqual(reconcilePolicyConfig(INFO, undefined, "defaults"), {
      config: { ssh: { level: "mandatory", properties: { cidrs: [], port: 22 } }, tags: { level: "mandatory", properties: {} } },
      problems: [],
    });
  });

  it("applies `all` first and then each policy's own entry", () => {
    const r = reconcilePolicyConfig(INFO, { all: { level: "advisory" }, ssh: { properties: { cidrs: ["192.0.2.0/24"] } }, tags: { level: "disabled" } }, "f");
    assert.deepEqual(r.config, {
      ssh: { level: "advisory", properties: { cidrs: ["192.0.2.0/24"], port: 22 } },
      tags: { level: "disabled", properties: {} },
    });
  });

  it("validates the result against the schema and names the policy, property and value", () => {
    const r = reconcilePolicyConfig(INFO, { ssh: { properties: { cidrs: ["ok", 7], port: 22.5 } } }, "stack.json");
    assert.deepEqual(r.problems, [
      "policy config for pack zones (stack.json): ssh.cidrs[1] = 7: expected string",
      "policy config for pack zones (stack.json): ssh.port = 22.5: expected integer",
    ]);
  });

  it("checks enum, bounds, pattern and required properties", () => {
    assert.deepEqual(validateValue({ enum: ["a", "b"] }, "c", "x"), ['x = "c": expected one of "a", "b"']);
    assert.deepEqual(validateValue({ type: "integer", minimum: 1, maximum: 9 }, 10, "n"), ["n = 10: expected at most 9"]);
    assert.deepEqual(validateValue({ type: "string", pattern: "^sg-" }, "x", "g"), ['g = "x": expected to match ^sg-']);
    assert.deepEqual(validateValue({ type: "object", required: ["a"] }, {}, "o"), ["o.a is required"]);
    assert.deepEqual(validateValue({ type: "number" }, 3, "n"), []);
  });

  it("reads the CLI's file format: a level, or an object with enforcementLevel and properties", () => {
    const file = path.join(tmp, "ok.json");
    fs.writeFileSync(file, JSON.stringify({ all: "advisory", ssh: { enforcementLevel: "mandatory", port: 2222 } }));
    assert.deepEqual(readPolicyConfigFile(file), {
      all: { level: "advisory" },
      ssh: { level: "mandatory", properties: { port: 2222 } },
    });
  });

  it("rejects bad levels and values in the file, all at once", () => {
    const file = path.join(tmp, "bad.json");
    fs.writeFileSync(file, JSON.stringify({ all: "strict", ssh: { enforcementLevel: 1 }, tags: 3 }));
    assert.throws(
      () => readPolicyConfigFile(file),
      new ConfigError([
        `${file}: "all" = "strict" is not an enforcement level: use advisory, mandatory, remediate, disabled`,
        `${file}: "ssh".enforcementLevel = 1 is not valid: use advisory, mandatory, remediate, disabled`,
        `${file}: "tags" = 3: expected an enforcement level or an object`,
      ]),
    );
  });
});
