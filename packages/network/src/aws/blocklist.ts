/**
 * The incident-response blocklist as network ACL entries. Security groups can only allow,
 * so denying a source needs a network ACL: each tier's ACL gets, for every blocked CIDR, a
 * deny entry inbound and outbound with a low rule number, ahead of the allow entries that
 * the zone model derives (see `network-acl.ts`). Pure: no Pulumi.
 */
import { checkCidr, cidrsOverlap, parseCidr, type Problem } from "@pfv5/zones";
import { AWS_BLOCKLIST_FIRST_RULE_NUMBER } from "./defaults";
import type { AwsNetworkAclRulePlan } from "./network-acl";

/**
 * The deny entries of one ACL. Entry `i` of the blocklist always has rule number
 * `AWS_BLOCKLIST_FIRST_RULE_NUMBER + i` and key `block-in-i`/`block-out-i`, so unblocking
 * a CIDR in the middle rewrites the entries after it in place (same name, same number)
 * and deletes only the last: no two entries ever claim one rule number at the same time.
 * Every protocol: a blocked source is blocked whole.
 */
export function planAwsBlocklistRules(blockedCidrs: readonly string[]): AwsNetworkAclRulePlan[] {
  const rules: AwsNetworkAclRulePlan[] = [];
  blockedCidrs.forEach((cidr, i) => {
    const ruleNumber = AWS_BLOCKLIST_FIRST_RULE_NUMBER + i;
    const reason = `incident blocklist entry ${i}: nothing from or to ${cidr}, whatever the allows after it say`;
    rules.push({ key: `block-in-${i}`, kind: "blocklist", ruleNumber, egress: false, ruleAction: "deny", cidrBlock: cidr, protocol: "-1", reason });
    rules.push({ key: `block-out-${i}`, kind: "blocklist", ruleNumber, egress: true, ruleAction: "deny", cidrBlock: cidr, protocol: "-1", reason });
  });
  return rules;
}

export interface AwsBlocklistContext {
  /** The VPC block; a blocked CIDR may not overlap it. */
  readonly vpcCidr: string;
  /** The authorized administrator CIDRs and the key they came from. */
  readonly adminCidrs: readonly string[];
  readonly adminCidrsKey: string;
}

/**
 * Problems with a blocklist: each entry must be an IPv4 CIDR, must not overlap the VPC
 * (denying it on every tier would cut the VPC off from itself), must not overlap an
 * authorized administrator CIDR (it would lock the administrators out), and must appear
 * once. Whether the entries fit the ACL rule quota is `checkAwsNetworkAclQuota`'s to say,
 * since the allow entries share it.
 */
export function checkAwsBlockedCidrs(key: string, value: unknown, ctx: AwsBlocklistContext): Problem[] {
  if (!Array.isArray(value)) {
    return [{ key, value, message: 'expected a list of CIDR blocks, e.g. ["203.0.113.0/24"]' }];
  }
  const problems: Problem[] = [];
  const vpcOk = checkCidr("vpc", ctx.vpcCidr).length === 0;
  const admins = ctx.adminCidrs.filter((c) => checkCidr("admin", c).length === 0);
  const seen = new Map<string, number>();
  value.forEach((v: unknown, i) => {
    const k = `${key}[${i}]`;
    const bad = checkCidr(k, v);
    if (bad.length > 0) {
      problems.push(...bad);
      return;
    }
    const c = parseCidr(v as string);
    if (c.version !== 4) {
      problems.push({
        key: k,
        value: v,
        message: "is an IPv6 block, but the VPC carries IPv4 only, so no IPv6 traffic can reach it: list IPv4 blocks",
      });
      return;
    }
    const earlier = seen.get(c.text);
    if (earlier !== undefined) {
      problems.push({ key: k, value: v, message: `repeats ${key}[${earlier}]: list each block once` });
      return;
    }
    seen.set(c.text, i);
    if (vpcOk && cidrsOverlap(c, ctx.vpcCidr)) {
      problems.push({
        key: k,
        value: v,
        message: `overlaps the VPC block ${ctx.vpcCidr}: a deny on every tier would cut the VPC off from itself; block the attacker's public range instead`,
      });
    }
    for (const admin of admins) {
      if (cidrsOverlap(c, admin)) {
        problems.push({
          key: k,
          value: v,
          message: `overlaps the authorized admin CIDR ${admin} (${ctx.adminCidrsKey}): it would lock the administrators out; remove that CIDR from ${ctx.adminCidrsKey} first if this is intended`,
        });
      }
    }
  });
  return problems;
}
