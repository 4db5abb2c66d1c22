import { describePeer } from "../lib/addresses";
import { inlineRuleGroup, stackRuleGroups, type RuleGroup } from "../lib/collect";
import { allowedFromInternet, internetExposures } from "../lib/exposure";
import { definePolicy, type Context } from "../lib/policy";
import { ROLE_TAG, TIER_TAG } from "../lib/targets";
import { describe, isEmpty, subtract } from "../lib/traffic";
import { T } from "../lib/types";

function judge(group: RuleGroup, ctx: Context): void {
  const { target } = group;
  for (const e of internetExposures(group.rules, ctx.site)) {
    const opens = `${e.rule.label} allows ${describe(e.traffic)} from ${describePeer(e.peer)}`;
    const urn = e.rule.subject.urn;
    const scope = target.scope;
    if (scope === undefined) {
      ctx.report({
        urn,
        what: `${opens}, and the policy cannot tell which zone that reaches: ${target.problem ?? "unknown target"}`,
        fix: `create the group through the firewall component, or tag it ${ROLE_TAG} (security groups) or ${TIER_TAG} (network ACLs, NSGs) and reference it by its resource so the policy can follow it`,
      });
      continue;
    }
    const allowed = allowedFromInternet(scope, e.fromAdmins);
    const excess = subtract(e.traffic, allowed);
    if (isEmpty(excess)) continue;
    if (scope.zone !== "dmz") {
      const returns = isEmpty(allowed) ? "" : ` (beyond the return traffic a stateless ACL needs, ${describe(allowed)})`;
      ctx.report({
        urn,
        what: `${e.rule.label} allows ${describe(excess)} from ${describePeer(e.peer)} into ${target.label} (${scope.name})${returns}: only the DMZ may be reached from the internet`,
        fix: "remove the rule and publish the service through the edge load balancer in the DMZ, which reaches the app tier on tcp 3000",
      });
      continue;
    }
    const adminOnly = !e.fromAdmins && !isEmpty(allowedFromInternet(scope, true)) && isEmpty(allowed);
    ctx.report({
      urn,
      what:
        `${e.rule.label} allows ${describe(excess)} from ${describePeer(e.peer)} into ${target.label} (${scope.name}), ` +
        `where the zone model allows ${isEmpty(allowed) ? "no traffic from the internet" : `only ${describe(allowed)} from the internet`}`,
      fix: adminOnly
        ? `only the authorized admin CIDRs (adminCidrs in Pulumi.<stack>.policy.json, kept equal to pfv5:sshAllowedCidrs) may reach ${target.label}, on ${describe(allowedFromInternet(scope, true))}: narrow the source`
        : isEmpty(allowed)
          ? "remove the rule"
          : `narrow the rule to ${describe(allowed)}`,
    });
  }
}

export const internetIngressDmzOnly = definePolicy({
  name: "internet-ingress-dmz-only",
  description: "Traffic from the internet may enter only the DMZ, and only on the ports the zone model allows (tcp 80/443 to the edge).",
  why:
    "Only the DMZ is built to face the internet; a rule that lets internet traffic into the app, data or management tier, " +
    "or opens more than the web ports at the edge, bypasses the load balancer and the zone boundaries. Any block that covers " +
    "public address space counts as the internet, not only 0.0.0.0/0.",
  fix: "remove the rule, or narrow it to the DMZ role and the flow the zone model lists (edge: tcp 80, 443; VPN endpoint: udp 51820; bastion: tcp 22 from the authorized admin CIDRs)",
  severity: "critical",
  config: ["adminCidrs", "vpcCidr", "vpnCidr"],
  resource: {
    types: [T.securityGroup, T.defaultSecurityGroup, T.networkAcl],
    check(r, ctx) {
      const group = inlineRuleGroup(r, "ingress");
      if (group !== undefined) judge(group, ctx);
    },
  },
  stack: {
    types: [T.ingressRule, T.securityGroupRule, T.networkAclRule, T.nsg, T.securityRule],
    check(graph, ctx) {
      for (const group of stackRuleGroups(graph, ctx, "ingress")) judge(group, ctx);
    },
  },
});
