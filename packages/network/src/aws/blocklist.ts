/**
 * The incident-response blocklist as network ACL entries. Security groups can only allow,
 * so denying a source needs a network ACL: each tier's ACL gets, for every blocked CIDR, a
 * deny entry inbound and outbound with a low rule number, then one allow-all entry per
 * direction. The allow-all keeps the ACLs out of the way of normal traffic; the security
 * groups do the real filtering. Pure: no Pulumi.
 */
import { checkCidr, cidrsOverlap, parseCidr, type Problem } from "@pfv5/zones";
import {
  AWS_BLOCKLIST_FIRST_RULE_NUMBER,
  AWS_MAX_NETWORK_ACL_RULE_LIMIT,
  AWS_NETWORK_ACL_ALLOW_RULE_NUMBER,
} from "./defaults";

export interface AwsNetworkAclRulePlan {
  /** Stable key within the ACL, e.g. `block-in-0`, `allow-all-out`. */
  readonly key: string;
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly ruleAction: "allow" | "deny";
  readonly cidrBlock: string;
  /** Every protocol: a blocked source is blocked whole. */
  readonly protocol: "-1";
}

/**
 * The entries of one ACL. Entry `i` of the blocklist always has rule number
 * `AWS_BLOCKLIST_FIRST_RULE_NUMBER + i` and key `block-in-i`/`block-out-i`, so unblocking
 * a CIDR in the middle rewrites the entries after it in place (same name, same number)
 * and deletes only the last: no two entries ever claim one rule number at the same time.
 */
export function planAwsNetworkAclRules(blockedCidrs: readonly string[]): AwsNetworkAclRulePlan[] {
  const rules: AwsNetworkAclRulePlan[] = [];
  blockedCidrs.forEach((cidr, i) => {
    const ruleNumber = AWS_BLOCKLIST_FIRST_RULE_NUMBER + i;
    rules.push({ key: `block-in-${i}`, ruleNumber, egress: false, ruleAction: "deny", cidrBlock: cidr, protocol: "-1" });
    rules.push({ key: `block-out-${i}`, ruleNumber, egress: true, ruleAction: "deny", cidrBlock: cidr, protocol: "-1" });
  });
  for (const egress of [false, true]) {
    rules.push({
      key: egress ? "allow-all-out" : "allow-all-in",
      ruleNumber: AWS_NETWORK_ACL_ALLOW_RULE_NUMBER,
      egress,
      ruleAction: "allow",
      cidrBlock: "0.0.0.0/0",
      protocol: "-1",
    });
  }
  return rules;
}

export interface AwsBlocklistContext {
  /** The VPC block; a blocked CIDR may not overlap it. */
  readonly vpcCidr: string;
  /** The authorized administrator CIDRs and the key they came from. */
  readonly adminCidrs: readonly string[];
  readonly adminCidrsKey: string;
  /** Rules per ACL and direction the account allows. */
  readonly ruleLimit: number;
}

/**
 * Problems with a blocklist: each entry must be an IPv4 CIDR, must not overlap the VPC
 * (denying it on every tier would cut the VPC off from itself), must not overlap an
 * authorized administrator CIDR (it would lock the administrators out), and must appear
 * once; the entries plus the allow-all must fit the ACL rule quota.
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
  const limitOk = Number.isInteger(ctx.ruleLimit) && ctx.ruleLimit >= 2 && ctx.ruleLimit <= AWS_MAX_NETWORK_ACL_RULE_LIMIT;
  if (limitOk && value.length + 1 > ctx.ruleLimit) {
    problems.push({
      key,
      value: `${value.length} blocks`,
      message: `needs ${value.length + 1} rules per direction in each network ACL (the blocks and one allow-all) but the quota is ${ctx.ruleLimit}: block wider ranges, or raise the quota with AWS and set networkAclRuleLimit`,
    });
  }
  return problems;
}
