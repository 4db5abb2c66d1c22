/**
 * The plan of an access host (SSH bastion, WireGuard server, or both): validation of the
 * arguments the AWS and Azure components share, defaults, and everything the host's boot
 * configuration needs except the WireGuard private key. Plain values in, plain values out.
 */
import { checkAdminCidrs, checkCidr, cidrContains, cidrsOverlap, formatAddress, isValidCidr, parseCidr, type Problem } from "@pfv5/zones";
import {
  DEFAULT_BANNER,
  DEFAULT_DROP_LOG_PER_MINUTE,
  DEFAULT_PERSISTENT_KEEPALIVE,
  DEFAULT_SSH_BURST,
  DEFAULT_SSH_NEW_CONNECTIONS_PER_MINUTE,
  DEFAULT_VPN_CIDR,
  DEFAULT_VPN_DNS,
  DEFAULT_VPN_SERVER_ADDRESS,
  DEFAULT_WIREGUARD_INTERFACE,
  DEFAULT_WIREGUARD_PORT,
} from "./defaults";
import { renderNftables, type HostRole } from "./nftables";
import type { SshdSettings } from "./host-files";
import { checkUsers, type AdminUser } from "./users";
import { checkPeers, checkServerSettings, peerHost, type WireGuardPeer, type WireGuardServerSettings } from "./wireguard";

/** The private tiers VPN clients may reach, each with its subnet blocks. */
export type PrivateTier = "app" | "data" | "mgmt";
export const PRIVATE_TIERS: readonly PrivateTier[] = ["app", "data", "mgmt"];

/** The VPN of an access host. */
export interface VpnArgs {
  /** The VPN clients, each with its own public key and address. */
  readonly peers: readonly WireGuardPeer[];
  /** @default DEFAULT_VPN_CIDR (10.100.0.0/24) */
  readonly vpnCidr?: string;
  /** @default the first host address of `vpnCidr` (DEFAULT_VPN_SERVER_ADDRESS, 10.100.0.1) */
  readonly serverAddress?: string;
  /** Resolvers handed to clients and forwarded to. @default DEFAULT_VPN_DNS (10.0.0.2) */
  readonly dns?: readonly string[];
  /** What clients route through the tunnel. @default the VPC block (never 0.0.0.0/0) */
  readonly allowedIps?: readonly string[];
  /** Sources that may reach the WireGuard port. @default any (WireGuard answers no unauthenticated packet) */
  readonly sourceCidrs?: readonly string[];
  /** @default DEFAULT_WIREGUARD_INTERFACE (wg0) */
  readonly interfaceName?: string;
  /** @default DEFAULT_PERSISTENT_KEEPALIVE (25 s) */
  readonly persistentKeepalive?: number;
}

/** Arguments every access host takes, whatever the cloud. */
export interface AccessHostArgs {
  /** The VPC or VNet block. */
  readonly vpcCidr: string;
  /**
   * Serve SSH on port 22 to `sshAllowedCidrs`. With `false` the host opens no SSH port at
   * all (AWS: reach it with SSM Session Manager); sshd stays hardened for SSH over SSM.
   * @default true
   */
  readonly ssh?: boolean;
  /** Administrator blocks allowed to reach SSH (never 0.0.0.0/0). Required when `ssh` is on. */
  readonly sshAllowedCidrs?: readonly string[];
  /** Administrators and their public keys. At least one when `ssh` is on. */
  readonly users?: readonly AdminUser[];
  /**
   * The private tiers' subnet blocks: VPN clients reach tcp 22 there, as the zone model
   * allows. @default the whole VPC block for each tier
   */
  readonly zoneCidrs?: Partial<Readonly<Record<PrivateTier, readonly string[]>>>;
  /** Run the WireGuard server on this host. Mutually exclusive with nothing: `ssh` may stay on. */
  readonly vpn?: VpnArgs;
  /** The login banner. @default DEFAULT_BANNER */
  readonly banner?: string;
  /** New SSH connections per source per minute before drops. @default DEFAULT_SSH_NEW_CONNECTIONS_PER_MINUTE */
  readonly sshConnectionsPerMinute?: number;
  /**
   * The keys problems with `users` and `vpn.peers` are reported under, for a caller whose
   * users write those lists elsewhere: a stack passes its config keys, e.g.
   * `{ users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" }`.
   * @default DEFAULT_LIST_KEYS (`users`, `vpn.peers`)
   */
  readonly configKeys?: Partial<ListKeys>;
}

