import { describePeer } from "../lib/addresses";
import { inlineRuleGroup, stackRuleGroups, type RuleGroup } from "../lib/collect";
import { ADMIN_SSH, ADMIN_TRAFFIC, internetExposures } from "../lib/exposure";
import { definePolicy, type Context } from "../lib/policy";
import { describe, intersect, isEmpty, subtract } from "../lib/traffic";
import { T } from "../lib/types";

function judge(group: RuleGroup, ctx: Context): void {
  const scope = group.target.scope;
  // The one exception: the authorized admin CIDRs may reach SSH on the bastion (or on the
  // DMZ tier's ACL or NSG, which holds the bastion).
  const bastion = scope?.roles.includes("bastion") ?? false;
  for (const e of internetExposures(group.rules, ctx.site)) {
    const hit = intersect(e.traffic, ADMIN_TRAFFIC);
    const left = e.fromAdmins && bastion ? subtract(hit, ADMIN_SSH) : hit;
    if (isEmpty(left)) continue;
    const into = scope === undefined ? group.target.label : `${group.target.label} (${scope.name})`;
    const from = e.peer.kind === "cidr" ? `${describePeer(e.peer)} (internet)` : describePeer(e.peer);
    ctx.report({
      urn: e.rule.subject.urn,
      what: `${e.rule.label} opens ${describe(left)} to ${from} into ${into}`,
      fix: e.fromAdmins
        ? "SSH from the authorized admin CIDRs is allowed only to the bastion on tcp 22; RDP never: narrow the rule"
        : "remove the rule; administer through the bastion from the authorized admin CIDRs (adminCidrs in Pulumi.<stack>.policy.json, kept equal to pfv5:sshAllowedCidrs), the VPN, or SSM Session Manager",
    });
  }
}

export const noInternetAdminPorts = definePolicy({
  name: "no-internet-admin-ports",
  description: "SSH (22) and RDP (3389) are never reachable from the internet, except SSH to the bastion from the authorized admin CIDRs.",
  why:
    "Administration ports exposed to the internet are scanned and brute-forced within minutes of creation. Port ranges " +
    "that include 22 or 3389 and protocol all open them as surely as a rule that names them.",
  fix: "remove the rule or narrow its ports; reach hosts through the bastion, the VPN or SSM Session Manager",
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
