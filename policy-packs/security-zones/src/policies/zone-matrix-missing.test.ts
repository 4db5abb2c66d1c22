import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { ADMIN_CONFIG, group, PENDING, StackBuilder, vpc } from "../testing/fixtures";
import { runStack, whats } from "../testing/harness";
import { zoneMatrixMissing as policy } from "./zone-matrix-missing";

/** One VPC, an app and a data subnet with their groups; no rules unless `withDb`. */
function stack(withDb: boolean): StackBuilder {
  const b = new StackBuilder();
  const v = vpc(b);
  for (const [name, cidr, tier] of [["app-a", "10.0.10.0/24", "app"], ["data-a", "10.0.20.0/24", "data"]] as const) {
    b.add(aws.ec2.Subnet, name, { vpcId: PENDING, cidrBlock: cidr, tags: { "pfv5:tier": tier } }, { unknowns: ["vpcId"], dependsOn: { vpcId: [v] } });
  }
  const app = group(b, "app", "app", v);
  const data = group(b, "data", "data", v);
  if (withDb) {
    for (const [cls, name, owner, peer] of [[aws.vpc.SecurityGroupEgressRule, "out", app, data], [aws.vpc.SecurityGroupIngressRule, "in", data, app]] as const) {
      b.add(cls, `db-${name}`, { securityGroupId: PENDING, referencedSecurityGroupId: PENDING, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, { unknowns: ["securityGroupId", "referencedSecurityGroupId"], dependsOn: { securityGroupId: [owner], referencedSecurityGroupId: [peer] } });
    }
  }
  return b;
}

const appToData = (w: readonly string[]) => w.filter((x) => x.startsWith("aws zone matrix: app -> data"));

describe("zone-matrix-missing", () => {
  it("is advisory", () => {
    assert.equal(policy.policy.enforcementLevel, "advisory");
  });

  it("says which layer stops a declared path that cannot pass", async () => {
    assert.deepEqual(appToData(whats(await runStack(policy, stack(false).resources, ADMIN_CONFIG))), [
      "aws zone matrix: app -> data: tcp 5432,6379,27017 is required by the zone model but cannot pass. It stops at security groups: no rule allows it (security groups deny what they do not allow) (for tcp 5432).",
    ]);
  });

  it("names only the ports still missing once some are open", async () => {
    assert.deepEqual(appToData(whats(await runStack(policy, stack(true).resources, ADMIN_CONFIG))), [
      "aws zone matrix: app -> data: tcp 6379,27017 is required by the zone model but cannot pass. It stops at security groups: no rule allows it (security groups deny what they do not allow) (for tcp 6379).",
    ]);
  });

  it("does not apply to a stack without a network", async () => {
    assert.equal((await runStack(policy, [])).notApplicable, "applies only to aws.ec2.Subnet, azure-native.network.Subnet");
  });
});
