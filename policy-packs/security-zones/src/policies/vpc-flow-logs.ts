import { label } from "../lib/graph";
import { definePolicy, eachGuarded } from "../lib/policy";
import { T } from "../lib/types";

export const vpcFlowLogs = definePolicy({
  name: "vpc-flow-logs",
  description: "Every VPC has a flow log that records all traffic (accepted and rejected).",
  why:
    "Flow logs are the only record of which addresses talked to which, and rejected flows are the first sign of a scan or " +
    "a misrouted attack; without them an incident cannot be reconstructed.",
  fix: 'add an aws.ec2.FlowLog with vpcId set to the VPC\'s id and trafficType "ALL", delivering to a CloudWatch log group with a retention',
  severity: "medium",
  config: [],
  stack: {
    types: [T.vpc],
    check(graph, ctx) {
      eachGuarded(ctx, graph.ofType(T.vpc), ({ resource: vpc }) => {
        const logs = graph.referrers(T.flowLog, "vpcId", [T.vpc], vpc);
        if (logs.length === 0) {
          ctx.report({ urn: vpc.urn, what: `${label(vpc)} has no flow log` });
          return;
        }
        let all = false;
        let readAll = true;
        for (const { resource, props } of logs) {
          const read = ctx.guard(resource, () => {
            if (props.trafficType === "ALL") all = true;
          });
          readAll = readAll && read;
        }
        // A flow log that could not be read is already reported; do not guess what it records.
        if (!all && readAll) {
          ctx.report({
            urn: vpc.urn,
            what: `${label(vpc)} has flow logs (${logs.map((l) => label(l.resource)).join(", ")}) but none records all traffic`,
            fix: 'set trafficType "ALL" on the flow log',
          });
        }
      });
    },
  },
});
