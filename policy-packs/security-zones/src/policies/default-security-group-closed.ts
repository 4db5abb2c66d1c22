import { label } from "../lib/graph";
import { definePolicy, eachGuarded } from "../lib/policy";
import { isSet } from "../lib/read";
import { propsOf, T } from "../lib/types";

export const defaultSecurityGroupClosed = definePolicy({
  name: "default-security-group-closed",
  description: "Every VPC's default security group is adopted and has no rules.",
  why:
    "AWS gives each VPC a default group that lets its members reach each other and the internet; anything launched " +
    "without an explicit group lands in it. Adopting it with no rules turns that mistake into no connectivity instead of " +
    "an open door.",
  fix: "declare an aws.ec2.DefaultSecurityGroup with vpcId set to the VPC's id and no ingress or egress",
  severity: "high",
  config: [],
  resource: {
    types: [T.defaultSecurityGroup],
    check(r, ctx) {
      const group = propsOf(r, T.defaultSecurityGroup);
      if (group === undefined) return;
      for (const key of ["ingress", "egress"] as const) {
        // Read through the proxy: an unknown list cannot be shown to be empty.
        if (isSet(group, key) && (group[key] ?? []).length > 0) {
          ctx.report({ what: `${label(r)} has ${group[key]?.length ?? 0} ${key} rule(s)`, fix: `remove ${key} from the default security group` });
        }
      }
    },
  },
  stack: {
    types: [T.vpc],
    check(graph, ctx) {
      eachGuarded(ctx, graph.ofType(T.vpc), ({ resource: vpc }) => {
        if (graph.referrers(T.defaultSecurityGroup, "vpcId", [T.vpc], vpc).length === 0) {
          ctx.report({ urn: vpc.urn, what: `${label(vpc)} has no aws.ec2.DefaultSecurityGroup adopting its default group` });
        }
      });
    },
  },
});
