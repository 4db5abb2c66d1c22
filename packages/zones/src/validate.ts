/**
 * Validation of address plans and CIDR lists. Each function returns problems (never
 * throws) so callers can gather them all before failing once.
 */
import { cidrContains, cidrsOverlap, coversPublicSpace, parseCidr, CidrError } from "./cidr";
import type { AddressPlan, Tier } from "./plan";
import { TIERS } from "./plan";
import type { Problem } from "./problems";

/** Problems with one CIDR value, or none. */
export function checkCidr(key: string, value: unknown): Problem[] {
  if (typeof value !== "string") {
    return [{ key, value, message: "expected a CIDR block as text, e.g. 10.0.1.0/24" }];
  }
  try {
    parseCidr(value);
    return [];
  } catch (e) {
    const detail = e instanceof CidrError ? e.message.replace(/^"[^"]*" is not a valid CIDR block: /, "") : String(e);
    return [{ key, value, message: `not a valid CIDR block (${detail})` }];
  }
}

/**
 * Problems with an address plan used for `azCount` availability zones: bad CIDRs, subnets
 * outside the VPC, overlapping subnets, and more AZs than the plan has subnets for.
 */
export function checkAddressPlan(keyPrefix: string, plan: AddressPlan, azCount: number): Problem[] {
  const problems: Problem[] = [...checkCidr(`${keyPrefix}.cidr`, plan.cidr)];
  const vpcOk = problems.length === 0;
  const seen: { key: string; cidr: string }[] = [];
  for (const tier of TIERS) {
    const blocks = plan.subnets[tier];
    if (blocks.length < azCount) {
      problems.push({
        key: `${keyPrefix}.subnets.${tier}`,
        value: blocks,
        message: `${azCount} availability zones need ${azCount} ${tier} subnets but the plan has ${blocks.length}: add subnets or use fewer zones`,
      });
    }
    blocks.slice(0, Math.max(azCount, 0)).forEach((cidr, i) => {
      const key = `${keyPrefix}.subnets.${tier}[${i}]`;
      const bad = checkCidr(key, cidr);
      if (bad.length > 0) {
        problems.push(...bad);
        return;
      }
      if (vpcOk && !cidrContains(plan.cidr, cidr)) {
        problems.push({ key, value: cidr, message: `lies outside the network block ${plan.cidr}: choose a block inside it` });
      }
      for (const other of seen) {
        if (cidrsOverlap(other.cidr, cidr)) {
          problems.push({
            key,
            value: cidr,
            message: `overlaps ${other.key} (${other.cidr}): choose disjoint blocks`,
          });
        }
      }
      seen.push({ key, cidr });
    });
  }
  return problems;
}

/** The subnets of one tier actually used for `azCount` zones. */
export function tierSubnets(plan: AddressPlan, tier: Tier, azCount: number): string[] {
  return plan.subnets[tier].slice(0, azCount);
}

/**
 * Problems with the administrator CIDR list: each must parse, and none may be the whole
 * internet. A single public /24 is fine; `0.0.0.0/0`, `::/0` or a /1 is not.
 */
export function checkAdminCidrs(key: string, value: unknown, maxPublicPrefixV4 = 8): Problem[] {
  if (!Array.isArray(value)) {
    return [{ key, value, message: 'expected a list of CIDR blocks, e.g. ["203.0.113.0/24"]' }];
  }
  const problems: Problem[] = [];
  value.forEach((v, i) => {
    const k = `${key}[${i}]`;
    const bad = checkCidr(k, v);
    if (bad.length > 0) {
      problems.push(...bad);
      return;
    }
    const c = parseCidr(v as string);
    const limit = c.version === 4 ? maxPublicPrefixV4 : maxPublicPrefixV4 * 4;
    if (c.prefix === 0 || (coversPublicSpace(c) && c.prefix < limit)) {
      problems.push({
        key: k,
        value: v,
        message: `opens administrator access to a large part of the internet (prefix /${c.prefix}); list the offices' or VPN egress blocks, /${limit} or longer`,
      });
    }
  });
  return problems;
}