/** How the caller's users write the two lists that grow a host's configuration. */
export interface ListKeys {
  /** The admin user list, e.g. `pfv5:adminUsers`. */
  readonly users: string;
  /** The WireGuard peer list, e.g. `pfv5:wireguardPeers`. */
  readonly peers: string;
}

/** The argument names themselves. */
export const DEFAULT_LIST_KEYS: ListKeys = { users: "users", peers: "vpn.peers" };

/** The list keys of `args`, defaults filled in. */
export function listKeysOf(args: Pick<AccessHostArgs, "configKeys">): ListKeys {
  return { ...DEFAULT_LIST_KEYS, ...args.configKeys };
}

export interface VpnPlan {
  readonly interfaceName: string;
  readonly server: WireGuardServerSettings;
  readonly allowedIps: readonly string[];
  readonly dns: readonly string[];
  readonly persistentKeepalive: number;
}

export interface AccessHostPlan {
  readonly roles: readonly HostRole[];
  readonly ssh: boolean;
  readonly users: readonly AdminUser[];
  readonly sshd: SshdSettings;
  readonly banner: string;
  /** The rendered host firewall. */
  readonly nftables: string;
  readonly vpn?: VpnPlan;
}

function checkAddressList(key: string, value: unknown): Problem[] {
  if (!Array.isArray(value)) return [{ key, value, message: 'expected a list of IPv4 addresses, e.g. ["10.0.0.2"]' }];
  return value.flatMap((v: unknown, i) =>
    typeof v === "string" && peerHost(v) !== undefined ? [] : [{ key: `${key}[${i}]`, value: v, message: "expected an IPv4 address such as 10.0.0.2" }],
  );
}

function checkCidrList(key: string, value: unknown, within?: string): Problem[] {
  if (!Array.isArray(value)) return [{ key, value, message: 'expected a list of CIDR blocks, e.g. ["10.0.10.0/24"]' }];
  return value.flatMap((v: unknown, i) => {
    const bad = checkCidr(`${key}[${i}]`, v);
    if (bad.length > 0) return bad;
    if (within !== undefined && !cidrContains(within, v as string)) {
      return [{ key: `${key}[${i}]`, value: v, message: `lies outside the network block ${within}: list subnets of the network` }];
    }
    return [];
  });
}

/** The server's tunnel address: the first host address of the range (10.100.0.1 by default). */
function serverAddressOf(vpn: VpnArgs): string {
  if (vpn.serverAddress !== undefined) return vpn.serverAddress;
  const range = vpn.vpnCidr ?? DEFAULT_VPN_CIDR;
  if (range === DEFAULT_VPN_CIDR || typeof range !== "string" || !isValidCidr(range)) return DEFAULT_VPN_SERVER_ADDRESS;
  const c = parseCidr(range);
  return c.version === 4 ? formatAddress(4, c.network + 1n) : DEFAULT_VPN_SERVER_ADDRESS;
}

/**
 * Problems with the VPN arguments; `prefix` names where they sit (`vpn.` on a host, empty
 * on a standalone WireGuardServer), `peersKey` the peer list (default `${prefix}peers`).
 */
