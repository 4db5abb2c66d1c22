import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./driver";
import { formatFinding, lintFiles, majorTagsForLint, workflowFiles } from "./lint-workflows";

const INFRA = path.join(REPO_ROOT, ".github", "workflows", "infra.yml");

describe("CI workflow lint", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pfv5-workflow-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds infra.yml among the repository's workflows and lints them all clean", async () => {
    const files = workflowFiles(REPO_ROOT);
    assert.ok(files.includes(INFRA), `workflows: ${files.join(", ")}`);
    assert.deepEqual((await lintFiles(files)).map(formatFinding), []);
  });

  it("maps exact action pins to their major tag for the input check, keeping positions", () => {
    const src = "    steps:\n      - uses: actions/checkout@v4.2.2\n      - uses: azure/login@v2.2.0 # pinned\n      - uses: ./local\n";
    assert.equal(majorTagsForLint(src), "    steps:\n      - uses: actions/checkout@v4\n      - uses: azure/login@v2 # pinned\n      - uses: ./local\n");
  });

  it("fails, naming file, line and problem, on a broken copy of the workflow", () => {
    const broken = fs
      .readFileSync(INFRA, "utf8")
      .replace("role-to-assume:", "role-to-asume:")
      .replace("      id-token: write", "      id-token: writ")
      .replace("needs: [test, changes]", "needs: [test, changez]");
    const file = path.join(dir, "infra.yml");
    fs.writeFileSync(file, broken);
    const script = path.join(__dirname, "lint-workflows.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@pfv5/source", script, file], { cwd: REPO_ROOT, encoding: "utf8", timeout: 45_000 });
    assert.equal(r.status, 1, r.stderr);
    const kinds = r.stdout.split("\n").filter((l) => l.startsWith(`${file}:`));
    assert.ok(kinds.some((l) => /input "role-to-asume" is not defined in action "aws-actions\/configure-aws-credentials@v4"/.test(l)), r.stdout);
    assert.ok(kinds.some((l) => /"writ" is invalid for permission of scope "id-token"/.test(l)), r.stdout);
    assert.ok(kinds.some((l) => /changez/.test(l)), r.stdout);
    assert.match(r.stdout, /1 workflow file linted, \d+ findings\n$/);
  });

  it("exits 0 for the repository's own workflows when run as a script", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@pfv5/source", path.join(__dirname, "lint-workflows.ts")], { cwd: REPO_ROOT, encoding: "utf8", timeout: 45_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});

describe("CI workflow shape", () => {
  interface Step {
    uses?: string;
    with?: Record<string, unknown>;
    run?: string;
  }
  interface Job {
    environment?: string;
    permissions?: Record<string, string>;
    steps?: Step[];
    if?: string;
  }
  const wf = parse(fs.readFileSync(INFRA, "utf8")) as { jobs: Record<string, Job>; permissions: Record<string, string> };
  const jobs = wf.jobs;

  it("pins every action to an exact version", () => {
    const uses = Object.values(jobs).flatMap((j) => (j.steps ?? []).map((s) => s.uses).filter((u): u is string => u !== undefined));
    assert.ok(uses.length > 10);
    for (const u of uses) assert.match(u, /^[\w.-]+\/[\w.-]+@v\d+\.\d+\.\d+$/, u);
  });

  it("reads nothing but the repository by default and asks for OIDC tokens only where a cloud is reached", () => {
    assert.deepEqual(wf.permissions, { contents: "read" });
    const oidc = Object.entries(jobs).filter(([, j]) => j.permissions?.["id-token"] === "write").map(([n]) => n);
    assert.deepEqual(oidc, ["preview", "deploy-dev", "deploy-prod"]);
  });

  it("never passes long-lived cloud keys", () => {
    const text = fs.readFileSync(INFRA, "utf8");
    for (const key of ["aws-access-key-id", "aws-secret-access-key", "creds:", "client-secret", "ARM_CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY"]) {
      assert.equal(text.includes(key), false, key);
    }
  });

  it("previews with the policy packs on pull requests and puts prod behind the production environment", () => {
    const run = (j: string): string => (jobs[j]?.steps ?? []).map((s) => s.run ?? "").join("\n");
    assert.match(run("preview"), /pnpm infra preview "\$STACK" .*--json-summary/);
    assert.match(run("deploy-dev"), /pnpm infra up "\$STACK"/);
    assert.equal(jobs["deploy-dev"]?.environment, "development");
    assert.equal(jobs["deploy-prod"]?.environment, "production");
    assert.match(jobs["deploy-prod"]?.if ?? "", /needs\.test\.result == 'success'/);
    assert.match(run("test"), /bash \.ci\/run/);
  });
});
