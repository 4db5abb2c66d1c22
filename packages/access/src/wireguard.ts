/**
 * WireGuard peers and configurations: validation of the peer list, the server's wg-quick
 * file (no SaveConfig, no PostUp: forwarding and NAT live in the nftables ruleset) and one
 * client file per peer. Pure functions: keys come in as plain text.
 */
import { addressInCidr, formatAddress, lastAddress, parseCidr, type Problem } from "@pfv5/zones";
import { unknownFields, type EntryKind } from "./fields";
import { isWireGuardKey } from "./wireguard-keys";

/** A VPN client. */
export interface WireGuardPeer {
  /** A short name, used in comments and as the key of the client configurations. */
  readonly name: string;
  /** The peer's public key (base64 of 32 bytes, from `wg pubkey`); the private key never leaves the peer. */
  readonly publicKey: string;
  /** The peer's tunnel address inside the VPN range, e.g. `10.100.0.10` (or with `/32`). */
  readonly address: string;
}

/** The server side of the tunnel, as the renderers need it. */
export interface WireGuardServerSettings {
  /** The VPN range, e.g. `10.100.0.0/24`. */
  readonly vpnCidr: string;
  /** The server's tunnel address, e.g. `10.100.0.1`. */
  readonly serverAddress: string;
  readonly listenPort: number;
  readonly peers: readonly WireGuardPeer[];
}

/** The fields of a peer entry, as {@link checkPeers} reads them. */
export const WIREGUARD_PEER_FIELDS: readonly string[] = ["name", "publicKey", "address"];

const PEER_ENTRY: EntryKind = {
  noun: "a WireGuard peer",
  known: WIREGUARD_PEER_FIELDS,
  privateKey:
    "a private key must never be in config: each peer keeps its own private key on its own device, and the server needs only the peer's publicKey (from `wg pubkey`); remove this field",
  password: "a password must never be in config, and WireGuard uses none (each peer proves itself with its key pair): remove this field",
};

const PEER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** The peer address without a `/32` suffix, or undefined when it is not an IPv4 host address. */
export function peerHost(address: string): string | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/32)?$/.exec(address);
  if (m === null || m[1] === undefined) return undefined;
  try {
    return formatAddress(4, parseCidr(`${m[1]}/32`).network) === m[1] ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Problems with the peer list: names, keys and addresses, each duplicate named once, and
 * every field the code does not read (a private key among them is named, never shown).
 * `key` is how the caller's user writes the list, e.g. `vpn.peers` or `pfv5:vpnPeers`.
 */
export function checkPeers(key: string, peers: unknown, vpnCidr: string, serverAddress: string): Problem[] {
  if (!Array.isArray(peers)) {
    return [{ key, value: peers, message: 'expected a list of peers such as [{ name: "alice", publicKey: "...", address: "10.100.0.10" }]' }];
  }
  const problems: Problem[] = [];
  const range = parseCidr(vpnCidr);
  const network = formatAddress(4, range.network);
  const broadcast = formatAddress(4, lastAddress(range));
  const seen = { name: new Map<string, number>(), publicKey: new Map<string, number>(), address: new Map<string, number>() };
  const duplicate = (field: keyof typeof seen, value: string, i: number): void => {
    const first = seen[field].get(value);
    if (first === undefined) seen[field].set(value, i);
    else problems.push({ key: `${key}[${i}].${field}`, value, message: `is already used by ${key}[${first}]: each peer needs its own ${field}` });
  };
  peers.forEach((raw: unknown, i) => {
    const at = `${key}[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push({ key: at, value: raw, message: "expected an object with name, publicKey and address" });
      return;
    }
    const p = raw as Record<string, unknown>;
    problems.push(...unknownFields(at, p, PEER_ENTRY));
    if (typeof p["name"] !== "string" || !PEER_NAME.test(p["name"])) {
      problems.push({ key: `${at}.name`, value: p["name"], message: "expected a name of letters, digits, '.', '_' or '-' (at most 63), starting with a letter or digit" });
    } else duplicate("name", p["name"], i);
    const pk = p["publicKey"];
    if (!isWireGuardKey(pk)) {
      problems.push({ key: `${at}.publicKey`, value: pk, message: "is not a WireGuard public key: expected base64 of 32 bytes (44 characters ending in '='), as printed by `wg pubkey`" });
    } else if (Buffer.from(pk, "base64").every((b) => b === 0)) {
      problems.push({ key: `${at}.publicKey`, value: pk, message: "is the all-zero key, which no peer can hold: paste the peer's real public key" });
    } else duplicate("publicKey", pk, i);
    const addr = p["address"];
    const host = typeof addr === "string" ? peerHost(addr) : undefined;
    if (host === undefined) {
      problems.push({ key: `${at}.address`, value: addr, message: "expected one IPv4 address such as 10.100.0.10 (optionally written 10.100.0.10/32)" });
    } else if (!addressInCidr(host, range)) {
      problems.push({ key: `${at}.address`, value: addr, message: `lies outside the VPN range ${range.text}: pick an address inside it` });
    } else if (host === network || host === broadcast) {
      problems.push({ key: `${at}.address`, value: addr, message: `is the ${host === network ? "network" : "broadcast"} address of ${range.text}: pick a host address` });
    } else if (host === serverAddress) {
      problems.push({ key: `${at}.address`, value: addr, message: `is the server's own tunnel address: pick another address in ${range.text}` });
    } else duplicate("address", host, i);
  });
  return problems;
}