export function checkVpn(vpn: VpnArgs, vpcCidr: string, prefix = "", peersKey = `${prefix}peers`): Problem[] {
  const problems: Problem[] = [];
  const vpcOk = checkCidr("vpcCidr", vpcCidr).length === 0;
  const vpnCidr = vpn.vpnCidr ?? DEFAULT_VPN_CIDR;
  const serverAddress = serverAddressOf(vpn);
  const settings = checkServerSettings(prefix, vpnCidr, serverAddress, DEFAULT_WIREGUARD_PORT);
  problems.push(...settings);
  if (settings.length === 0) {
    problems.push(...checkPeers(peersKey, vpn.peers, vpnCidr, serverAddress));
    if (vpcOk && cidrsOverlap(vpnCidr, vpcCidr)) {
      problems.push({ key: `${prefix}vpnCidr`, value: vpnCidr, message: `overlaps the network block ${vpcCidr}: clients could not tell tunnel from VPC addresses; choose a range outside it` });
    }
  }
  if (vpn.dns !== undefined) problems.push(...checkAddressList(`${prefix}dns`, vpn.dns));
  if (vpn.allowedIps !== undefined) {
    problems.push(...checkCidrList(`${prefix}allowedIps`, vpn.allowedIps));
    if (Array.isArray(vpn.allowedIps) && vpn.allowedIps.some((c) => c === "0.0.0.0/0" || c === "::/0")) {
      problems.push({ key: `${prefix}allowedIps`, value: vpn.allowedIps, message: "routes all of a client's traffic through the VPC, which has no path for it: list the VPC block only" });
    }
  }
  if (vpn.sourceCidrs !== undefined) problems.push(...checkCidrList(`${prefix}sourceCidrs`, vpn.sourceCidrs));
  const ifname = vpn.interfaceName ?? DEFAULT_WIREGUARD_INTERFACE;
  if (typeof ifname !== "string" || !/^[A-Za-z0-9_=+.-]{1,15}$/.test(ifname)) {
    problems.push({ key: `${prefix}interfaceName`, value: ifname, message: "expected an interface name of at most 15 letters, digits or _=+.-" });
  }
  const ka = vpn.persistentKeepalive ?? DEFAULT_PERSISTENT_KEEPALIVE;
  if (!Number.isInteger(ka) || ka < 0 || ka > 65535) {
    problems.push({ key: `${prefix}persistentKeepalive`, value: ka, message: "expected whole seconds from 0 (off) to 65535" });
  }
  return problems;
}

/** The VPN plan of arguments that passed {@link checkVpn}. */
export function planVpn(v: VpnArgs, vpcCidr: string): VpnPlan {
  return {
    interfaceName: v.interfaceName ?? DEFAULT_WIREGUARD_INTERFACE,
    server: {
      vpnCidr: parseCidr(v.vpnCidr ?? DEFAULT_VPN_CIDR).text,
      serverAddress: serverAddressOf(v),
      listenPort: DEFAULT_WIREGUARD_PORT,
      peers: v.peers.map((p) => ({ name: p.name, publicKey: p.publicKey, address: peerHost(p.address) ?? p.address })),
    },
    allowedIps: v.allowedIps ?? [parseCidr(vpcCidr).text],
    dns: v.dns ?? DEFAULT_VPN_DNS,
    persistentKeepalive: v.persistentKeepalive ?? DEFAULT_PERSISTENT_KEEPALIVE,
  };
}

