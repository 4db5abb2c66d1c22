/**
 * CIDR arithmetic for IPv4 and IPv6 on bigints. Every parser rejects bad input with an
 * error that quotes the value and says what a valid one looks like.
 */
import * as ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;

/** A parsed CIDR block: the first address, the prefix length and the address family. */
export interface Cidr {
  readonly version: IpVersion;
  /** The network address (host bits zero) as an unsigned integer. */
  readonly network: bigint;
  readonly prefix: number;
  /** The canonical text form, e.g. `10.0.1.0/24`. */
  readonly text: string;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Thrown for a malformed address or CIDR; `value` is what was received. */
export class CidrError extends Error {
  constructor(
    readonly value: string,
    detail: string,
  ) {
    super(`"${value}" is not a valid CIDR block: ${detail}`);
    this.name = "CidrError";
  }
}

function addressToBigint(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const byte of addr.toByteArray()) n = (n << 8n) | BigInt(byte);
  return n;
}

/** Formats an address integer of the given family as text. */
export function formatAddress(version: IpVersion, value: bigint): string {
  const bytes: number[] = [];
  const count = BITS[version] / 8;
  for (let i = count - 1; i >= 0; i -= 1) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Parses `a.b.c.d/n` or an IPv6 `x::/n`. Host bits must be zero (`10.0.1.5/24` is an
 * error: say `10.0.1.0/24` or `10.0.1.5/32`), because a block written with host bits set
 * usually means the author meant something else.
 */
export function parseCidr(value: string): Cidr {
  if (typeof value !== "string" || value.trim() !== value || value === "") {
    throw new CidrError(String(value), "expected text such as 10.0.1.0/24");
  }
  const slash = value.indexOf("/");
  if (slash < 0) throw new CidrError(value, "the prefix length is missing (write e.g. 10.0.1.0/24, or /32 for one address)");
  const addrText = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!ipaddr.isValid(addrText)) throw new CidrError(value, `"${addrText}" is not an IPv4 or IPv6 address`);
  const addr = ipaddr.parse(addrText);
  if (addr.kind() === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(addrText)) {
    throw new CidrError(value, "write IPv4 addresses as four decimal parts, e.g. 10.0.1.0");
  }
  const version: IpVersion = addr.kind() === "ipv4" ? 4 : 6;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > BITS[version]) {
    throw new CidrError(value, `the prefix length must be a whole number from 0 to ${BITS[version]}`);
  }
  const prefix = Number(prefixText);
  const network = addressToBigint(addr);
  const hostBits = BigInt(BITS[version] - prefix);
  if (hostBits > 0n && (network & ((1n << hostBits) - 1n)) !== 0n) {
    const base = (network >> hostBits) << hostBits;
    throw new CidrError(
      value,
      `host bits are set; the block is ${formatAddress(version, base)}/${prefix}`,
    );
  }
  return { version, network, prefix, text: `${formatAddress(version, network)}/${prefix}` };
}

/** Whether `value` parses as a CIDR block (see {@link parseCidr}). */
export function isValidCidr(value: string): boolean {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}

function asCidr(c: Cidr | string): Cidr {
  return typeof c === "string" ? parseCidr(c) : c;
}

/** The last address of the block. */
export function lastAddress(c: Cidr | string): bigint {
  const b = asCidr(c);
  return b.network + (1n << BigInt(BITS[b.version] - b.prefix)) - 1n;
}

/** How many addresses the block holds. */
export function size(c: Cidr | string): bigint {
  const b = asCidr(c);
  return 1n << BigInt(BITS[b.version] - b.prefix);
}

/** Whether `outer` contains every address of `inner` (same family only). */
export function cidrContains(outer: Cidr | string, inner: Cidr | string): boolean {
  const o = asCidr(outer);
  const i = asCidr(inner);
  return o.version === i.version && o.prefix <= i.prefix && i.network >= o.network && lastAddress(i) <= lastAddress(o);
}

/** Whether the blocks share at least one address. */
export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  return x.version === y.version && x.network <= lastAddress(y) && y.network <= lastAddress(x);
}

/** Whether one address (as text) lies in the block. */
export function addressInCidr(address: string, cidr: Cidr | string): boolean {
  const c = asCidr(cidr);
  const suffix = c.version === 4 ? "/32" : "/128";
  return cidrContains(c, parseCidr(`${address}${suffix}`));
}

/**
 * Splits `parent` into `count` consecutive blocks of prefix length `newPrefix`, starting at
 * the block with index `offset`.
 */
export function splitCidr(parent: Cidr | string, newPrefix: number, count: number, offset = 0): string[] {
  const p = asCidr(parent);
  const bits = BITS[p.version];
  if (!Number.isInteger(newPrefix) || newPrefix < p.prefix || newPrefix > bits) {
    throw new RangeError(`cannot split ${p.text} into /${newPrefix} blocks: the new prefix must be from ${p.prefix} to ${bits}`);
  }
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`cannot split ${p.text}: count and offset must be whole numbers, got ${count} and ${offset}`);
  }
  const available = 1n << BigInt(newPrefix - p.prefix);
  if (BigInt(offset + count) > available) {
    throw new RangeError(
      `cannot take ${count} /${newPrefix} blocks from ${p.text} at offset ${offset}: it holds only ${available}`,
    );
  }
  const step = 1n << BigInt(bits - newPrefix);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(`${formatAddress(p.version, p.network + step * BigInt(offset + i))}/${newPrefix}`);
  }
  return out;
}

/**
 * Address space that is never routed on the public internet: private, shared, loopback,
 * link-local, documentation-free reserved ranges. A block that contains any address outside
 * these covers public space and counts as "the internet" for zone rules.
 */
export const NON_PUBLIC_RANGES: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
];

const nonPublic = NON_PUBLIC_RANGES.map(parseCidr).sort((a, b) =>
  a.version !== b.version ? a.version - b.version : a.network < b.network ? -1 : a.network > b.network ? 1 : 0,
);

/**
 * Whether the block contains at least one publicly routable address. `0.0.0.0/0`,
 * `0.0.0.0/1`, `128.0.0.0/1`, `203.0.113.0/24` and `::/0` all do; `10.0.0.0/16` does not.
 */
export function coversPublicSpace(c: Cidr | string): boolean {
  const b = asCidr(c);
  let cursor = b.network;
  const end = lastAddress(b);
  // Walk the sorted non-public ranges; any gap between them inside the block is public.
  for (const r of nonPublic) {
    if (r.version !== b.version) continue;
    const rEnd = lastAddress(r);
    if (rEnd < cursor) continue;
    if (r.network > cursor) return true;
    cursor = rEnd + 1n;
    if (cursor > end) return false;
  }
  return cursor <= end;
}
