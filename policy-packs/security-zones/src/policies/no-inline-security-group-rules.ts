import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { isSet } from "../lib/read";
import { T } from "../lib/types";

export const noInlineSecurityGroupRules = definePolicy({
  name: "no-inline-security-group-rules",
  description: "Security groups carry no inline ingress or egress rules, not even an empty list; every rule is its own resource.",
  why:
    "Inline rules and separate rule resources fight over the same group: the next update of the group deletes the rules " +
    "created as resources, and an inline list (even []) claims all of them. Inline references between groups also create " +
    "dependency cycles (the edge and app groups naming each other).",
  fix: "remove ingress/egress from the group and declare each rule as an aws.vpc.SecurityGroupIngressRule or SecurityGroupEgressRule",
  severity: "high",
  config: [],
  resource: {
    types: [T.securityGroup],
    check(r, ctx) {
      for (const key of ["ingress", "egress"] as const) {
        if (isSet(r.props, key, true)) ctx.report({ what: `${label(r)} sets inline ${key} rules` });
      }
    },
  },
});
