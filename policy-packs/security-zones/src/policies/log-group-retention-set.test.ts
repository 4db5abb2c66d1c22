import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { logGroupRetentionSet as policy } from "./log-group-retention-set";

describe("log-group-retention-set", () => {
  it("accepts a log group that keeps its logs for a set number of days", async () => {
    const args = resourceArgs(aws.cloudwatch.LogGroup, { name: "/pfv5/bastion", retentionInDays: 30 });
    assert.deepEqual(await runResource(policy, args), { violations: [] });
  });

  it("rejects a log group without a retention, or with 0 (never expire)", async () => {
    const out = await Promise.all([
      runResource(policy, resourceArgs(aws.cloudwatch.LogGroup, { name: "/pfv5/app" }, { name: "app-logs" })),
      runResource(policy, resourceArgs(aws.cloudwatch.LogGroup, { name: "/pfv5/keep", retentionInDays: 0 }, { name: "keep-logs" })),
    ]);
    assert.deepEqual(out.flatMap(whats), [
      'aws.cloudwatch.LogGroup "app-logs" sets no retentionInDays, so its logs never expire',
      'aws.cloudwatch.LogGroup "keep-logs" sets retentionInDays to 0, which means its logs never expire',
    ]);
    assert.match(out[0]?.violations[0]?.message ?? "", /\nFix: set retentionInDays to a period CloudWatch accepts \(1, 3, .* 3653\)$/);
  });

  it("does not apply to other resource types", async () => {
    const out = await runResource(policy, resourceArgs(aws.ec2.FlowLog, { vpcId: "vpc-1", trafficType: "ALL" }));
    assert.equal(out.notApplicable, "applies only to aws.cloudwatch.LogGroup");
  });

  it("reports a retention that is unknown in preview as not checkable", async () => {
    const args = resourceArgs(aws.cloudwatch.LogGroup, { retentionInDays: 30 }, { name: "dynamic", unknowns: ["retentionInDays"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.cloudwatch.LogGroup "dynamic" could not be checked: retentionInDays is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
