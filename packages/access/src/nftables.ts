/**
 * The host firewall of the access hosts as an nftables ruleset, rendered from the zone
 * model: what may reach a host role are the flows into that role, what VPN clients may
 * reach through it are the flows out of `vpn-clients`. Everything else is dropped.
 *
 * Unlike the seed's iptables script, the per-source rate limit sits before the accept it
 * guards (a limit after an accept never matches), and SSH is accepted only from the
 * authorized blocks.
 */
import { FLOWS, parseCidr, PORTS, type Flow, type PortRange, type Role } from "@pfv5/zones";
import { NFT_TABLE } from "./defaults";

/** The roles an access host can play; one host may play both. */
export type HostRole = "bastion" | "vpn-server";
export const HOST_ROLES: readonly HostRole[] = ["bastion", "vpn-server"];

export interface NftablesInput {
  /**
   * The roles this host serves. A role not listed gets no ports: a bastion with SSH off
   * (reached through SSM only) passes an empty list and opens nothing.
   */
  readonly roles: readonly HostRole[];
  /**
   * Source blocks per zone-model role, for the flows into the host and out of the tunnel:
   * `admins` (the SSH CIDRs), and the destination tiers `app`, `data`, `mgmt`. A flow from
   * `internet` is open to every source unless `internet` is listed here.
   */
  readonly roleCidrs: Partial<Readonly<Record<Role, readonly string[]>>>;
  /** The tunnel, when the host plays `vpn-server`. */
  readonly wireguard?: {
    readonly interfaceName: string;
    /** The VPN client range, e.g. 10.100.0.0/24. */
    readonly vpnCidr: string;
    /** Resolvers VPN clients are told to use; DNS to them is forwarded. */
    readonly dns: readonly string[];
  };
  /** New connections per minute and burst, per source, on every TCP port the host opens. */
  readonly rateLimit: { readonly perMinute: number; readonly burst: number };
  /** Drop log lines per minute. */
  readonly dropLogPerMinute: number;
  /** The allowed flows. @default FLOWS from the zone model */
  readonly flows?: readonly Flow[];
}

type Family = "ip" | "ip6";

function byFamily(cidrs: readonly string[]): Record<Family, string[]> {
  const out: Record<Family, string[]> = { ip: [], ip6: [] };
  for (const c of cidrs) {
    const parsed = parseCidr(c);
    out[parsed.version === 4 ? "ip" : "ip6"].push(parsed.text);
  }
  return out;
}

function portSet(ports: readonly PortRange[]): string {
  const items = ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`));
  return items.length === 1 ? (items[0] ?? "") : `{ ${items.join(", ")} }`;
}

function elements(items: readonly string[]): string {
  return `{ ${items.join(", ")} }`;
}

function ident(flowId: string): string {
  return flowId.replace(/[^A-Za-z0-9]/g, "_");
}

function cidrsFor(input: NftablesInput, role: Role, flow: Flow): readonly string[] | "any" {
  const listed = input.roleCidrs[role];
  if (listed !== undefined) return listed;
  if (role === "internet") return "any";
  throw new Error(`flow "${flow.id}" involves role "${role}" but no CIDRs were given for it in roleCidrs`);
}

function protocolMatch(flow: Flow): string {
  if (flow.protocol === "tcp" || flow.protocol === "udp") return `${flow.protocol} dport ${portSet(flow.ports)}`;
  throw new Error(`flow "${flow.id}" uses protocol "${flow.protocol}", which an access host does not serve`);
}

interface Rendered {
  readonly sets: string[];
  readonly counters: string[];
  readonly input: string[];
  readonly forward: string[];
  readonly postrouting: string[];
}

function inputRules(input: NftablesInput, flows: readonly Flow[], out: Rendered): void {
  for (const flow of flows.filter((f) => (input.roles as readonly string[]).includes(f.to))) {
    const sources = cidrsFor(input, flow.from, flow);
    const match = protocolMatch(flow);
    // [source match, family] pairs; a TCP flow open to any source still needs a family
    // so its rate-limit set knows the address type.
    const families: [string, Family | undefined][] =
      sources === "any"
        ? flow.protocol === "tcp"
          ? [["meta nfproto ipv4 ", "ip"], ["meta nfproto ipv6 ", "ip6"]]
          : [["", undefined]]
        : (Object.entries(byFamily(sources)) as [Family, string[]][])
            .filter(([, list]) => list.length > 0)
            .map(([fam, list]) => [`${fam} saddr ${elements(list)} `, fam]);
    if (families.length === 0) continue;
    out.input.push(`# ${flow.id}: ${flow.reason}`);
    for (const [sourceMatch, fam] of families) {
      if (flow.protocol === "tcp" && fam !== undefined) {
        // Per-source limit on new connections, evaluated before the accept below.
        const key = `${fam} saddr`;
        const set = `ratelimit_${ident(flow.id)}_${fam === "ip" ? "v4" : "v6"}`;
        const counter = `rate_limited_${ident(flow.id)}`;
        if (!out.counters.includes(counter)) out.counters.push(counter);
        out.sets.push(
          `set ${set} {`,
          `  type ${fam === "ip" ? "ipv4_addr" : "ipv6_addr"}`,
          "  flags dynamic,timeout",
          "  timeout 5m",
          "  size 65535",
          "}",
        );
        const limit = `limit rate over ${input.rateLimit.perMinute}/minute burst ${input.rateLimit.burst} packets`;
        out.input.push(`${sourceMatch}${match} ct state new update @${set} { ${key} ${limit} } counter name "${counter}" drop`);
      }
      out.input.push(`${sourceMatch}${match} accept`);
    }
  }
}

