import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiHome, resolveBackend } from "./backend";
import { stacksAffected } from "./changed";
import { engineConfig, interpretProjectFile, interpretStackFile, listStacks, readStackFile, SECRET_PLACEHOLDER } from "./stack-file";

describe("stack files", () => {
  it("reads environment and cloud from the config", () => {
    const f = interpretStackFile("net-a", "Pulumi.net-a.yaml", "config:\n  pfv5:cloud: azure\n  pfv5:environment: dev\n");
    assert.deepEqual([f.environment, f.protected, f.cloud], ["dev", false, "azure"]);
  });

  it("falls back to the stack name for environment and cloud", () => {
    const f = interpretStackFile("cluster-prod", "Pulumi.cluster-prod.yaml", "config: {}\n");
    assert.deepEqual([f.environment, f.protected, f.cloud], ["prod", true, "kubernetes"]);
  });

  it("protects a stack whose environment it cannot tell, and any stack named -prod", () => {
    assert.equal(interpretStackFile("edge", "f", "config: {}\n").protected, true);
    assert.equal(interpretStackFile("aws-prod", "f", "config:\n  pfv5:environment: dev\n").protected, true);
  });

  it("keeps the secrets provider", () => {
    const f = interpretStackFile("aws-dev", "f", "secretsprovider: awskms://alias/pfv5\nconfig: {}\n");
    assert.equal(f.secretsProvider, "awskms://alias/pfv5");
  });

  it("hands the config over as the engine does: full keys, strings, JSON for the rest, secrets masked", () => {
    const project = interpretProjectFile("Pulumi.yaml", "name: pfv5\nconfig:\n  pfv5:environment:\n    type: string\n  region:\n    default: eu-west-1\n  pfv5:flag: true\n");
    assert.deepEqual(project, { name: "pfv5", defaults: { "pfv5:region": "eu-west-1", "pfv5:flag": true } });
    const config = { "pfv5:cloud": "aws", azCount: 3, "pfv5:tags": { owner: "platform" }, "pfv5:kubeconfig": { secure: "AAAB" }, "pfv5:users": [{ name: "a", token: { secure: "AAAC" } }], "pfv5:flag": false };
    assert.deepEqual(engineConfig(config, project), {
      "pfv5:region": "eu-west-1",
      "pfv5:flag": "false",
      "pfv5:cloud": "aws",
      "pfv5:azCount": "3",
      "pfv5:tags": '{"owner":"platform"}',
      "pfv5:kubeconfig": SECRET_PLACEHOLDER,
      "pfv5:users": `[{"name":"a","token":"${SECRET_PLACEHOLDER}"}]`,
    });
  });

  it("refuses a project file without a name", () => {
    assert.throws(() => interpretProjectFile("Pulumi.yaml", "runtime: nodejs\n"), { message: 'Pulumi.yaml: "name" must be the project name' });
  });

  describe("in a project directory", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-stacks-"));
      for (const s of ["aws-dev", "aws-prod"]) fs.writeFileSync(path.join(dir, `Pulumi.${s}.yaml`), "config: {}\n");
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pfv5\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists the stacks with a settings file", () => {
      assert.deepEqual(listStacks(dir), ["aws-dev", "aws-prod"]);
    });

    it("names the known stacks when asked for an unknown one", () => {
      assert.throws(() => readStackFile(dir, "aws-dve"), {
        name: "StackNotFoundError",
        message: `unknown stack "aws-dve": there is no Pulumi.aws-dve.yaml in ${dir}; the stacks are aws-dev, aws-prod`,
      });
    });
  });
});

describe("backend settings", () => {
  it("defaults to a file backend inside the project and passes the passphrase explicitly", () => {
    const r = resolveBackend({ PULUMI_CONFIG_PASSPHRASE: "s3cret", HOME: "/home/ci" }, "/repo", undefined);
    assert.ok(r.ok);
    assert.deepEqual(r.settings, {
      backendUrl: "file:///repo/.pulumi-state",
      localFile: true,
      stateDir: "/repo/.pulumi-state",
      envVars: { PULUMI_BACKEND_URL: "file:///repo/.pulumi-state", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" },
      pulumiHome: "/home/ci/.pulumi",
    });
  });

  it("takes PULUMI_BACKEND_URL and a passphrase file", () => {
    const file = path.join(os.tmpdir(), `pfv5-pass-${process.pid}`);
    fs.writeFileSync(file, "x");
    try {
      const r = resolveBackend({ PULUMI_BACKEND_URL: "s3://state-bucket", PULUMI_CONFIG_PASSPHRASE_FILE: file, PULUMI_HOME: "/opt/pulumi" }, "/repo", undefined);
      assert.ok(r.ok);
      assert.deepEqual([r.settings.backendUrl, r.settings.localFile, r.settings.envVars["PULUMI_CONFIG_PASSPHRASE_FILE"], r.settings.pulumiHome], ["s3://state-bucket", false, file, "/opt/pulumi"]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("refuses a self-managed backend without a passphrase, saying which variables to set", () => {
    assert.deepEqual(resolveBackend({}, "/repo", undefined), {
      ok: false,
      problems: [
        "the backend file:///repo/.pulumi-state keeps stack secrets encrypted with a passphrase, and neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set: export one of them (CI: a repository secret)",
      ],
    });
  });

  it("needs no passphrase for Pulumi Cloud or a stack with a KMS secrets provider", () => {
    assert.equal(resolveBackend({ PULUMI_BACKEND_URL: "https://api.pulumi.com" }, "/repo", undefined).ok, true);
    assert.equal(resolveBackend({}, "/repo", "awskms://alias/pfv5").ok, true);
  });

  it("finds the Pulumi home in PULUMI_HOME, else under HOME", () => {
    assert.deepEqual([pulumiHome({ PULUMI_HOME: "/p" }), pulumiHome({ HOME: "/h" })], ["/p", "/h/.pulumi"]);
  });
});

describe("stacks a change touches", () => {
  const stacks = ["aws-dev", "aws-prod", "azure-dev", "cluster-dev"];

  it("touches one stack for a change of its stack file", () => {
    assert.deepEqual(stacksAffected(["Pulumi.aws-prod.yaml"], stacks), ["aws-prod"]);
  });

  it("touches every stack for a change of the program, a component, a policy or the lockfile", () => {
    for (const f of ["stacks/index.ts", "packages/network/src/aws/vpc.ts", "policy-packs/security-zones/src/index.ts", "pnpm-lock.yaml", "Pulumi.yaml"]) {
      assert.deepEqual(stacksAffected([f], stacks), stacks, f);
    }
  });

  it("touches no stack for docs, tests or unrelated files", () => {
    assert.deepEqual(stacksAffected(["README.md", "packages/network/src/aws/vpc.test.ts", "test/host/nft.test.ts", "docs/x.txt"], stacks), []);
  });

  it("ignores the stack file of a stack that no longer exists", () => {
    assert.deepEqual(stacksAffected(["Pulumi.gcp-dev.yaml", "Pulumi.azure-dev.yaml"], stacks), ["azure-dev"]);
  });
});
