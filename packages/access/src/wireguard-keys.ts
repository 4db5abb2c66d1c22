/**
 * WireGuard keys are X25519 keys written as base64 of 32 bytes. The server key is made
 * from 32 random bytes kept in Pulumi state (as a secret), clamped the way `wg genkey`
 * clamps, and its public key derived here with node:crypto, so no key is generated on
 * the host and client configurations can be built before the host exists.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";

const KEY_BYTES = 32;

// DER prefixes of an X25519 private key (PKCS#8) and public key (SPKI); the raw 32 bytes follow.
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519_PREFIX_LENGTH = 12;

/** Whether the text is base64 of exactly 32 bytes (the form of every WireGuard key). */
export function isWireGuardKey(value: unknown): value is string {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)) return false;
  return Buffer.from(value, "base64").length === KEY_BYTES;
}

function decode(value: string, what: string): Buffer {
  if (!isWireGuardKey(value)) throw new Error(`${what} is not a WireGuard key (base64 of 32 bytes, as printed by wg genkey or wg pubkey)`);
  return Buffer.from(value, "base64");
}

/**
 * Clamps 32 random bytes into an X25519 private key (RFC 7748: clear the three low bits,
 * clear the top bit, set the second-highest bit), exactly as `wg genkey` prints them.
 */
export function clampPrivateKey(randomBase64: string): string {
  const k = Buffer.from(decode(randomBase64, "the random key material"));
  k[0] = (k[0] ?? 0) & 248;
  k[31] = ((k[31] ?? 0) & 127) | 64;
  return k.toString("base64");
}

/** The public key of a WireGuard private key (what `wg pubkey` prints). */
export function publicKeyOf(privateKey: string): string {
  const raw = decode(privateKey, "the private key");
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return spki.subarray(SPKI_X25519_PREFIX_LENGTH).toString("base64");
}
