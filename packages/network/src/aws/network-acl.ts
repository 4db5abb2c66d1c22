/**
 * The entries of each tier's network ACL: the incident blocklist first, then allow entries
 * derived from the zone model. Network ACLs are stateless and see subnets, not instances,
 * so they stay coarse: traffic inside the VPC passes on one entry each way and is left to
 * the security groups, and what crosses the VPC's edge is narrowed to the zone model's
 * flows plus the replies a stateless filter has to let back. They are the second wall
 * (defense in depth): a security group opened too wide by mistake still cannot expose the
 * app, data or management tier to the internet.
 *
 * Entries per tier after the blocklist, each band numbered per `AWS_NETWORK_ACL_RULE_NUMBERS`:
 * - `vpc-in`, `vpc-out`: everything to and from the VPC block.
 * - `ephemeral-tcp-in`, `ephemeral-udp-in`: replies on the ephemeral ports from anywhere,
 *   when the tier's workloads, or the NAT gateways it holds, open connections to the
 *   internet (the NAT gateway keeps the internet address as the source of the reply).
 * - `admin-port-<proto>-<ports>-deny-in` (today `admin-port-tcp-3389-deny-in` and
 *   `admin-port-udp-3389-deny-in`): ahead of each reply entry, a deny from anywhere for
 *   every administration port (`ADMIN_PORTS`) the reply range covers. The first entry
 *   that matches decides, so RDP stays closed to the internet on every tier (AWS Security
 *   Hub EC2.21; the policy pack's no-internet-admin-ports); SSH, port 22, lies below the
 *   range. The admins' SSH entries are unaffected.
 * - `<flow id>-<ports>-in`: each flow from `internet` into one of the tier's roles, from
 *   0.0.0.0/0; `<flow id>-<ports>-in-<i>`: each flow from `admins`, once per admin CIDR.
 * - `all-out` (or per-port `internet-...-out`): the tier's own flows to the internet, the
 *   flows its NAT gateways forward, and the replies to its inbound flows.
 * A tier with no way out (`AWS_TIER_EGRESS` "none": the data tier) gets the VPC entries only.
 *
 * VPN clients need no entries: the WireGuard server masquerades them, so inside the VPC
 * their packets carry the server's DMZ address, which `vpc-in` covers.
 *
 * Pure: no Pulumi.
 */
import { ADMIN_PORTS, FLOWS, TIERS, zoneOf, type Flow, type PortRange, type Problem, type Protocol, type Role, type Tier } from "@pfv5/zones";
import { planAwsBlocklistRules } from "./blocklist";
import {
  AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT,
  AWS_EPHEMERAL_PORTS,
  AWS_MAX_NETWORK_ACL_RULE_LIMIT,
  AWS_NAT_GATEWAY_TIER,
  AWS_NETWORK_ACL_RULE_NUMBERS,
  AWS_NETWORK_ACL_RULE_STEP,
  AWS_TIER_EGRESS,
} from "./defaults";

/** IANA protocol numbers, as EC2 stores and returns them; `-1` is every protocol. */
export type AwsAclProtocol = "-1" | "1" | "6" | "17";

/** Which list or band an entry belongs to. */
export type AwsNetworkAclRuleKind = "blocklist" | "vpc" | "admin-port-deny" | "return-traffic" | "internet" | "admin";

export interface AwsNetworkAclRulePlan {
  /** Stable key within the ACL, e.g. `block-in-0`, `vpc-in`, `ephemeral-tcp-in`, `all-out`; the resource name derives from it. */
  readonly key: string;
  readonly kind: AwsNetworkAclRuleKind;
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly ruleAction: "allow" | "deny";
  readonly cidrBlock: string;
  readonly protocol: AwsAclProtocol;
  /** tcp and udp: the inclusive port range. */
  readonly fromPort?: number;
  readonly toPort?: number;
  /** icmp: -1 and -1, every type and code. */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Why the entry exists. EC2 entries carry no description, so the reason lives here. */
  readonly reason: string;
}

export interface AwsNetworkAclInput {
  /** The VPC block. */
  readonly vpcCidr: string;
  /** The incident blocklist, in order. */
  readonly blockedCidrs: readonly string[];
  /** The authorized administrator CIDRs, in order: the sources of the `admins` flows. */
  readonly adminCidrs: readonly string[];
  /** The allowed flows. @default FLOWS (the architecture's zone model) */
  readonly flows?: readonly Flow[];
}

const INTERNET = "0.0.0.0/0";

const PROTOCOL_NUMBER: Readonly<Record<Protocol, AwsAclProtocol>> = { all: "-1", icmp: "1", tcp: "6", udp: "17" };

/** What a set of flows sends, per protocol. */
interface Traffic {
  all: boolean;
  icmp: boolean;
  tcp: PortRange[];
  udp: PortRange[];
}

