/**
 * Validation of the Azure firewall's inputs and of the planned rules. Every function
 * returns problems (never throws) so a caller gathers them all and fails once, before
 * anything is registered.
 */
import {
  ADMIN_PORTS,
  ALL_PORTS,
  FLOWS,
  ROLES,
  TIERS,
  checkAdminCidrs,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  coversPublicSpace,
  parseCidr,
  zoneOf,
} from "@pfv5/zones";
import type { PortRange, Problem, Role, Tier } from "@pfv5/zones";
import {
  NSG_EGRESS_LOCKED_TIERS,
  MAX_RULE_NAME_LENGTH,
  NSG_PRIORITY,
  SERVICE_ENDPOINT_EGRESS,
} from "./model";
import type { NsgPlan, NsgRule } from "./model";
import { isTier, tierOfRole } from "./plan";

const ROLE_NAMES: readonly string[] = ROLES.map((r) => r.role);
const PROTOCOL_NAMES: readonly string[] = ["tcp", "udp", "icmp", "all"];
const FLOW_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

function isRole(value: unknown): value is Role {
  return typeof value === "string" && ROLE_NAMES.includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems with one CIDR that must be IPv4 (the VNet has no IPv6 address space). */
function checkIpv4Cidr(key: string, value: unknown): Problem[] {
  const bad = checkCidr(key, value);
  if (bad.length > 0) return bad;
  if (parseCidr(value as string).version !== 4) {
    return [{ key, value, message: "is IPv6, but the VNet address space is IPv4 only, so the rule could never match: list IPv4 blocks" }];
  }
  return [];
}

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

function checkPortRange(key: string, flowName: string, value: unknown): Problem[] {
  if (!isRecord(value)) {
    return [{ key, value, message: `${flowName}: expected a port range such as { from: 443, to: 443 }` }];
  }
  const { from, to } = value;
  const problems: Problem[] = [];
  for (const [end, port] of [["from", from], ["to", to]] as const) {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push({ key: `${key}.${end}`, value: port, message: `${flowName}: a port must be a whole number from 0 to 65535` });
    }
  }
  if (problems.length === 0 && (from as number) > (to as number)) {
    problems.push({ key, value, message: `${flowName}: from-port ${String(from)} is above to-port ${String(to)}: swap them` });
  }
  return problems;
}

function isPortRange(p: unknown): p is PortRange {
  return isRecord(p) && typeof p["from"] === "number" && typeof p["to"] === "number";
}

function isAllPorts(p: unknown): boolean {
  return isRecord(p) && p["from"] === ALL_PORTS.from && p["to"] === ALL_PORTS.to;
}

function portsOverlap(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  return a.some((x) => b.some((y) => x.from <= y.to && y.from <= x.to));
}

/**
 * Problems with one flow. `key` is where the user wrote it (`extraFlows[2]`); every
 * message names the flow by its id.
 */