/** Every problem with the shared arguments, none thrown. */
export function checkAccessHostArgs(args: AccessHostArgs): Problem[] {
  const problems: Problem[] = [...checkCidr("vpcCidr", args.vpcCidr)];
  const vpcOk = problems.length === 0;
  const ssh = args.ssh ?? true;
  if (typeof ssh !== "boolean") problems.push({ key: "ssh", value: ssh, message: "expected true or false" });
  if (ssh === true) {
    const cidrs: unknown = args.sshAllowedCidrs;
    if (cidrs === undefined || (Array.isArray(cidrs) && cidrs.length === 0)) {
      problems.push({ key: "sshAllowedCidrs", value: cidrs ?? [], message: "is empty, so nobody could reach SSH: list the administrators' blocks, or set ssh to false and use Session Manager" });
    } else {
      problems.push(...checkAdminCidrs("sshAllowedCidrs", cidrs));
    }
  }
  const keys = listKeysOf(args);
  for (const [list, key] of Object.entries(args.configKeys ?? {})) {
    if (!Object.keys(DEFAULT_LIST_KEYS).includes(list)) {
      problems.push({ key: `configKeys.${list}`, value: key, message: `is not a list of the host: use ${Object.keys(DEFAULT_LIST_KEYS).join(" or ")}` });
    } else if (typeof key !== "string" || key.trim() === "") {
      problems.push({ key: `configKeys.${list}`, value: key, message: "expected the key the list is written under, e.g. pfv5:adminUsers" });
    }
  }
  problems.push(...checkUsers(keys.users, args.users, ssh === true));
  if (args.zoneCidrs !== undefined) {
    for (const [tier, list] of Object.entries(args.zoneCidrs)) {
      if (!(PRIVATE_TIERS as readonly string[]).includes(tier)) {
        problems.push({ key: `zoneCidrs.${tier}`, value: list, message: `is not a private tier: use ${PRIVATE_TIERS.join(", ")}` });
      } else problems.push(...checkCidrList(`zoneCidrs.${tier}`, list, vpcOk ? args.vpcCidr : undefined));
    }
  }
  if (args.vpn !== undefined) problems.push(...checkVpn(args.vpn, args.vpcCidr, "vpn.", keys.peers));
  const rate = args.sshConnectionsPerMinute ?? DEFAULT_SSH_NEW_CONNECTIONS_PER_MINUTE;
  if (!Number.isInteger(rate) || rate < 1 || rate > 600) {
    problems.push({ key: "sshConnectionsPerMinute", value: rate, message: "expected a whole number from 1 to 600" });
  }
  if (args.banner !== undefined && (typeof args.banner !== "string" || args.banner.trim() === "")) {
    problems.push({ key: "banner", value: args.banner, message: "expected non-empty text, or leave it out for the default warning" });
  }
  return problems;
}

/** The plan of a host whose arguments passed {@link checkAccessHostArgs}. */
export function planAccessHost(args: AccessHostArgs): AccessHostPlan {
  const ssh = args.ssh ?? true;
  const users = args.users ?? [];
  const vpcCidr = parseCidr(args.vpcCidr).text;
  const tiers: Record<PrivateTier, readonly string[]> = {
    app: args.zoneCidrs?.app ?? [vpcCidr],
    data: args.zoneCidrs?.data ?? [vpcCidr],
    mgmt: args.zoneCidrs?.mgmt ?? [vpcCidr],
  };
  const roles: HostRole[] = [...(ssh ? (["bastion"] as const) : []), ...(args.vpn !== undefined ? (["vpn-server"] as const) : [])];
  const vpn = args.vpn !== undefined ? planVpn(args.vpn, vpcCidr) : undefined;
  const nftables = renderNftables({
    roles,
    roleCidrs: {
      admins: args.sshAllowedCidrs ?? [],
      ...tiers,
      ...(args.vpn?.sourceCidrs !== undefined ? { internet: args.vpn.sourceCidrs } : {}),
    },
    ...(vpn !== undefined ? { wireguard: { interfaceName: vpn.interfaceName, vpnCidr: vpn.server.vpnCidr, dns: vpn.dns } } : {}),
    rateLimit: { perMinute: args.sshConnectionsPerMinute ?? DEFAULT_SSH_NEW_CONNECTIONS_PER_MINUTE, burst: DEFAULT_SSH_BURST },
    dropLogPerMinute: DEFAULT_DROP_LOG_PER_MINUTE,
  });
  return {
    roles,
    ssh,
    users,
    sshd: { allowUsers: users.map((u) => u.name) },
    banner: args.banner ?? DEFAULT_BANNER,
    nftables,
    ...(vpn !== undefined ? { vpn } : {}),
  };
}
