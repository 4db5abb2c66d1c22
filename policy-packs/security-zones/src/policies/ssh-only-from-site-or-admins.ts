import { describePeer, isAdminSource, isInsideSite, isInternet, type Peer, type Site } from "../lib/addresses";
import { inlineRuleGroup, stackRuleGroups, type RuleGroup } from "../lib/collect";
import { ADMIN_SSH } from "../lib/exposure";
import { definePolicy, type Context } from "../lib/policy";
import { effectiveTraffic } from "../lib/rules";
import { describe, intersect, isEmpty } from "../lib/traffic";
import { T } from "../lib/types";

/**
 * The sources this policy judges: neither the internet (no-internet-admin-ports reports
 * those, so each opening is reported once) nor inside the site.
 */
function outsideSiteNotPublic(peer: Peer, site: Site): boolean {
  return !isInternet(peer, site) && !isInsideSite(peer, site);
}

function judge(group: RuleGroup, ctx: Context): void {
  const scope = group.target.scope;
  const bastion = scope?.roles.includes("bastion") ?? false;
  const into = scope === undefined ? group.target.label : `${group.target.label} (${scope.name})`;
  for (const rule of group.rules) {
    if (rule.direction !== "ingress" || rule.action !== "allow") continue;
    for (const peer of rule.peers) {
      if (!outsideSiteNotPublic(peer, ctx.site)) continue;
      const admins = isAdminSource(peer, ctx.site);
      if (admins && bastion) continue;
      const ssh = intersect(effectiveTraffic(rule, peer, group.rules), ADMIN_SSH);
      if (isEmpty(ssh)) continue;
      ctx.report({
        urn: rule.subject.urn,
        what: admins
          ? `${rule.label} opens ${describe(ssh)} to ${describePeer(peer)} (an admin CIDR) into ${into}, which is not the bastion`
          : `${rule.label} opens ${describe(ssh)} to ${describePeer(peer)} (outside the VPC and the VPN range, and not an admin CIDR) into ${into}`,
        fix: admins
          ? "administrators reach other hosts through the bastion or the VPN: allow SSH from the bastion's security group (or the VPN range) instead"
          : "name the source by its security group, or narrow it to the VPC (policy config vpcCidr) or the VPN range (vpnCidr); " +
            "if it is an administrators' network, list it in the stack's pfv5:sshAllowedCidrs and adminCidrs in Pulumi.<stack>.policy.json, and reach hosts through the bastion",
      });
    }
  }
}

export const sshOnlyFromSiteOrAdmins = definePolicy({
  name: "ssh-only-from-site-or-admins",
  description:
    "SSH (tcp 22) is reachable only from inside the site (the VPC, the VPN range, a security group) or, on the bastion, from the authorized admin CIDRs, private ranges outside the site included.",
  why:
    "no-internet-admin-ports keeps public sources of SSH to the admin CIDRs on the bastion, but a block that is not public " +
    "and lies outside the VPC and the VPN range passes it: another VPC's 10.x, an on-premises 192.168.x reached through a " +
    "VPN gateway, peering or a transit gateway, the carrier-grade NAT range. A host compromised there then reaches SSH on " +
    "every host the rule covers. Together the two policies make the admin CIDRs from the config the only source of SSH " +
    "from outside the site; public sources are left to the other policy so that each opening is reported once.",
  fix: "name the source by its security group, or narrow it to the VPC or the VPN range; list an administrators' network in adminCidrs and reach hosts through the bastion",
  severity: "high",
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