function trafficOf(parts: readonly { protocol: Protocol; ports: readonly PortRange[] }[]): Traffic {
  const t: Traffic = { all: false, icmp: false, tcp: [], udp: [] };
  for (const { protocol, ports } of parts) {
    if (protocol === "all") t.all = true;
    else if (protocol === "icmp") t.icmp = true;
    else t[protocol].push(...ports);
  }
  return { ...t, tcp: merged(t.tcp), udp: merged(t.udp) };
}

/** Sorted, with overlapping and adjacent ranges joined. */
function merged(ranges: readonly PortRange[]): PortRange[] {
  const out: { from: number; to: number }[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from || a.to - b.to)) {
    const last = out[out.length - 1];
    if (last !== undefined && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ from: r.from, to: r.to });
  }
  return out;
}

const portLabel = (p: PortRange): string => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`);

/** One entry per protocol and merged port range of `t`; `all` swallows the rest. */
function matches(t: Traffic): { protocol: Protocol; ports?: PortRange; label: string }[] {
  if (t.all) return [{ protocol: "all", label: "all" }];
  return [
    ...t.tcp.map((p) => ({ protocol: "tcp" as const, ports: p, label: `tcp-${portLabel(p)}` })),
    ...t.udp.map((p) => ({ protocol: "udp" as const, ports: p, label: `udp-${portLabel(p)}` })),
    ...(t.icmp ? [{ protocol: "icmp" as const, label: "icmp" }] : []),
  ];
}

interface EntrySpec {
  readonly key: string;
  readonly kind: AwsNetworkAclRuleKind;
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly cidrBlock: string;
  readonly protocol: Protocol;
  readonly ports?: PortRange;
  readonly reason: string;
}

function allow(s: EntrySpec): AwsNetworkAclRulePlan {
  const base = { key: s.key, kind: s.kind, ruleNumber: s.ruleNumber, egress: s.egress, ruleAction: "allow" as const, cidrBlock: s.cidrBlock, protocol: PROTOCOL_NUMBER[s.protocol], reason: s.reason };
  if (s.protocol === "icmp") return { ...base, icmpType: -1, icmpCode: -1 };
  if (s.protocol === "all") return base;
  const ports = s.ports ?? { from: 0, to: 65535 };
  return { ...base, fromPort: ports.from, toPort: ports.to };
}

const fromOutside = (f: Flow): boolean => zoneOf(f.from) === "internet";
const toOutside = (f: Flow): boolean => zoneOf(f.to) === "internet";
const isAdmins = (r: Role): boolean => r === "admins";
const ids = (flows: readonly Flow[]): string => flows.map((f) => f.id).join(", ");

/** The flows a tier sends to the internet: its own, and for the NAT tier those its NAT gateways forward. */
function egressFlows(tier: Tier, flows: readonly Flow[]): { own: Flow[]; forwarded: Flow[] } {
  const own = flows.filter((f) => zoneOf(f.from) === tier && toOutside(f));
  const natTiers = TIERS.filter((t) => AWS_TIER_EGRESS[t] === "nat-gateway");
  const forwarded = tier === AWS_NAT_GATEWAY_TIER ? flows.filter((f) => natTiers.some((t) => zoneOf(f.from) === t) && toOutside(f)) : [];
  return { own, forwarded };
}

/**
 * The inbound entries of one flow from outside the VPC, for one source block: one per
 * merged port range (tcp, udp), or one for the whole protocol (all, icmp).
 */
function flowMatches(f: Flow): { protocol: Protocol; ports?: PortRange; label: string }[] {
  if (f.protocol === "all") return [{ protocol: "all", label: "" }];
  if (f.protocol === "icmp") return [{ protocol: "icmp", label: "icmp" }];
  return merged(f.ports).map((p) => ({ protocol: f.protocol, ports: p, label: portLabel(p) }));
}

/**
 * The administration ports inside `range`, each cut to the part the range covers: the
 * ports an allow of `range` from anywhere would open and a deny ahead of it has to close.
 */
function adminPortsIn(range: PortRange): PortRange[] {
  return merged(ADMIN_PORTS)
    .map((p) => ({ from: Math.max(p.from, range.from), to: Math.min(p.to, range.to) }))
    .filter((p) => p.from <= p.to);
}

/**
 * The entries the zone model gives `tier`, inbound then outbound, each side in rule-number
 * order: allows, and the administration-port denies that guard the reply entries.
 */
export function planAwsZoneAclAllows(tier: Tier, input: AwsNetworkAclInput): AwsNetworkAclRulePlan[] {
  const flows = input.flows ?? FLOWS;
  const step = AWS_NETWORK_ACL_RULE_STEP;
  const bands = AWS_NETWORK_ACL_RULE_NUMBERS;
  const inbound: AwsNetworkAclRulePlan[] = [
    allow({
      key: "vpc-in",
      kind: "vpc",
      ruleNumber: bands.vpc,
      egress: false,
      cidrBlock: input.vpcCidr,
      protocol: "all",
      reason: "everything from inside the VPC (VPN clients arrive masqueraded as the WireGuard server): the security groups filter it",
    }),
  ];
  const outbound: AwsNetworkAclRulePlan[] = [
    allow({ key: "vpc-out", kind: "vpc", ruleNumber: bands.vpc, egress: true, cidrBlock: input.vpcCidr, protocol: "all", reason: "everything to the VPC: the security groups filter it" }),
  ];
  // No route out and no public addresses: nothing outside the VPC can reach the tier or be reached.
  if (AWS_TIER_EGRESS[tier] === "none") return [...inbound, ...outbound];

  // Replies to the tier's connections out, and ahead of them the denies that keep the
  // administration ports inside the reply range closed to the internet.
  const { own, forwarded } = egressFlows(tier, flows);
  const replyEntries = (["tcp", "udp"] as const)
    .map((protocol, i) => ({ protocol, i, needs: [...own, ...forwarded].filter((f) => f.protocol === protocol || f.protocol === "all") }))
    .filter((r) => r.needs.length > 0);
  let d = 0;
  for (const { protocol } of replyEntries) {
    for (const p of adminPortsIn(AWS_EPHEMERAL_PORTS)) {
      inbound.push({
        key: `admin-port-${protocol}-${portLabel(p)}-deny-in`,
        kind: "admin-port-deny",
        ruleNumber: bands.adminPortDeny + step * d++,
        egress: false,
        ruleAction: "deny",
        cidrBlock: INTERNET,
        protocol: PROTOCOL_NUMBER[protocol],
        fromPort: p.from,
        toPort: p.to,
        reason: `administration port ${protocol} ${portLabel(p)} is never open to the internet: denied ahead of ephemeral-${protocol}-in, whose range covers it`,
      });
    }
  }
  for (const { protocol, i, needs } of replyEntries) {
    inbound.push(
      allow({
        key: `ephemeral-${protocol}-in`,
        kind: "return-traffic",
        ruleNumber: bands.returnTraffic + i * step,
        egress: false,
        cidrBlock: INTERNET,
        protocol,
        ports: AWS_EPHEMERAL_PORTS,
        reason: `replies to ${protocol} connections to the internet (${ids(needs)}); a stateless ACL has to let them back in`,
      }),
    );
  }

  // The zone model's flows from outside: the internet from anywhere, the admins per CIDR.
  const into = flows.filter((f) => fromOutside(f) && zoneOf(f.to) === tier);
  const seen = new Set<string>();
  const fresh = (cidr: string, protocol: Protocol, ports: PortRange | undefined): boolean => {
    const sig = `${cidr} ${protocol} ${ports === undefined ? "" : portLabel(ports)}`;
    if (seen.has(sig)) return false;
    seen.add(sig);
    return true;
  };
  let n = 0;
  for (const f of into.filter((x) => !isAdmins(x.from))) {
    for (const m of flowMatches(f)) {
      if (!fresh(INTERNET, m.protocol, m.ports)) continue;
      inbound.push(
        allow({
          key: [f.id, m.label, "in"].filter((s) => s !== "").join("-"),
          kind: "internet",
          ruleNumber: bands.internet + step * n++,
          egress: false,
          cidrBlock: INTERNET,
          protocol: m.protocol,
          ...(m.ports !== undefined ? { ports: m.ports } : {}),
          reason: `${f.id}: ${f.reason}`,
        }),
      );
    }
  }
  let a = 0;
  input.adminCidrs.forEach((cidr, i) => {
    for (const f of into.filter((x) => isAdmins(x.from))) {
      for (const m of flowMatches(f)) {
        if (!fresh(cidr, m.protocol, m.ports)) continue;
        inbound.push(
          allow({
            key: `${[f.id, m.label, "in"].filter((s) => s !== "").join("-")}-${i}`,
            kind: "admin",
            ruleNumber: bands.admins + step * a++,
            egress: false,
            cidrBlock: cidr,
            protocol: m.protocol,
            ...(m.ports !== undefined ? { ports: m.ports } : {}),
            reason: `${f.id} from authorized admin CIDR ${i} (${cidr}): ${f.reason}`,
          }),
        );
      }
    }
  });

  // Out: the tier's traffic to the internet and the replies to what came in (clients pick
  // ephemeral source ports; admins' replies go to 0.0.0.0/0 too, coarse but one entry).
  const replies = into.map((f) => ({ protocol: f.protocol, ports: f.protocol === "tcp" || f.protocol === "udp" ? [AWS_EPHEMERAL_PORTS] : f.ports }));
  const outAll = trafficOf([...own, ...forwarded, ...replies]);
  const why = [
    ...(own.length > 0 ? [`${ids(own)}`] : []),
    ...(forwarded.length > 0 ? [`${ids(forwarded)} (forwarded by the NAT gateways)`] : []),
    ...(into.length > 0 ? [`replies to ${ids(into)}`] : []),
  ].join("; ");
  matches(outAll).forEach((m, i) => {
    outbound.push(
      allow({
        key: m.protocol === "all" ? "all-out" : `internet-${m.label}-out`,
        kind: "internet",
        ruleNumber: bands.internet + step * i,
        egress: true,
        cidrBlock: INTERNET,
        protocol: m.protocol,
        ...(m.ports !== undefined ? { ports: m.ports } : {}),
        reason: `to the internet: ${why}`,
      }),
    );
  });
  return [...inbound, ...outbound];
}

/** Every entry of `tier`'s ACL: the blocklist denies, then the zone model's allows. */
export function planAwsNetworkAclRules(tier: Tier, input: AwsNetworkAclInput): AwsNetworkAclRulePlan[] {
  return [...planAwsBlocklistRules(input.blockedCidrs), ...planAwsZoneAclAllows(tier, input)];
}

/** The argument names the quota check reports against. */
export interface AwsNetworkAclQuotaKeys {
  readonly blockedCidrs: string;
  readonly adminCidrs: string;
  readonly ruleLimit: string;
}

const DEFAULT_QUOTA_KEYS: AwsNetworkAclQuotaKeys = { blockedCidrs: "blockedCidrs", adminCidrs: "adminCidrs", ruleLimit: "networkAclRuleLimit" };

/**
 * Whether every tier's ACL fits the account's quota of rules per direction, counting every
 * entry the planner would create, denies included. The busiest ACL decides; today the
 * DMZ's inbound side: 8 entries of its own (the VPC, the two RDP denies, the two reply
 * entries, web on 80 and 443, WireGuard) and one SSH entry per admin CIDR, so AWS's
 * default quota of 20 leaves room for 12 blocked CIDRs, or 10 beside two admin CIDRs.
 * The problem names the blocklist when it has entries (that is the list that grows during
 * an incident), else the admin CIDRs, else the quota itself.
 */
export function checkAwsNetworkAclQuota(input: AwsNetworkAclInput & { readonly ruleLimit: number }, keys: AwsNetworkAclQuotaKeys = DEFAULT_QUOTA_KEYS): Problem[] {
  let busiest: { tier: Tier; egress: boolean; rules: AwsNetworkAclRulePlan[] } | undefined;
  for (const tier of TIERS) {
    const rules = planAwsNetworkAclRules(tier, input);
    for (const egress of [false, true]) {
      const side = rules.filter((r) => r.egress === egress);
      if (busiest === undefined || side.length > busiest.rules.length) busiest = { tier, egress, rules: side };
    }
  }
  if (busiest === undefined || busiest.rules.length <= input.ruleLimit) return [];
  const count = (kind: AwsNetworkAclRuleKind): number => busiest.rules.filter((r) => r.kind === kind).length;
  const blocks = count("blocklist");
  const adminPorts = count("admin-port-deny");
  const admins = count("admin");
  const zone = busiest.rules.length - blocks - adminPorts - admins;
  const parts = [
    ...(blocks > 0 ? [`${blocks} blocklist ${blocks === 1 ? "deny" : "denies"}`] : []),
    ...(adminPorts > 0 ? [`${adminPorts} administration-port ${adminPorts === 1 ? "deny" : "denies"}`] : []),
    `${zone} allows the zone model needs`,
    ...(admins > 0 ? [`${admins} for the admin CIDRs in ${keys.adminCidrs}`] : []),
  ];
  const listed = parts.length === 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`;
  const needs =
    `the ${busiest.tier} network ACL would need ${busiest.rules.length} ${busiest.egress ? "outbound" : "inbound"} rules ` +
    `(${listed}) but the quota is ${input.ruleLimit} per direction`;
  const raise = `raise the quota with AWS (up to ${AWS_MAX_NETWORK_ACL_RULE_LIMIT}) and set ${keys.ruleLimit}`;
  if (blocks > 0) {
    return [{ key: keys.blockedCidrs, value: `${blocks} blocks`, message: `${needs}: block wider ranges${admins > 0 ? ", list fewer admin CIDRs" : ""}, or ${raise}` }];
  }
  if (admins > 0) {
    return [{ key: keys.adminCidrs, value: `${input.adminCidrs.length} CIDRs`, message: `${needs}: list fewer or wider admin CIDRs, or ${raise}` }];
  }
  return [{ key: keys.ruleLimit, value: input.ruleLimit, message: `${needs}: set ${keys.ruleLimit} to the account's real quota (AWS's default is ${AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT})` }];
}
