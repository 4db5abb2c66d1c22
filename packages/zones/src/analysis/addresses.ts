/**
 * Address sets of both families, the address ranges rules name, and the public address
 * space (what "the internet" is for the zone matrix).
 */
import { formatAddress, NON_PUBLIC_RANGES, parseCidr, type Cidr, type IpVersion } from "../cidr";
import {
  coversBig,
  cutBig,
  intersectBig,
  normalizeBig,
  overlapsBig,
  subtractBig,
  unionBig,
  type BigSpan,
} from "./intervals";

/** A set of addresses: sorted, merged ranges per family. */
export interface AddressSet {
  readonly v4: readonly BigSpan[];
  readonly v6: readonly BigSpan[];
}

export const FAMILIES: readonly IpVersion[] = [4, 6];
const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

export const NO_ADDRESSES: AddressSet = { v4: [], v6: [] };
/** Every address of both families (AWS `0.0.0.0/0` plus `::/0`, Azure `*`). */
export const ALL_ADDRESSES: AddressSet = {
  v4: [{ from: 0n, to: (1n << 32n) - 1n }],
  v6: [{ from: 0n, to: (1n << 128n) - 1n }],
};

export function addressFamily(set: AddressSet, version: IpVersion): readonly BigSpan[] {
  return version === 4 ? set.v4 : set.v6;
}

export function addressSet(version: IpVersion, spans: readonly BigSpan[]): AddressSet {
  return version === 4 ? { v4: normalizeBig(spans), v6: [] } : { v4: [], v6: normalizeBig(spans) };
}

export function cidrSpan(c: Cidr): BigSpan {
  const size = 1n << BigInt(BITS[c.version] - c.prefix);
  return { from: c.network, to: c.network + size - 1n };
}

/**
 * Parses a CIDR block or a single address (`203.0.113.7` is a /32), masking host bits
 * (`10.0.1.5/24` is `10.0.1.0/24`): the clouds accept either and rules match the block.
 * `undefined` when the text is not an address.
 */
export function parseBlock(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const bits = address.includes(":") ? 128 : 32;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  let host: Cidr;
  try {
    host = parseCidr(`${address}/${bits}`);
  } catch {
    return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  const network = (host.network >> hostBits) << hostBits;
  return { version: host.version, network, prefix, text: `${formatAddress(host.version, network)}/${prefix}` };
}

/** The addresses of CIDR blocks or single addresses; throws on text that is neither. */
export function addressesOf(texts: readonly string[]): AddressSet {
  const v4: BigSpan[] = [];
  const v6: BigSpan[] = [];
  for (const t of texts) {
    const c = parseBlock(t);
    if (c === undefined) throw new Error(`"${t}" is not an IPv4 or IPv6 address or CIDR block`);
    (c.version === 4 ? v4 : v6).push(cidrSpan(c));
  }
  return { v4: normalizeBig(v4), v6: normalizeBig(v6) };
}

export function unionAddresses(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: unionBig(a.v4, b.v4), v6: unionBig(a.v6, b.v6) };
}

export function intersectAddresses(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: intersectBig(a.v4, b.v4), v6: intersectBig(a.v6, b.v6) };
}

export function subtractAddresses(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: subtractBig(a.v4, b.v4), v6: subtractBig(a.v6, b.v6) };
}

export function isEmptySet(a: AddressSet): boolean {
  return a.v4.length === 0 && a.v6.length === 0;
}

/** Whether `set` shares an address with the range `r` of family `version`. */
export function overlapsRange(set: AddressSet, version: IpVersion, r: BigSpan): boolean {
  return overlapsBig(addressFamily(set, version), r);
}

/** Whether `set` holds every address of the range `r` of family `version`. */
export function coversRange(set: AddressSet, version: IpVersion, r: BigSpan): boolean {
  return coversBig(addressFamily(set, version), r);
}

export function addressesOverlap(a: AddressSet, b: AddressSet): boolean {
  return intersectBig(a.v4, b.v4).length > 0 || intersectBig(a.v6, b.v6).length > 0;
}

/** Cuts `q` so that every range of `cuts` holds each piece whole or misses it. */
export function cutRanges(q: readonly BigSpan[], cuts: readonly BigSpan[]): BigSpan[] {
  return cutBig(q, cuts);
}

/**
 * The public address space: every address outside the ranges that are never routed on
 * the internet (private, shared, loopback, link-local; see `NON_PUBLIC_RANGES`).
 */
export const PUBLIC_ADDRESSES: AddressSet = subtractAddresses(ALL_ADDRESSES, addressesOf(NON_PUBLIC_RANGES));

/** One address as text (`10.0.1.0`), or a range as `first-last`. */
export function formatRange(version: IpVersion, r: BigSpan): string {
  return r.from === r.to ? formatAddress(version, r.from) : `${formatAddress(version, r.from)}-${formatAddress(version, r.to)}`;
}

/** A short form for messages: up to three ranges, then a count. */
export function formatSet(set: AddressSet): string {
  const parts = [...set.v4.map((r) => formatRange(4, r)), ...set.v6.map((r) => formatRange(6, r))];
  if (parts.length === 0) return "no address";
  return parts.length <= 3 ? parts.join(", ") : `${parts.slice(0, 3).join(", ")} and ${parts.length - 3} more ranges`;
}

/** The first address of a set, for a representative packet in explanations. */
export function firstAddress(set: AddressSet): { version: IpVersion; value: bigint } | undefined {
  const r4 = set.v4[0];
  if (r4 !== undefined) return { version: 4, value: r4.from };
  const r6 = set.v6[0];
  return r6 !== undefined ? { version: 6, value: r6.from } : undefined;
}