/**
 * Problems with the server settings themselves (range, server address, port). `prefix`
 * is prepended to each key, e.g. `vpn.` gives `vpn.vpnCidr`.
 */
export function checkServerSettings(prefix: string, vpnCidr: unknown, serverAddress: unknown, listenPort: unknown): Problem[] {
  const problems: Problem[] = [];
  let range: ReturnType<typeof parseCidr> | undefined;
  try {
    range = typeof vpnCidr === "string" ? parseCidr(vpnCidr) : undefined;
  } catch {
    range = undefined;
  }
  if (range === undefined || range.version !== 4 || range.prefix > 30) {
    problems.push({ key: `${prefix}vpnCidr`, value: vpnCidr, message: "expected an IPv4 block of at least four addresses, e.g. 10.100.0.0/24" });
    range = undefined;
  }
  const host = typeof serverAddress === "string" ? peerHost(serverAddress) : undefined;
  if (host === undefined) {
    problems.push({ key: `${prefix}serverAddress`, value: serverAddress, message: "expected one IPv4 address such as 10.100.0.1" });
  } else if (range !== undefined && (!addressInCidr(host, range) || host === formatAddress(4, range.network) || host === formatAddress(4, lastAddress(range)))) {
    problems.push({ key: `${prefix}serverAddress`, value: serverAddress, message: `must be a host address inside ${range.text}` });
  }
  if (typeof listenPort !== "number" || !Number.isInteger(listenPort) || listenPort < 1 || listenPort > 65535) {
    problems.push({ key: `${prefix}listenPort`, value: listenPort, message: "expected a UDP port from 1 to 65535" });
  }
  return problems;
}

/**
 * The server's wg-quick file. It carries the private key: the caller keeps the result
 * secret. There is no SaveConfig, so the file stays exactly as rendered.
 */
export function renderServerConfig(settings: WireGuardServerSettings, privateKey: string): string {
  const prefix = parseCidr(settings.vpnCidr).prefix;
  const lines = [
    "# Managed by pfv5: rendered at deploy time; changes here are overwritten.",
    "[Interface]",
    `Address = ${settings.serverAddress}/${prefix}`,
    `ListenPort = ${settings.listenPort}`,
    `PrivateKey = ${privateKey}`,
  ];
  for (const peer of settings.peers) {
    lines.push("", `# ${peer.name}`, "[Peer]", `PublicKey = ${peer.publicKey}`, `AllowedIPs = ${peerHost(peer.address) ?? peer.address}/32`);
  }
  return `${lines.join("\n")}\n`;
}

/** What a client needs besides its own entry. */
export interface ClientSettings {
  readonly serverPublicKey: string;
  /** Host name or address the client dials, without the port. */
  readonly endpoint: string;
  readonly listenPort: number;
  /** Blocks routed through the tunnel (the VPC), not 0.0.0.0/0. */
  readonly allowedIps: readonly string[];
  readonly dns: readonly string[];
  readonly persistentKeepalive: number;
}

/**
 * A peer's wg-quick file. The peer's private key is known only to the peer, so the file
 * carries a marked line to replace unless `privateKey` is given (tests and peers whose
 * keys the operator holds).
 */
export function renderClientConfig(peer: WireGuardPeer, client: ClientSettings, privateKey?: string): string {
  const endpointHost = client.endpoint.includes(":") && !client.endpoint.startsWith("[") ? `[${client.endpoint}]` : client.endpoint;
  const lines = [
    `# WireGuard client "${peer.name}" for the pfv5 VPN.`,
    "[Interface]",
    `Address = ${peerHost(peer.address) ?? peer.address}/32`,
    privateKey === undefined
      ? `PrivateKey = <the private key of "${peer.name}", whose public key is ${peer.publicKey}>`
      : `PrivateKey = ${privateKey}`,
  ];
  if (client.dns.length > 0) lines.push(`DNS = ${client.dns.join(", ")}`);
  lines.push(
    "",
    "[Peer]",
    `PublicKey = ${client.serverPublicKey}`,
    `Endpoint = ${endpointHost}:${client.listenPort}`,
    `AllowedIPs = ${client.allowedIps.join(", ")}`,
    `PersistentKeepalive = ${client.persistentKeepalive}`,
  );
  return `${lines.join("\n")}\n`;
}
