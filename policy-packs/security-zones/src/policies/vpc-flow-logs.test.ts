import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import type { Props } from "../lib/types";
import { runStack, whats } from "../testing/harness";
import { nsg, PENDING, StackBuilder, vpc } from "../testing/fixtures";
import { vpcFlowLogs as policy } from "./vpc-flow-logs";

function flowLog(b: StackBuilder, name: string, of: PolicyResource | undefined, extra: Omit<Props<aws.ec2.FlowLogArgs>, "vpcId"> = { trafficType: "ALL" }, unknowns: readonly string[] = []): PolicyResource {
  return b.add(aws.ec2.FlowLog, name, { vpcId: PENDING, logDestinationType: "cloud-watch-logs", ...extra }, { unknowns: ["vpcId", ...unknowns], ...(of !== undefined ? { dependsOn: { vpcId: [of] } } : {}) });
}

describe("vpc-flow-logs", () => {
  it("accepts a VPC with a flow log of all traffic", async () => {
    const b = new StackBuilder();
    flowLog(b, "main-flow", vpc(b));
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("accepts a flow log that names the VPC by a known id after deployment", async () => {
    const b = new StackBuilder();
    b.add(aws.ec2.Vpc, "main", { cidrBlock: "10.0.0.0/16" });
    b.add(aws.ec2.FlowLog, "main-flow", { vpcId: "vpc-0123", trafficType: "ALL" });
    const withIds = b.resources.map((r) => (r.type === "aws:ec2/vpc:Vpc" ? { ...r, props: { ...r.props, id: "vpc-0123" } } : r));
    assert.deepEqual(await runStack(policy, withIds), { violations: [] });
  });

  it("rejects a VPC without a flow log, and one whose flow log misses rejected traffic", async () => {
    const b = new StackBuilder();
    const bare = vpc(b, "bare");
    const partial = vpc(b, "partial");
    flowLog(b, "other-flow", undefined);
    flowLog(b, "partial-flow", partial, { trafficType: "ACCEPT" });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      'aws.ec2.Vpc "bare" has no flow log',
      'aws.ec2.Vpc "partial" has flow logs (aws.ec2.FlowLog "partial-flow") but none records all traffic',
    ]);
    assert.deepEqual(out.violations.map((v) => v.urn), [bare.urn, partial.urn]);
  });

  it("reports a flow log whose traffic type is unknown as not checkable", async () => {
    const b = new StackBuilder();
    flowLog(b, "main-flow", vpc(b), { trafficType: "ALL" }, ["trafficType"]);
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.FlowLog "main-flow" could not be checked: trafficType is unknown until deployment, so preview cannot show that it complies',
    ]);
  });

  it("does not apply to a stack without a VPC", async () => {
    const b = new StackBuilder();
    nsg(b, "app-nsg", "app");
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to aws.ec2.Vpc");
  });
});
