import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { nsg, PENDING, StackBuilder, vpc } from "../testing/fixtures";
import { defaultSecurityGroupClosed as policy } from "./default-security-group-closed";

describe("default-security-group-closed", () => {
  it("accepts a default group adopted with no rules", async () => {
    assert.deepEqual(await runResource(policy, resourceArgs(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1" })), { violations: [] });
    assert.deepEqual(await runResource(policy, resourceArgs(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", ingress: [], egress: [] })), { violations: [] });
  });

  it("rejects rules on the default group", async () => {
    const args = resourceArgs(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "main-default" });
    const out = await runResource(policy, args);
    assert.deepEqual(whats(out), ['aws.ec2.DefaultSecurityGroup "main-default" has 1 egress rule(s)']);
    assert.match(out.violations[0]?.message ?? "", /\nFix: remove egress from the default security group$/);
  });

  it("rejects a VPC whose default group is not adopted", async () => {
    const b = new StackBuilder();
    const adopted = vpc(b, "adopted");
    const left = vpc(b, "left");
    b.add(aws.ec2.DefaultSecurityGroup, "adopted-default", { vpcId: PENDING }, { dependsOn: { vpcId: [adopted] }, unknowns: ["vpcId"] });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), ['aws.ec2.Vpc "left" has no aws.ec2.DefaultSecurityGroup adopting its default group']);
    assert.equal(out.violations[0]?.urn, left.urn);
  });

  it("reports a default group whose rules are unknown as not checkable", async () => {
    const args = resourceArgs(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", ingress: [] }, { name: "main-default", unknowns: ["ingress"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.DefaultSecurityGroup "main-default" could not be checked: ingress is unknown until deployment, so preview cannot show that it complies',
    ]);
  });

  it("does not apply to other groups or to a stack without a VPC", async () => {
    assert.equal((await runResource(policy, resourceArgs(aws.ec2.SecurityGroup, {}))).notApplicable, "applies only to aws.ec2.DefaultSecurityGroup");
    const b = new StackBuilder();
    nsg(b, "app-nsg", "app");
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to aws.ec2.Vpc");
  });
});
