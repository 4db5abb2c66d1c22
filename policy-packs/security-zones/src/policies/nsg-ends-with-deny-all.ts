import { nsgRuleGroups } from "../lib/collect";
import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import type { Rule } from "../lib/rules";
import { describe, EVERYTHING, isEmpty, subtract } from "../lib/traffic";
import { T } from "../lib/types";

/** The highest priority number a custom NSG rule may have. */
export const LAST_CUSTOM_PRIORITY = 4096;

/** Deny, every protocol and port, from `*` to `*`. */
function isDenyAll(rule: Rule): boolean {
  const any = (peers: readonly { kind: string }[] | undefined) => peers !== undefined && peers.length > 0 && peers.every((p) => p.kind === "any");
  return rule.action === "deny" && isEmpty(subtract(EVERYTHING, rule.traffic)) && any(rule.peers) && any(rule.local);
}

const FIX =
  'add an inbound rule with the highest priority number of the NSG (at most 4096): access Deny, source "*", destination "*", protocol "*", destination port "*"';

export const nsgEndsWithDenyAll = definePolicy({
  name: "nsg-ends-with-deny-all",
  description: "Every NSG's lowest-precedence inbound custom rule denies all traffic from anywhere, so nothing falls through to Azure's defaults.",
  why:
    "Azure appends AllowVnetInBound (priority 65000) to every NSG: without a deny-all of its own, every subnet and peered " +
    "network reaches every port of every other subnet, and the zone rules above it are only suggestions.",
  fix: FIX,
  severity: "high",
  config: [],
  stack: {
    types: [T.nsg],
    check(graph, ctx) {
      const { nsgs } = nsgRuleGroups(graph, ctx, "ingress");
      for (const { nsg, rules, complete } of nsgs) {
        if (!complete) continue;
        const ordered = rules.filter((r) => r.order !== undefined).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
        const last = ordered[ordered.length - 1];
        if (last === undefined) {
          ctx.report({ urn: nsg.urn, what: `${label(nsg)} has no inbound rules, so AllowVnetInBound (65000) admits the whole VNet`, fix: FIX });
        } else if (!isDenyAll(last)) {
          ctx.report({
            urn: nsg.urn,
            what: `${label(nsg)} ends its inbound rules with ${last.label} (${last.action} ${describe(last.traffic)}), not a deny-all, so AllowVnetInBound (65000) admits the rest of the VNet`,
            fix: FIX,
          });
        } else if ((last.order ?? 0) > LAST_CUSTOM_PRIORITY) {
          ctx.report({ urn: nsg.urn, what: `${label(nsg)} puts its deny-all at priority ${last.order ?? "unset"}, above the last custom priority ${LAST_CUSTOM_PRIORITY}`, fix: FIX });
        }
      }
    },
  },
});
