import { COMPUTE_T } from "../lib/compute";
import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { propsOf } from "../lib/types";

export const logGroupRetentionSet = definePolicy({
  name: "log-group-retention-set",
  description: "Every CloudWatch log group sets a retention period (retentionInDays above 0), so its logs expire.",
  why:
    "Without a retention CloudWatch keeps a group's logs forever: the cost grows without bound, and logins, addresses and " +
    "commands recorded by the bastion and the flow logs outlive any purpose for them. A set period records how far back " +
    "incident response needs to look, decided once instead of left to grow.",
  fix: "set retentionInDays to a period CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)",
  severity: "medium",
  config: [],
  resource: {
    types: [COMPUTE_T.logGroup],
    check(r, ctx) {
      const group = propsOf(r, COMPUTE_T.logGroup);
      if (group === undefined) return;
      // Read through the proxy: an unknown retention cannot be shown to expire.
      const days = group.retentionInDays;
      if (days === undefined) ctx.report({ what: `${label(r)} sets no retentionInDays, so its logs never expire` });
      else if (days <= 0) ctx.report({ what: `${label(r)} sets retentionInDays to ${days}, which means its logs never expire` });
    },
  },
});
