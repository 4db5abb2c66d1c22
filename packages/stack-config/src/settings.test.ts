import { strict as assert } from "node:assert";
import { ValidationError } from "@pfv5/zones";
import { readStackSettings, type AwsSettings } from "./settings";

const awsDev = {
  "pfv5:cloud": "aws",
  "pfv5:environment": "dev",
  "aws:region": "eu-west-1",
  "pfv5:sshAllowedCidrs": '["203.0.113.0/24"]',
};

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    readStackSettings("t", raw);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => p.key);
    throw e;
  }
  return [];
}

describe("stack settings", () => {
  it("reads an AWS dev stack with its defaults: two zones, one NAT, 30-day flow logs, unprotected", () => {
    const s = readStackSettings("aws-dev", awsDev) as AwsSettings;
    assert.equal(s.cloud, "aws");
    assert.equal(s.azCount, 2);
    assert.equal(s.natStrategy, "single");
    assert.equal(s.flowLogRetentionDays, 30);
    assert.equal(s.protect, false);
    assert.deepEqual(s.sshAllowedCidrs, ["203.0.113.0/24"]);
  });

  it("gives prod three zones, a NAT per zone and protection", () => {
    const s = readStackSettings("aws-prod", { ...awsDev, "pfv5:environment": "prod" }) as AwsSettings;
    assert.deepEqual([s.azCount, s.natStrategy, s.protect, s.flowLogRetentionDays], [3, "perAz", true, 365]);
  });

  it("decodes JSON-encoded numbers, booleans and maps as the engine passes them", () => {
    const s = readStackSettings("t", { ...awsDev, "pfv5:azCount": "3", "pfv5:tags": '{"team":"platform"}' }) as AwsSettings;
    assert.equal(s.azCount, 3);
    assert.deepEqual(s.tags, { team: "platform" });
  });

  const broken: [string, Record<string, unknown>, string[]][] = [
    ["the whole internet among the SSH CIDRs", { "pfv5:sshAllowedCidrs": '["0.0.0.0/0"]' }, ["pfv5:sshAllowedCidrs[0]"]],
    ["a non-CIDR among the SSH CIDRs", { "pfv5:sshAllowedCidrs": '["office"]' }, ["pfv5:sshAllowedCidrs[0]"]],
    ["an unknown environment", { "pfv5:environment": "staging" }, ["pfv5:environment"]],
    ["an unknown cloud", { "pfv5:cloud": "gcp" }, ["pfv5:cloud"]],
    ["more zones than the plan has subnets for", { "pfv5:azCount": 4 }, ["pfv5:azCount"]],
    ["overlapping subnets", { "pfv5:addressPlan": { subnets: { data: ["10.0.10.0/25", "10.0.21.0/24"] } } }, ["pfv5:addressPlan.subnets.data[0]"]],
    ["a subnet outside the VPC", { "pfv5:addressPlan": { subnets: { mgmt: ["10.9.30.0/24", "10.0.31.0/24"] } } }, ["pfv5:addressPlan.subnets.mgmt[0]"]],
    ["a flow-log retention CloudWatch does not offer", { "pfv5:flowLogRetentionDays": 31 }, ["pfv5:flowLogRetentionDays"]],
    ["a zone of another region", { "pfv5:availabilityZones": ["us-east-1a", "eu-west-1b"] }, ["pfv5:availabilityZones[0]"]],
    ["a single NAT in prod", { "pfv5:environment": "prod", "pfv5:natStrategy": "single" }, ["pfv5:natStrategy"]],
    ["a misspelt key", { "pfv5:sshAllowedCidr": '["203.0.113.0/24"]' }, ["pfv5:sshAllowedCidr"]],
    ["a blocked CIDR that covers the VPC", { "pfv5:blockedCidrs": ["10.0.0.0/8"] }, ["pfv5:blockedCidrs[0]"]],
    ["a blocked CIDR over an admin CIDR", { "pfv5:blockedCidrs": ["203.0.113.128/25"] }, ["pfv5:blockedCidrs[0]"]],
    ["a missing region", { "aws:region": undefined }, ["aws:region"]],
    ["a subnet smaller than AWS allows", { "pfv5:addressPlan": { subnets: { dmz: ["10.0.1.0/30", "10.0.2.0/24"] } } }, ["pfv5:addressPlan.subnets.dmz[0]"]],
    ["a VPC larger than AWS allows", { "pfv5:addressPlan": { cidr: "10.0.0.0/8" } }, ["pfv5:addressPlan.cidr"]],
    ["no admin CIDR while bastion SSH is on", { "pfv5:sshAllowedCidrs": [] }, ["pfv5:sshAllowedCidrs"]],
  ];
  for (const [what, change, keys] of broken) {
    it(`rejects ${what}, naming ${keys.join(", ")}`, () => {
      assert.deepEqual(problemsOf({ ...awsDev, ...change }), keys);
    });
  }

  it("lists every problem of a config at once", () => {
    assert.deepEqual(problemsOf({ ...awsDev, "pfv5:azCount": 0, "pfv5:natStrategy": "two", "pfv5:tags": "x" }), [
      "pfv5:azCount",
      "pfv5:natStrategy",
      "pfv5:tags",
    ]);
  });

  it("accepts no admin CIDR once bastion SSH is off", () => {
    assert.deepEqual(problemsOf({ ...awsDev, "pfv5:sshAllowedCidrs": [], "pfv5:bastionSsh": false }), []);
  });

  it("quotes the value and says the fix in the message", () => {
    assert.throws(
      () => readStackSettings("aws-dev", { ...awsDev, "pfv5:sshAllowedCidrs": ["0.0.0.0/0"] }),
      /stack "aws-dev" configuration: 1 problem\n {2}- pfv5:sshAllowedCidrs\[0\] = "0\.0\.0\.0\/0": opens administrator access/,
    );
  });

  it("reads an Azure stack and requires its location", () => {
    const raw = { "pfv5:cloud": "azure", "pfv5:environment": "dev", "azure-native:location": "westeurope", "pfv5:bastionSsh": false };
    assert.equal(readStackSettings("azure-dev", raw).cloud, "azure");
    assert.deepEqual(problemsOf({ ...raw, "azure-native:location": "West Europe" }), ["azure-native:location"]);
  });
});
