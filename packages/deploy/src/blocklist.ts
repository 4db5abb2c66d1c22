/**
 * The incident blocklist: `pfv5:blockedCidrs` in a stack file, a plain list of CIDR strings
 * that the network components turn into deny entries. The reason and time of each block
 * travel as the entry's YAML comment, so the config value stays a list of strings and the
 * file tells whoever lifts the block why it was set. This file checks the block argument;
 * `blocklist-edit.ts` edits the file, `block-check.ts` runs the stack's own validation.
 * Pure.
 */
import { AWS_ADDRESS_PLAN, AZURE_ADDRESS_PLAN, VPN_CIDR, checkCidr, cidrContains, cidrsOverlap, parseCidr, type Problem } from "@pfv5/zones";
import { decodeConfigValue } from "./stack-file";

export const BLOCKED_CIDRS_KEY = "pfv5:blockedCidrs";
export const ADMIN_CIDRS_KEY = "pfv5:sshAllowedCidrs";
export const ADDRESS_PLAN_KEY = "pfv5:addressPlan";

/** What a block must not touch, read from the stack config. */
export interface BlockContext {
  /** The VPC or VNet block and where it came from (a config key or the default plan). */
  readonly networkCidr: string;
  readonly networkCidrSource: string;
  /** Authorized administrator blocks, as `[key, cidr]`. */
  readonly adminCidrs: readonly (readonly [string, string])[];
  /** The VPN client range: blocking it locks out administrators on the VPN. */
  readonly vpnCidr: string;
}

/** Reads the network block, admin CIDRs and VPN range that a block must leave alone. */
export function blockContext(config: Readonly<Record<string, unknown>>, cloud: string | undefined): BlockContext {
  const plan = decodeConfigValue(config[ADDRESS_PLAN_KEY]);
  const planCidr = typeof plan === "object" && plan !== null ? (plan as Record<string, unknown>)["cidr"] : undefined;
  const fallback = cloud === "azure" ? AZURE_ADDRESS_PLAN : AWS_ADDRESS_PLAN;
  const admins = decodeConfigValue(config[ADMIN_CIDRS_KEY]);
  const adminCidrs: (readonly [string, string])[] = [];
  (Array.isArray(admins) ? (admins as unknown[]) : []).forEach((v, i) => {
    const key = `${ADMIN_CIDRS_KEY}[${i}]`;
    // A malformed admin entry is the stack validation's to report; it protects nothing here.
    if (typeof v === "string" && checkCidr(key, v).length === 0) adminCidrs.push([key, v]);
  });
  return typeof planCidr === "string" && checkCidr("cidr", planCidr).length === 0
    ? { networkCidr: planCidr, networkCidrSource: `${ADDRESS_PLAN_KEY}.cidr`, adminCidrs, vpnCidr: VPN_CIDR }
    : { networkCidr: fallback.cidr, networkCidrSource: `the default ${cloud === "azure" ? "Azure" : "AWS"} address plan`, adminCidrs, vpnCidr: VPN_CIDR };
}

/** Where a special-purpose block is, and why denying it as a source makes no sense. */
export interface SpecialBlock {
  readonly cidr: string;
  /** What the block is, e.g. "loopback". */
  readonly what: string;
  readonly why: string;
}

const NO_SOURCE = "no packet from the internet carries such a source address, so a deny would do nothing";

/**
 * Blocks that are not unicast sources on the internet (RFC 6890, RFC 4291). Denying them
 * matches nothing an attacker sends, and the link-local block holds the instance metadata
 * service (169.254.169.254) and the Amazon DNS resolver (169.254.169.253): a deny there
 * cuts instances off from their credentials and name resolution wherever the filter sees it.
 */
export const SPECIAL_BLOCKS: readonly SpecialBlock[] = [
  { cidr: "0.0.0.0/8", what: '"this network" (unspecified source)', why: NO_SOURCE },
  { cidr: "127.0.0.0/8", what: "loopback", why: `loopback traffic never leaves a host: ${NO_SOURCE}` },
  {
    cidr: "169.254.0.0/16",
    what: "link-local, home of the instance metadata service 169.254.169.254",
    why: "link-local addresses are never routed, so no attacker can send from one, and a deny could cut instances off from their metadata, credentials and DNS",
  },
  { cidr: "224.0.0.0/4", what: "multicast", why: `a multicast address is only ever a destination: ${NO_SOURCE}` },
  { cidr: "240.0.0.0/4", what: "reserved, up to the broadcast address 255.255.255.255", why: `these addresses are never assigned or routed: ${NO_SOURCE}` },
  { cidr: "::/128", what: "the IPv6 unspecified address", why: NO_SOURCE },
  { cidr: "::1/128", what: "IPv6 loopback", why: `loopback traffic never leaves a host: ${NO_SOURCE}` },
  { cidr: "fe80::/10", what: "IPv6 link-local", why: "link-local addresses are never routed, so no attacker can send from one" },
  { cidr: "ff00::/8", what: "IPv6 multicast", why: `a multicast address is only ever a destination: ${NO_SOURCE}` },
];

/**
 * Problems with blocking `cidr` (the argument as the user typed it): it must parse, must not
 * be everything or a special-purpose block, and must not overlap the network itself, an
 * admin CIDR or the VPN range.
 */
export function checkBlock(cidr: string, ctx: BlockContext): Problem[] {
  const key = "<cidr>";
  const bad = checkCidr(key, cidr);
  if (bad.length > 0) return bad.map((p) => ({ ...p, message: `${p.message}; give the attacker's block, e.g. 203.0.113.0/24 or 198.51.100.7/32` }));
  const c = parseCidr(cidr);
  const problems: Problem[] = [];
  if (c.prefix === 0) {
    problems.push({ key, value: cidr, message: "would block every address: give the attacker's block, e.g. 203.0.113.0/24" });
  }
  // The whole space overlaps every special block; "every address" already says it all.
  for (const special of c.prefix === 0 ? [] : SPECIAL_BLOCKS) {
    if (!cidrsOverlap(c, special.cidr)) continue;
    const where = cidrContains(special.cidr, c) ? `is ${special.what} (${special.cidr})` : `includes ${special.what} (${special.cidr})`;
    problems.push({ key, value: cidr, message: `${where}: ${special.why}; give the attacker's public block, e.g. 203.0.113.0/24` });
  }
  if (cidrsOverlap(c, ctx.networkCidr)) {
    problems.push({
      key,
      value: cidr,
      message: `overlaps the network's own block ${ctx.networkCidr} (${ctx.networkCidrSource}): blocking it would cut the network off from itself; block the attacker's public range, or quarantine a compromised pod with the label pfv5.io/quarantine=true`,
    });
  }
  for (const [adminKey, admin] of ctx.adminCidrs) {
    if (cidrsOverlap(c, admin)) {
      problems.push({
        key,
        value: cidr,
        message: `overlaps the authorized admin CIDR ${admin} (${adminKey}): it would lock administrators out; remove ${admin} from ${ADMIN_CIDRS_KEY} first if that is intended`,
      });
    }
  }
  if (cidrsOverlap(c, ctx.vpnCidr)) {
    problems.push({ key, value: cidr, message: `overlaps the VPN client range ${ctx.vpnCidr}: administrators on the VPN would be locked out; revoke the peer instead` });
  }
  return problems;
}

