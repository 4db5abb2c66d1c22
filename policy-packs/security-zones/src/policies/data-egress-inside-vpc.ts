import { describePeer, isInsideSite } from "../lib/addresses";
import { inlineRuleGroup, stackRuleGroups, type RuleGroup } from "../lib/collect";
import { definePolicy, type Context } from "../lib/policy";
import { effectiveTraffic, type Rule } from "../lib/rules";
import { ROLE_TAG, TIER_TAG, type Target } from "../lib/targets";
import { describe, EVERYTHING, isEmpty, subtract } from "../lib/traffic";
import { T } from "../lib/types";

/** The data tier, or a target whose zone the policy cannot tell (judged only where it would matter). */
const dataOrUnknown = (t: Target): boolean => t.scope === undefined || t.scope.zone === "data";

function judge(group: RuleGroup, ctx: Context): void {
  const { target } = group;
  for (const rule of group.rules) {
    if (rule.direction !== "egress" || rule.action !== "allow") continue;
    for (const peer of rule.peers) {
      if (isInsideSite(peer, ctx.site)) continue;
      const leaks = effectiveTraffic(rule, peer, group.rules);
      if (isEmpty(leaks)) continue;
      const sends = `${rule.label} lets ${target.label} send ${describe(leaks)} to ${describePeer(peer)}, outside the VPC (${ctx.site.vpcCidr.text})`;
      ctx.report({
        urn: rule.subject.urn,
        what: target.scope === undefined ? `${sends}, and the policy cannot tell whether that group is in the data tier: ${target.problem ?? "unknown target"}` : sends,
        fix:
          target.scope === undefined
            ? `tag the group ${ROLE_TAG} (security groups) or ${TIER_TAG} (network ACLs, NSGs) and reference it by its resource`
            : `target a block inside ${ctx.site.vpcCidr.text} or a security group instead (policy config vpcCidr names the VPC block)`,
      });
    }
  }
}

/** Azure's default rules allow outbound Internet at priority 65001: a data NSG must deny it first. */
function deniesInternetOutbound(rules: readonly Rule[]): boolean {
  return rules.some(
    (r) =>
      r.direction === "egress" &&
      r.action === "deny" &&
      isEmpty(subtract(EVERYTHING, r.traffic)) &&
      r.peers.some((p) => p.kind === "any" || (p.kind === "tag" && p.text.toLowerCase() === "internet") || (p.kind === "cidr" && p.block.prefix === 0)),
  );
}

export const dataEgressInsideVpc = definePolicy({
  name: "data-egress-inside-vpc",
  description: "The data tier sends traffic only inside the VPC: its egress rules name blocks inside the VPC CIDR or security groups, and Azure data NSGs deny Internet outbound.",
  why:
    "Databases answer clients; they never start connections to the internet. An egress rule to 0.0.0.0/0 (or ::/0, or a " +
    "public block) on the data tier is an exfiltration path, and on Azure the default AllowInternetOutBound rule opens one " +
    "unless the NSG denies it.",
  fix: "remove the rule or point it at a block inside the VPC CIDR or a security group",
  severity: "high",
  config: ["vpcCidr", "vpnCidr"],
  resource: {
    types: [T.securityGroup, T.networkAcl],
    check(r, ctx) {
      const group = inlineRuleGroup(r, "egress");
      if (group !== undefined && dataOrUnknown(group.target)) judge(group, ctx);
    },
  },
  stack: {
    types: [T.egressRule, T.securityGroupRule, T.networkAclRule, T.nsg, T.securityRule],
    check(graph, ctx) {
      for (const group of stackRuleGroups(graph, ctx, "egress", dataOrUnknown)) {
        judge(group, ctx);
        const { nsg, target, rules, complete } = group;
        if (nsg === undefined || complete !== true || target.scope?.zone !== "data" || deniesInternetOutbound(rules)) continue;
        ctx.report({
          urn: nsg.urn,
          what: `${target.label} (${TIER_TAG} data) has no outbound rule denying the internet, so Azure's default AllowInternetOutBound (priority 65001) lets the data tier reach it`,
          fix: 'add an outbound rule: access Deny, destination "Internet" (or "*"), protocol "*", port "*", priority at most 4096',
        });
      }
    },
  },
});
