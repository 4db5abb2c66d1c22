/**
 * Validation of the Azure firewall's inputs and of the planned rules. Every function
 * returns problems (never throws) so a caller gathers them all and fails once, before
 * anything is registered.
 */
import { TIERS, checkAdminCidrs, cidrContains, cidrsOverlap, parseCidr } from "@pfv5/zones";
import type { Problem, Tier } from "@pfv5/zones";
import { checkIpv4Cidr, checkPortRange, isRecord } from "./check-basics";
import { checkFlows } from "./check-flows";
import { NSG_PRIORITY, SERVICE_ENDPOINT_EGRESS } from "./model";
import type { NsgPlan, NsgRule } from "./model";
import { isTier } from "./plan";

/**
 * Problems with the VNet block and the tier blocks: bad CIDRs, a tier outside the VNet,
 * two tiers that overlap. Keys are `vnetCidr` and `tierCidrs.<tier>`.
 */
export function checkTierCidrs(tierCidrs: unknown, vnetCidr: unknown): Problem[] {
  const problems = checkIpv4Cidr("vnetCidr", vnetCidr);
  if (!isRecord(tierCidrs)) {
    return [...problems, { key: "tierCidrs", value: tierCidrs, message: `expected one CIDR per tier (${TIERS.join(", ")})` }];
  }
  const seen: { tier: Tier; cidr: string }[] = [];
  for (const tier of TIERS) {
    const key = `tierCidrs.${tier}`;
    const cidr = tierCidrs[tier];
    const bad = checkIpv4Cidr(key, cidr);
    if (bad.length > 0) {
      problems.push(...bad);
      continue;
    }
    const block = cidr as string;
    if (problems.length === 0 && !cidrContains(vnetCidr as string, block)) {
      problems.push({ key, value: block, message: `lies outside the VNet ${String(vnetCidr)}: choose a block inside it` });
    }
    for (const other of seen) {
      if (cidrsOverlap(other.cidr, block)) {
        problems.push({ key, value: block, message: `overlaps tierCidrs.${other.tier} (${other.cidr}): choose disjoint blocks` });
      }
    }
    seen.push({ tier, cidr: block });
  }
  return problems;
}

/** The values the policy checks read, every default resolved. */
export interface AzureFirewallPolicyValues {
  readonly adminCidrs: unknown;
  readonly vpnCidr: unknown;
  readonly blockedCidrs: unknown;
  readonly extraFlows: unknown;
  readonly loadBalancerProbes: unknown;
  readonly dataServiceEndpoints: unknown;
}

/**
 * Problems with everything but the address plan. `vnetCidr` is the VNet block when it is
 * valid (the overlap checks need it), `undefined` otherwise.
 */
export function checkAzureFirewallPolicy(values: AzureFirewallPolicyValues, vnetCidr: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const admin = checkAdminCidrs("adminCidrs", values.adminCidrs);
  problems.push(...admin);
  const goodAdmins: string[] = [];
  if (Array.isArray(values.adminCidrs)) {
    const adminCidrs: unknown[] = values.adminCidrs;
    const flagged = new Set(admin.map((p) => p.key));
    adminCidrs.forEach((c, i) => {
      const key = `adminCidrs[${i}]`;
      if (flagged.has(key)) return;
      const v4 = checkIpv4Cidr(key, c);
      problems.push(...v4);
      if (v4.length > 0) return;
      if (vnetCidr !== undefined && cidrsOverlap(c as string, vnetCidr)) {
        problems.push({ key, value: c, message: `overlaps the VNet ${vnetCidr}: administrators inside the VNet come through the bastion or the VPN; list the offices' blocks` });
      }
      goodAdmins.push(c as string);
    });
  }
  const vpn = checkIpv4Cidr("vpnCidr", values.vpnCidr);
  problems.push(...vpn);
  const vpnCidr = vpn.length === 0 ? (values.vpnCidr as string) : undefined;
  if (vpnCidr !== undefined && vnetCidr !== undefined && cidrsOverlap(vpnCidr, vnetCidr)) {
    problems.push({ key: "vpnCidr", value: vpnCidr, message: `overlaps the VNet ${vnetCidr}: VPN clients need a block outside it, or their routes collide with the subnets'` });
  }
  problems.push(
    ...checkBlockedCidrs(values.blockedCidrs, {
      adminCidrs: goodAdmins,
      ...(vnetCidr === undefined ? {} : { vnetCidr }),
      ...(vpnCidr === undefined ? {} : { vpnCidr }),
    }),
  );
  problems.push(...checkFlows(values.extraFlows, vnetCidr === undefined ? {} : { vnetCidr }));
  problems.push(...checkProbes(values.loadBalancerProbes));
  problems.push(...checkServiceEndpoints(values.dataServiceEndpoints));
  return problems;
}

