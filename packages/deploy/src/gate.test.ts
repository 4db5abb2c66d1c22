import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { applyGate, destructiveChanges, formatRefusal, gate, PROTECTED_TYPES } from "./gate";

let sequence = 0;

/** A preview step event as the engine emits it. */
function step(op: OpType, type: string, name: string, protect?: boolean): EngineEvent {
  sequence += 1;
  const urn = `urn:pulumi:aws-prod::pfv5::${type}::${name}`;
  return {
    sequence,
    timestamp: 1_700_000_000 + sequence,
    resourcePreEvent: {
      planning: true,
      metadata: {
        op,
        urn,
        type,
        provider: "",
        ...(protect !== undefined
          ? { old: { type, urn, id: `id-${name}`, parent: "", provider: "", inputs: {}, outputs: {}, protect } }
          : {}),
      },
    },
  };
}

const VPC = "aws:ec2/vpc:Vpc";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const KEY = "tls:index/privateKey:PrivateKey";
const WG = "random:index/randomBytes:RandomBytes";

describe("protected-environment gate", () => {
  it("finds nothing in a plan of creates, updates and unchanged resources", () => {
    const events = [step("create", VPC, "net"), step("update", SG, "web"), step("same", KEY, "ca")];
    assert.deepEqual(gate(events, []), { refused: [], allowed: [], unusedAllowances: [] });
  });

  it("refuses the replacement of a VPC, once although the engine reports three steps", () => {
    const events = [step("create-replacement", VPC, "net"), step("replace", VPC, "net"), step("delete-replaced", VPC, "net")];
    const result = gate(events, []);
    assert.deepEqual(result.refused, [
      { urn: `urn:pulumi:aws-prod::pfv5::${VPC}::net`, type: VPC, op: "replace", why: PROTECTED_TYPES[VPC] },
    ]);
  });

  it("refuses the deletion of a TLS key and of WireGuard key material", () => {
    const result = gate([step("delete", KEY, "ca-key"), step("delete", WG, "wg-server-key")], []);
    assert.deepEqual(result.refused.map((f) => [f.type, f.op]), [[KEY, "delete"], [WG, "delete"]]);
  });

  it("lets a replace of an unlisted type through: security group rules are recreated safely", () => {
    assert.deepEqual(gate([step("replace", RULE, "web-443"), step("delete", RULE, "web-80")], []).refused, []);
  });

  it("refuses any resource marked protect, whatever its type", () => {
    const result = gate([step("delete", "aws:s3/bucketV2:BucketV2", "audit", true)], []);
    assert.deepEqual(result.refused.map((f) => [f.type, f.why]), [["aws:s3/bucketV2:BucketV2", "the resource is marked protect"]]);
  });

  it("reports a resource that is deleted and replaced in one plan as replaced", () => {
    const result = gate([step("delete", SG, "bastion"), step("replace", SG, "bastion")], []);
    assert.deepEqual(result.refused.map((f) => f.op), ["replace"]);
  });

  it("allows a finding named by its exact URN and leaves the others refused", () => {
    const events = [step("replace", VPC, "net"), step("replace", SG, "web")];
    const urn = `urn:pulumi:aws-prod::pfv5::${VPC}::net`;
    const result = gate(events, [urn]);
    assert.deepEqual(result.allowed.map((f) => f.urn), [urn]);
    assert.deepEqual(result.refused.map((f) => f.type), [SG]);
    assert.deepEqual(result.unusedAllowances, []);
  });

  it("allows every finding of a named type", () => {
    const result = gate([step("replace", SG, "web"), step("delete", SG, "db")], [SG]);
    assert.deepEqual([result.refused.length, result.allowed.length], [0, 2]);
  });

  it("reports allowances that matched nothing, which are usually typos", () => {
    const result = gate([step("replace", SG, "web")], ["aws:ec2/securityGroup:SecurityGroups", SG]);
    assert.deepEqual(result.unusedAllowances, ["aws:ec2/securityGroup:SecurityGroups"]);
  });

  it("ignores events that are not resource steps", () => {
    const events: EngineEvent[] = [
      { sequence: 1, timestamp: 1, diagnosticEvent: { message: "hello", color: "never", severity: "info" } },
      { sequence: 2, timestamp: 2, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { delete: 1 }, policyPacks: {} } },
    ];
    assert.deepEqual(destructiveChanges(events), []);
  });

  it("gates the network skeleton, keys, certificates and namespaces of every cloud", () => {
    for (const t of [
      "aws:ec2/subnet:Subnet",
      "aws:ec2/natGateway:NatGateway",
      "aws:ec2/eip:Eip",
      "aws:ec2/routeTable:RouteTable",
      "azure-native:network:VirtualNetwork",
      "azure-native:network:Subnet",
      "azure-native:network:NetworkSecurityGroup",
      "azure-native:network:NatGateway",
      "tls:index/selfSignedCert:SelfSignedCert",
      "tls:index/locallySignedCert:LocallySignedCert",
      "kubernetes:core/v1:Namespace",
    ]) {
      assert.equal(typeof PROTECTED_TYPES[t], "string", `${t} should be gated`);
    }
  });

  it("words the refusal with each resource, why it matters and the exact flag to pass", () => {
    const result = applyGate(
      [{ urn: "urn:pulumi:aws-prod::pfv5::aws:ec2/vpc:Vpc::net", type: VPC, op: "replace", why: "the VPC: replacing it replaces every subnet" }],
      [],
    );
    assert.equal(
      formatRefusal("aws-prod", result),
      [
        'error: stack "aws-prod" is a protected environment and the plan would replace or delete 1 protected resource:',
        "  replace urn:pulumi:aws-prod::pfv5::aws:ec2/vpc:Vpc::net",
        "      the VPC: replacing it replaces every subnet",
        "nothing was changed. Change the program so these resources stay as they are (an alias keeps a",
        "renamed resource), or, if the replacement is intended and its impact planned for, rerun with",
        "  --allow-replace 'urn:pulumi:aws-prod::pfv5::aws:ec2/vpc:Vpc::net'",
      ].join("\n"),
    );
  });
});

describe("gate documentation", () => {
  it("lists every gated type in the package README", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const missing = Object.keys(PROTECTED_TYPES).filter((t) => !readme.includes(`\`${t}\``));
    assert.deepEqual(missing, []);
  });
});