function forwardRules(input: NftablesInput, flows: readonly Flow[], out: Rendered): void {
  const wg = input.wireguard;
  if (wg === undefined) throw new Error('the "vpn-server" role needs the wireguard settings (interface name, VPN range, DNS)');
  const vpn = parseCidr(wg.vpnCidr).text;
  const from = `iifname "${wg.interfaceName}" ip saddr ${vpn}`;
  const targets: string[] = [];
  for (const flow of flows.filter((f) => f.from === "vpn-clients")) {
    const dest = cidrsFor(input, flow.to, flow);
    if (dest === "any") throw new Error(`flow "${flow.id}" would forward VPN clients to the internet; the VPN reaches the VPC only`);
    const v4 = byFamily(dest).ip;
    if (v4.length === 0) continue;
    out.forward.push(`# ${flow.id}: ${flow.reason}`, `${from} ip daddr ${elements(v4)} ${protocolMatch(flow)} accept`);
    targets.push(...v4.filter((c) => !targets.includes(c)));
  }
  const dns = byFamily(wg.dns.map((d) => (d.includes("/") ? d : `${d}/32`))).ip;
  if (dns.length > 0) {
    out.forward.push(
      "# VPN clients resolve names through the resolvers their configuration names",
      `${from} ip daddr ${elements(dns)} meta l4proto { tcp, udp } th dport ${PORTS.dns} accept`,
    );
    targets.push(...dns.filter((c) => !targets.includes(c)));
  }
  if (targets.length > 0) {
    // No interface name here: the route to the VPC picks the primary interface (ens5 on
    // Nitro, eth0 elsewhere) and masquerade takes that interface's address.
    out.postrouting.push(`ip saddr ${vpn} ip daddr ${elements(targets)} masquerade`);
  }
}

/** Renders the ruleset. It replaces only its own table, so fail2ban's table survives a reload. */
export function renderNftables(input: NftablesInput): string {
  const flows = input.flows ?? FLOWS;
  const out: Rendered = { sets: [], counters: ["input_dropped", "forward_dropped"], input: [], forward: [], postrouting: [] };
  inputRules(input, flows, out);
  const vpn = input.roles.includes("vpn-server");
  if (vpn) forwardRules(input, flows, out);
  const log = (chain: string): string =>
    `limit rate ${input.dropLogPerMinute}/minute burst 5 packets log prefix "pfv5-drop-${chain}: " level warn`;
  const indent = (lines: readonly string[], n: number): string[] => lines.map((l) => `${" ".repeat(n)}${l}`);
  const lines = [
    "#!/usr/sbin/nft -f",
    `# Host firewall for roles: ${input.roles.length > 0 ? input.roles.join(", ") : "none (no inbound port)"}. Rendered from the zone model; do not edit here.`,
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    ...out.counters.map((c) => `  counter ${c} { }`),
    ...indent(out.sets, 2),
    "",
    "  chain input {",
    "    type filter hook input priority filter; policy drop;",
    '    iif "lo" accept',
    '    iif != "lo" ip daddr 127.0.0.0/8 drop',
    '    iif != "lo" ip6 daddr ::1 drop',
    "    ct state invalid drop",
    "    ct state established,related accept",
    "    # IPv6 neighbour discovery, on-link only (hop limit 255)",
    "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept",
    ...indent(out.input, 4),
    `    ${log("input")}`,
    '    counter name "input_dropped"',
    "  }",
    "",
    "  chain forward {",
    "    type filter hook forward priority filter; policy drop;",
    ...(vpn ? ["    ct state invalid drop", "    ct state established,related accept"] : []),
    ...indent(out.forward, 4),
    `    ${log("forward")}`,
    '    counter name "forward_dropped"',
    "  }",
    ...(out.postrouting.length > 0
      ? ["", "  chain postrouting {", "    type nat hook postrouting priority srcnat; policy accept;", ...indent(out.postrouting, 4), "  }"]
      : []),
    "}",
  ];
  return `${lines.join("\n")}\n`;
}