/**
 * Problems with the incident-response blocklist: a bad or IPv6 CIDR, one that overlaps the
 * VNet (a deny in every NSG would cut the VNet off from itself), the VPN client range or an
 * administrator block (it would lock the operators out), a duplicate.
 */
export function checkBlockedCidrs(
  value: unknown,
  ctx: { readonly vnetCidr?: string; readonly vpnCidr?: string; readonly adminCidrs: readonly string[] },
): Problem[] {
  if (!Array.isArray(value)) {
    return [{ key: "blockedCidrs", value, message: 'expected a list of CIDR blocks, e.g. ["203.0.113.0/24"]' }];
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const blocked: unknown[] = value;
  blocked.forEach((c, i) => {
    const key = `blockedCidrs[${i}]`;
    const bad = checkIpv4Cidr(key, c);
    if (bad.length > 0) {
      problems.push(...bad);
      return;
    }
    const cidr = parseCidr(c as string);
    const earlier = seen.get(cidr.text);
    if (earlier !== undefined) {
      problems.push({ key, value: c, message: `repeats blockedCidrs[${earlier}]: list each block once` });
      return;
    }
    seen.set(cidr.text, i);
    if (ctx.vnetCidr !== undefined && cidrsOverlap(cidr, ctx.vnetCidr)) {
      problems.push({
        key,
        value: c,
        message: `overlaps the VNet ${ctx.vnetCidr}: a deny in every NSG would cut the VNet off from itself; block the attacker's public range instead`,
      });
    }
    if (ctx.vpnCidr !== undefined && cidrsOverlap(cidr, ctx.vpnCidr)) {
      problems.push({ key, value: c, message: `overlaps the VPN client range ${ctx.vpnCidr}: administrators on the VPN would be locked out; revoke the peer instead` });
    }
    for (const admin of ctx.adminCidrs) {
      if (cidrsOverlap(cidr, admin)) {
        problems.push({
          key,
          value: c,
          message: `overlaps the administrator block ${admin} (adminCidrs): it would lock the operators out; remove ${admin} from adminCidrs first if that is intended`,
        });
      }
    }
  });
  return problems;
}

/** Tag keys the components set themselves; `tags` may not use them. */
export const AZURE_RESERVED_TAG_KEYS: readonly string[] = ["pfv5:tier"];

/**
 * Problems with a tag map: values must be text, keys may not be reserved, and both must
 * fit Azure's limits (keys up to 512 characters without < > % & \ ? /, values up to 256,
 * at most 50 tags with the ones the components add).
 */
export function checkAzureTags(key: string, value: unknown): Problem[] {
  if (value === undefined) return [];
  if (!isRecord(value)) return [{ key, value, message: 'expected a map of text values, e.g. { environment: "prod" }' }];
  const problems: Problem[] = [];
  const entries = Object.entries(value);
  if (entries.length + AZURE_RESERVED_TAG_KEYS.length > 50) {
    problems.push({ key, value: `${entries.length} tags`, message: `Azure allows 50 tags per resource and the components add ${AZURE_RESERVED_TAG_KEYS.length}: drop some` });
  }
  for (const [k, v] of entries) {
    const at = `${key}["${k}"]`;
    if (AZURE_RESERVED_TAG_KEYS.includes(k)) {
      problems.push({ key: at, value: v, message: "is set by the components themselves: choose another key" });
    } else if (k.length === 0 || k.length > 512 || /[<>%&\\?/]/.test(k)) {
      problems.push({ key: at, value: v, message: "Azure tag keys hold 1-512 characters and none of < > % & \\ ? /: rename the key" });
    }
    if (typeof v !== "string" || v.length > 256) {
      problems.push({ key: at, value: v, message: "Azure tag values are text of at most 256 characters" });
    }
  }
  return problems;
}

function checkProbes(value: unknown): Problem[] {
  if (!isRecord(value)) {
    return [{ key: "loadBalancerProbes", value, message: "expected ports per tier, e.g. { dmz: [{ from: 443, to: 443 }] }" }];
  }
  const problems: Problem[] = [];
  for (const [tier, ports] of Object.entries(value)) {
    const key = `loadBalancerProbes.${tier}`;
    if (!isTier(tier)) {
      problems.push({ key, value: ports, message: `unknown tier "${tier}": expected one of ${TIERS.join(", ")}` });
    } else if (!Array.isArray(ports)) {
      problems.push({ key, value: ports, message: "expected a list of port ranges" });
    } else {
      ports.forEach((p, i) => problems.push(...checkPortRange(`${key}[${i}]`, `health probes of the ${tier} tier`, p)));
    }
  }
  return problems;
}

function checkServiceEndpoints(value: unknown): Problem[] {
  if (!Array.isArray(value)) {
    return [{ key: "dataServiceEndpoints", value, message: 'expected a list such as ["Microsoft.Storage"]' }];
  }
  const known = Object.keys(SERVICE_ENDPOINT_EGRESS);
  const problems: Problem[] = [];
  const endpoints: unknown[] = value;
  endpoints.forEach((e, i) => {
    const key = `dataServiceEndpoints[${i}]`;
    if (typeof e !== "string" || !known.includes(e)) {
      problems.push({ key, value: e, message: `no egress rule is known for this endpoint; expected one of ${known.join(", ")}` });
    } else if (endpoints.indexOf(e) !== i) {
      problems.push({ key, value: e, message: "is listed twice: remove the duplicate" });
    }
  });
  return problems;
}

type Band = { readonly first: number; readonly last: number };

/** Where allow rules of each direction may sit; anything outside overflowed its band. */
const ALLOW_BANDS: Readonly<Record<NsgRule["direction"], readonly Band[]>> = {
  Inbound: [NSG_PRIORITY.platformInbound, NSG_PRIORITY.flowInbound],
  Outbound: [NSG_PRIORITY.platformOutbound, NSG_PRIORITY.flowOutbound],
};

/**
 * Problems with a planned rule set: an allow rule outside its band (too many flows into
 * one tier), a priority or a name used twice in one NSG, a priority Azure rejects.
 */
export function checkNsgPlan(plan: NsgPlan): Problem[] {
  const problems: Problem[] = [];
  for (const tier of TIERS) {
    const key = `extraFlows (the ${tier} NSG)`;
    const priorities = new Set<number>();
    const names = new Set<string>();
    for (const rule of plan[tier]) {
      if (rule.access === "Allow") {
        const bands = ALLOW_BANDS[rule.direction];
        if (!bands.some((b) => rule.priority >= b.first && rule.priority <= b.last)) {
          const band = rule.priority < NSG_PRIORITY.flowInbound.first ? bands[0] : bands[1];
          const capacity = band === undefined ? 0 : (band.last - band.first) / NSG_PRIORITY.step + 1;
          problems.push({
            key,
            value: rule.name,
            message: `too many ${rule.direction.toLowerCase()} rules: the band ${band?.first}-${band?.last} holds ${capacity}; merge flows that share a source and a destination`,
          });
        }
      }
      if (rule.priority < 100 || rule.priority > 4096) {
        problems.push({ key, value: rule.priority, message: `rule "${rule.name}" has priority ${rule.priority}; Azure accepts 100-4096` });
      }
      if (priorities.has(rule.priority)) {
        problems.push({ key, value: rule.priority, message: `priority ${rule.priority} is used twice (rule "${rule.name}"): reduce the number of flows` });
      }
      priorities.add(rule.priority);
      if (names.has(rule.name)) {
        problems.push({ key, value: rule.name, message: `rule name "${rule.name}" is used twice: rename the flow id` });
      }
      names.add(rule.name);
    }
  }
  return problems;
}
