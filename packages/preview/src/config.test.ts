import { strict as assert } from "node:assert";
import * as path from "node:path";
import {
  applyOverrides,
  ConfigError,
  engineEnv,
  engineString,
  parseOverride,
  readProject,
  readStackConfig,
  SECRET_PLACEHOLDER,
} from "./config";

const PROJECT = path.resolve(__dirname, "..", "fixtures", "project");

describe("offline preview config", () => {
  it("parses an override's value as JSON when it parses and keeps the text otherwise", () => {
    assert.deepEqual(parseOverride('pfv5:sshAllowedCidrs=["0.0.0.0/0"]'), { key: "pfv5:sshAllowedCidrs", value: ["0.0.0.0/0"] });
    assert.deepEqual(parseOverride("pfv5:azCount=3"), { key: "pfv5:azCount", value: 3 });
    assert.deepEqual(parseOverride("pfv5:protect=true"), { key: "pfv5:protect", value: true });
    assert.deepEqual(parseOverride('pfv5:tags={"a":"b"}'), { key: "pfv5:tags", value: { a: "b" } });
    assert.deepEqual(parseOverride("aws:region=eu-west-1"), { key: "aws:region", value: "eu-west-1" });
    assert.deepEqual(parseOverride('name="quoted"'), { key: "name", value: "quoted" });
    assert.deepEqual(parseOverride("url=a=b"), { key: "url", value: "a=b" });
    assert.deepEqual(parseOverride("empty="), { key: "empty", value: "" });
  });

  it("rejects an override without a key or an equals sign, naming it", () => {
    assert.throws(() => parseOverride("=3"), new ConfigError(['--config "=3" is not key=value: write e.g. --config aws:region=eu-west-1']));
    assert.throws(() => parseOverride("azCount"), /--config "azCount" is not key=value/);
  });

  it("reads the project name, entry point, node arguments and config defaults from Pulumi.yaml", () => {
    const p = readProject(PROJECT);
    assert.equal(p.name, "fixture");
    assert.equal(p.main, path.join(PROJECT, "index.ts"));
    assert.deepEqual(p.nodeArgs, ["--import=tsx", "--conditions=@pfv5/source"]);
    assert.deepEqual(p.defaults, { "fixture:azCount": 2 });
  });

  it("reads a stack's config with project defaults underneath and secure values as secret placeholders", () => {
    const p = readProject(PROJECT);
    assert.deepEqual(readStackConfig(p, "secret"), {
      values: {
        "fixture:azCount": 2,
        "aws:region": "eu-west-1",
        "fixture:sshCidr": "10.0.0.0/8",
        "fixture:dbPassword": SECRET_PLACEHOLDER,
      },
      secretKeys: ["fixture:dbPassword"],
    });
  });

  it("qualifies override keys with the project, marks secret ones and rejects malformed keys together", () => {
    const p = readProject(PROJECT);
    const base = readStackConfig(p, "dev");
    const c = applyOverrides(p, base, [
      { key: "azCount", value: 3 },
      { key: "fixture:dbPassword", value: "s3cret", secret: true },
    ]);
    assert.equal(c.values["fixture:azCount"], 3);
    assert.deepEqual(c.secretKeys, ["fixture:dbPassword"]);
    assert.throws(
      () => applyOverrides(p, base, [{ key: "a:b:c", value: 1 }, { key: "bad key", value: 1 }]),
      new ConfigError([
        'override config key "a:b:c" is not valid: use namespace:name, e.g. pfv5:azCount or aws:region',
        'override config key "fixture:bad key" is not valid: use namespace:name, e.g. pfv5:azCount or aws:region',
      ]),
    );
  });

  it("hands config to the program as the engine does: string values, JSON for the rest", () => {
    assert.equal(engineString("eu-west-1"), "eu-west-1");
    assert.equal(engineString(3), "3");
    assert.equal(engineString(true), "true");
    assert.equal(engineString(["10.0.0.0/8"]), '["10.0.0.0/8"]');
    const p = readProject(PROJECT);
    const env = engineEnv(p, "dev", { values: { "fixture:azCount": 2, "fixture:tags": { team: "x" } }, secretKeys: ["fixture:tags"] });
    assert.deepEqual(env, {
      PULUMI_CONFIG: '{"fixture:azCount":"2","fixture:tags":"{\\"team\\":\\"x\\"}"}',
      PULUMI_CONFIG_SECRET_KEYS: '["fixture:tags"]',
      PULUMI_NODEJS_PROJECT: "fixture",
      PULUMI_NODEJS_STACK: "dev",
      PULUMI_NODEJS_ORGANIZATION: "organization",
      PULUMI_NODEJS_ROOT_DIRECTORY: PROJECT,
      PULUMI_NODEJS_DRY_RUN: "true",
    });
  });

  it("rejects a stack name the CLI would reject", () => {
    assert.throws(() => readStackConfig(readProject(PROJECT), "../etc"), /stack name "..\/etc" is not valid/);
  });
});
