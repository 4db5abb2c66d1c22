import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { noInlineSecurityGroupRules as policy } from "./no-inline-security-group-rules";

describe("no-inline-security-group-rules", () => {
  it("accepts a group that leaves its rules to rule resources", async () => {
    const args = resourceArgs(aws.ec2.SecurityGroup, { vpcId: "vpc-1", description: "app", tags: { "pfv5:role": "app" } });
    assert.deepEqual(await runResource(policy, args), { violations: [] });
  });

  it("rejects inline rules, an empty list included", async () => {
    const args = resourceArgs(aws.ec2.SecurityGroup, { ingress: [], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "web" });
    const out = await runResource(policy, args);
    assert.deepEqual(whats(out), ['aws.ec2.SecurityGroup "web" sets inline ingress rules', 'aws.ec2.SecurityGroup "web" sets inline egress rules']);
    assert.match(out.violations[0]?.message ?? "", /\nFix: remove ingress\/egress from the group and declare each rule as an aws.vpc.SecurityGroupIngressRule or SecurityGroupEgressRule$/);
  });

  it("rejects inline rules whose content is unknown in preview: their presence is enough", async () => {
    const args = resourceArgs(aws.ec2.SecurityGroup, { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443 }] }, { name: "web", unknowns: ["ingress"] });
    assert.deepEqual(whats(await runResource(policy, args)), ['aws.ec2.SecurityGroup "web" sets inline ingress rules']);
  });

  it("does not apply to rule resources", async () => {
    const args = resourceArgs(aws.vpc.SecurityGroupIngressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
    assert.equal((await runResource(policy, args)).notApplicable, "applies only to aws.ec2.SecurityGroup");
  });
});
