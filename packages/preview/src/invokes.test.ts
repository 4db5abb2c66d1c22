import { strict as assert } from "node:assert";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { answerInvoke, zoneIdPrefix } from "./invokes";
import { RpcError, SECRET_SIG, SIG_KEY, UNKNOWN } from "./proto";

describe("offline invoke answers", () => {
  it("lists three zones of the configured region with AWS-style zone ids", () => {
    assert.deepEqual(answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", { args: { state: "available" }, region: "ap-southeast-2" }), {
      id: "ap-southeast-2",
      names: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
      zoneIds: ["apse2-az1", "apse2-az2", "apse2-az3"],
      groupNames: ["ap-southeast-2", "ap-southeast-2", "ap-southeast-2"],
      state: "available",
    });
  });

  it("derives zone-id prefixes the way AWS names them", () => {
    assert.deepEqual(
      ["us-east-1", "eu-west-1", "eu-central-1", "ap-northeast-1", "ca-central-1", "sa-east-1", "us-gov-west-1"].map(zoneIdPrefix),
      ["use1", "euw1", "euc1", "apne1", "cac1", "sae1", "usgw1"],
    );
  });

  it("honours excluded zone names", () => {
    const r = answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", { args: { excludeNames: ["eu-west-1b"] }, region: "eu-west-1" });
    assert.deepEqual(r["names"], ["eu-west-1a", "eu-west-1c"]);
  });

  it("gives the same AMI id for the same query and region, and another for another region", () => {
    const args = { owners: ["amazon"], filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] };
    const a = answerInvoke("aws:ec2/getAmi:getAmi", { args, region: "eu-west-1" });
    const b = answerInvoke("aws:ec2/getAmi:getAmi", { args, region: "eu-west-1" });
    const c = answerInvoke("aws:ec2/getAmi:getAmi", { args, region: "us-east-1" });
    assert.equal(a["id"], b["id"]);
    assert.notEqual(a["id"], c["id"]);
    assert.equal(a["name"], "al2023-ami-20250101-x86_64");
    assert.equal(a["architecture"], "x86_64");
  });

  it("fails an answer that needs a region when none is configured, saying which key to set", () => {
    assert.throws(
      () => answerInvoke("aws:ec2/getAmi:getAmi", { args: {}, region: undefined }),
      /aws:ec2\/getAmi:getAmi: the offline answer needs an AWS region, got undefined: set aws:region/,
    );
  });

  it("fails an unknown token with an error that names it and that the SDK can show", () => {
    try {
      answerInvoke("azure-native:network:getVirtualNetwork", { args: {}, region: "eu-west-1" });
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof RpcError);
      assert.match(e.details, /^the offline preview has no answer for invoke "azure-native:network:getVirtualNetwork"/);
    }
  });

  it("uses the SDK's own markers for unknown and secret values", () => {
    assert.equal(UNKNOWN, rpc.unknownValue);
    assert.equal(SIG_KEY, rpc.specialSigKey);
    assert.equal(SECRET_SIG, rpc.specialSecretSig);
  });
});
