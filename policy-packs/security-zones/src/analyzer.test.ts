/**
 * The built pack in a real analyzer process, started the way the engine starts a Node.js
 * policy pack (`pulumi preview --policy-pack policy-packs/security-zones`): node runs
 * `@pulumi/pulumi/cmd/run-policy-pack` with the engine's address and `.` in the pack's
 * directory, the SDK prints the port of its gRPC analyzer service, and the engine calls it.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeDiagnostic,
  AnalyzeRequest,
  AnalyzeResponse,
  AnalyzerInfo,
  AnalyzeStackRequest,
  AnalyzerPropertyDependencies,
  AnalyzerResource,
  AnalyzerResourceOptions,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { PACK_NAME, POLICY_DOCS } from "./pack";
import { T } from "./lib/types";
import { UNKNOWN, urnOf } from "./testing/harness";

const PACK_DIR = path.resolve(__dirname, "..");
const packRequire = createRequire(path.join(PACK_DIR, "package.json"));

function build(): void {
  const tsc = packRequire.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-b", PACK_DIR], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the pack failed (tsc -b exited ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** Starts the pack as the engine does and resolves with its analyzer port. */
function startPack(): Promise<{ child: ChildProcess; port: number; startMs: number }> {
  const script = packRequire.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const started = Date.now();
  const child = spawn(process.execPath, [script, "127.0.0.1:0", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the pack printed no port within 30 s; stderr:\n${stderr}`)), 30_000);
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, port: Number(line[1]), startMs: Date.now() - started });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pack exited with ${code} before printing its port; stdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

/** One unary call: `unary<AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb))`. */
function unary<Res>(invoke: (cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((e, r) => (e === null ? resolve(r) : reject(e))));
}

function options(): AnalyzerResourceOptions {
  // The SDK refuses requests without options ("A more recent version of the Pulumi CLI is required").
  return new AnalyzerResourceOptions().setProtect(false);
}

function resource(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): AnalyzerResource {
  const r = new AnalyzerResource().setType(type).setName(name).setUrn(urnOf(type, name)).setProperties(Struct.fromJavaScript(props as never)).setOptions(options());
  for (const [k, urns] of Object.entries(deps)) r.getPropertydependenciesMap().set(k, new AnalyzerPropertyDependencies().setUrnsList(urns));
  r.setDependenciesList([...new Set(Object.values(deps).flat())]);
  return r;
}

function of(policy: string, diagnostics: readonly AnalyzeDiagnostic[]): AnalyzeDiagnostic[] {
  return diagnostics.filter((d) => d.getPolicyname() === policy);
}

describe("the built pack in an analyzer process", function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient;
  let startMs = 0;

  before(async () => {
    build();
    const started = await startPack();
    child = started.child;
    startMs = started.startMs;
    client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it("starts and prints its port within 10 seconds", () => {
    assert.ok(startMs < 10_000, `the pack took ${startMs} ms to start`);
  });

  it("answers GetAnalyzerInfo with every registered policy, each mandatory but the advice on missing paths", async () => {
    const info = await unary<AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { readonly version: string };
    assert.equal(info.getName(), PACK_NAME);
    assert.equal(info.getVersion(), manifest.version);
    assert.equal(info.getSupportsconfig(), true);
    const policies = info.getPoliciesList();
    assert.deepEqual(policies.map((p) => p.getName()).sort(), POLICY_DOCS.map((d) => d.name).sort());
    assert.deepEqual(
      policies.filter((p) => p.getEnforcementlevel() !== EnforcementLevel.MANDATORY).map((p) => p.getName()),
      ["zone-matrix-missing"],
    );
    for (const name of ["internet-ingress-dmz-only", "no-internet-admin-ports", "no-internet-route-from-data", "data-egress-inside-vpc", "vpc-flow-logs"]) {
      assert.ok(policies.some((p) => p.getName() === name), `${name} is served`);
    }
  });

  it("reports internet ingress to the app tier as a mandatory violation of the rule resource", async () => {
    const sg = resource(T.securityGroup, "app-sg", { vpcId: UNKNOWN, tags: { "pfv5:role": "app" } });
    const rule = resource(
      T.ingressRule,
      "app-https",
      { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      { securityGroupId: [sg.getUrn()] },
    );
    const res = await unary<AnalyzeResponse>((cb) => client.analyzeStack(new AnalyzeStackRequest().setResourcesList([sg, rule]), cb));
    const found = of("internet-ingress-dmz-only", res.getDiagnosticsList());
    assert.equal(found.length, 1);
    assert.equal(found[0]?.getEnforcementlevel(), EnforcementLevel.MANDATORY);
    assert.equal(found[0]?.getUrn(), rule.getUrn());
    assert.match(found[0]?.getMessage() ?? "", /allows tcp 443 from 0\.0\.0\.0\/0 into aws\.ec2\.SecurityGroup "app-sg" .*only the DMZ may be reached/);
  });

  it("reports a value unknown in preview as a mandatory violation, not an advisory note", async () => {
    const req = new AnalyzeRequest()
      .setType(T.securityGroup)
      .setName("edge-sg")
      .setUrn(urnOf(T.securityGroup, "edge-sg"))
      .setOptions(options())
      .setProperties(Struct.fromJavaScript({ tags: { "pfv5:role": "edge" }, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: UNKNOWN }] }));
    const res = await unary<AnalyzeResponse>((cb) => client.analyze(req, cb));
    const found = of("internet-ingress-dmz-only", res.getDiagnosticsList());
    assert.equal(found.length, 1);
    assert.equal(found[0]?.getEnforcementlevel(), EnforcementLevel.MANDATORY);
    assert.match(found[0]?.getMessage() ?? "", /could not be checked: ingress\[0\]\.cidrBlocks is unknown until deployment/);
  });

  it("takes the authorized admin CIDRs from the policy config", async () => {
    const sg = resource(T.securityGroup, "bastion-sg", { tags: { "pfv5:role": "bastion" } });
    const rule = resource(T.ingressRule, "bastion-ssh", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24" }, { securityGroupId: [sg.getUrn()] });
    const stack = new AnalyzeStackRequest().setResourcesList([sg, rule]);
    const before = await unary<AnalyzeResponse>((cb) => client.analyzeStack(stack, cb));
    assert.equal(of("no-internet-admin-ports", before.getDiagnosticsList()).length, 1);

    const configure = new ConfigureAnalyzerRequest();
    for (const name of ["internet-ingress-dmz-only", "no-internet-admin-ports"]) {
      configure.getPolicyconfigMap().set(name, new PolicyConfig().setEnforcementlevel(EnforcementLevel.MANDATORY).setProperties(Struct.fromJavaScript({ adminCidrs: ["203.0.113.0/24"] })));
    }
    await unary<Empty>((cb) => client.configure(configure, cb));
    const after = await unary<AnalyzeResponse>((cb) => client.analyzeStack(stack, cb));
    assert.deepEqual(after.getDiagnosticsList().map((d) => d.getPolicyname()), []);
  });
});