export function checkFlow(key: string, value: unknown, ctx: { readonly vnetCidr?: string } = {}): Problem[] {
  if (!isRecord(value)) {
    return [{ key, value, message: "expected a flow { id, from, to, protocol, ports, reason }" }];
  }
  const problems: Problem[] = [];
  const { id, from, to, protocol, ports, reason } = value;
  const validId = typeof id === "string" && FLOW_ID.test(id) && `allow-out-${id}`.length <= MAX_RULE_NAME_LENGTH;
  if (!validId) {
    problems.push({
      key: `${key}.id`,
      value: id,
      message: `the id names the NSG rule: use lower-case letters, digits and inner hyphens, at most ${MAX_RULE_NAME_LENGTH - 10} characters`,
    });
  }
  const name = `flow "${typeof id === "string" ? id : String(id)}"`;
  if (typeof reason !== "string" || reason.trim() === "") {
    problems.push({ key: `${key}.reason`, value: reason, message: `${name}: say why the flow exists; it becomes the rule description` });
  }
  if (!isRole(to)) {
    problems.push({ key: `${key}.to`, value: to, message: `${name}: expected one of ${ROLE_NAMES.join(", ")}` });
  }
  let publicSource = false;
  if (isRole(from)) {
    publicSource = zoneOf(from) === "internet";
  } else if (isRecord(from) && Array.isArray(from["cidrs"]) && from["cidrs"].length > 0) {
    const cidrs: unknown[] = from["cidrs"];
    cidrs.forEach((c, i) => {
      const k = `${key}.from.cidrs[${i}]`;
      const bad = checkIpv4Cidr(k, c);
      problems.push(...bad.map((p) => ({ ...p, message: `${name}: ${p.message}` })));
      if (bad.length === 0 && coversPublicSpace(c as string)) publicSource = true;
      if (bad.length === 0 && ctx.vnetCidr !== undefined && cidrsOverlap(c as string, ctx.vnetCidr)) {
        problems.push({ key: k, value: c, message: `${name}: overlaps the VNet ${ctx.vnetCidr}; name the tier's role instead of its addresses` });
      }
    });
  } else {
    problems.push({
      key: `${key}.from`,
      value: from,
      message: `${name}: expected one of ${ROLE_NAMES.join(", ")}, or { cidrs: ["203.0.113.0/24"] }`,
    });
  }
  if (typeof protocol !== "string" || !PROTOCOL_NAMES.includes(protocol)) {
    problems.push({ key: `${key}.protocol`, value: protocol, message: `${name}: expected one of ${PROTOCOL_NAMES.join(", ")}` });
  } else if (!Array.isArray(ports)) {
    problems.push({ key: `${key}.ports`, value: ports, message: `${name}: expected a list of port ranges` });
  } else if (protocol === "all" || protocol === "icmp") {
    const portless = ports.length === 0 || (ports.length === 1 && isAllPorts(ports[0]));
    if (!portless) {
      problems.push({
        key: `${key}.ports`,
        value: ports,
        message: `${name}: protocol ${protocol} matches every port, so listing ports is a mistake Azure rejects at deploy time: give ports [] or choose tcp/udp`,
      });
    }
  } else if (ports.length === 0) {
    problems.push({ key: `${key}.ports`, value: ports, message: `${name}: protocol ${protocol} needs at least one port range` });
  } else {
    ports.forEach((p, i) => problems.push(...checkPortRange(`${key}.ports[${i}]`, name, p)));
  }
  if (problems.length > 0 || !isRole(to)) return problems;

  // The flow is well formed; now check that it fits the zone model.
  const toTier = tierOfRole(to);
  const fromTier = isRole(from) ? tierOfRole(from) : undefined;
  if (publicSource && toTier !== "dmz") {
    problems.push({
      key: `${key}.to`,
      value: to,
      message: `${name}: internet ingress may only reach the DMZ (edge, bastion, vpn-server); route it through the edge or the VPN`,
    });
  }
  const tcpPorts = protocol === "all" ? [ALL_PORTS] : protocol === "tcp" && Array.isArray(ports) ? ports.filter(isPortRange) : [];
  if (publicSource && from !== "admins" && portsOverlap(tcpPorts, ADMIN_PORTS)) {
    problems.push({
      key: `${key}.ports`,
      value: ports,
      message: `${name}: SSH and RDP must never be open to the internet; administrators come from adminCidrs or the VPN`,
    });
  }
  if (toTier === undefined) {
    if (to !== "internet") {
      problems.push({ key: `${key}.to`, value: to, message: `${name}: no subnet NSG can enforce a flow to ${to}; target a role inside the VNet or the internet` });
    } else if (fromTier === undefined) {
      problems.push({ key: `${key}.from`, value: from, message: `${name}: neither end is inside the VNet, so no NSG can enforce it` });
    } else if (NSG_EGRESS_LOCKED_TIERS.includes(fromTier)) {
      problems.push({ key: `${key}.to`, value: to, message: `${name}: the ${fromTier} zone has no internet egress by design; use a service endpoint instead` });
    }
  }
  return problems;
}

/** Problems with the zone flows and the extra flows, including duplicate ids. */
export function checkFlows(extraFlows: unknown, ctx: { readonly vnetCidr?: string } = {}): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const visit = (key: string, flow: unknown): void => {
    problems.push(...checkFlow(key, flow, ctx));
    const id = isRecord(flow) ? flow["id"] : undefined;
    if (typeof id !== "string") return;
    if (ids.has(id)) problems.push({ key: `${key}.id`, value: id, message: `flow id "${id}" is used twice; ids name the NSG rules, so give each flow its own` });
    ids.add(id);
  };
  FLOWS.forEach((f, i) => visit(`FLOWS[${i}]`, f));
  if (!Array.isArray(extraFlows)) {
    problems.push({ key: "extraFlows", value: extraFlows, message: "expected a list of flows" });
  } else {
    extraFlows.forEach((f, i) => visit(`extraFlows[${i}]`, f));
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
