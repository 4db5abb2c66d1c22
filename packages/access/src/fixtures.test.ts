/**
 * Keys for the specs, made with node:crypto so no test depends on ssh-keygen or wg.
 * (Named *.test.ts so it stays out of the published build; it defines no tests.)
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { clampPrivateKey, publicKeyOf } from "./wireguard-keys";

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function mpint(b64url: string): Buffer {
  const raw = Buffer.from(b64url, "base64url");
  return (raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
}

/** A fresh OpenSSH Ed25519 public key line. */
export function ed25519PublicKey(comment = "alice@laptop"): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const x = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  const blob = Buffer.concat([sshString("ssh-ed25519"), sshString(x)]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`.trim();
}

/** A fresh OpenSSH RSA public key line of the given size. */
export function rsaPublicKey(bits: number): string {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" });
  const blob = Buffer.concat([sshString("ssh-rsa"), sshString(mpint(jwk.e ?? "")), sshString(mpint(jwk.n ?? ""))]);
  return `ssh-rsa ${blob.toString("base64")} rsa@test`;
}

/** A fresh OpenSSH ECDSA P-256 public key line. */
export function ecdsaPublicKey(): string {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? "", "base64url"), Buffer.from(jwk.y ?? "", "base64url")]);
  const blob = Buffer.concat([sshString("ecdsa-sha2-nistp256"), sshString("nistp256"), sshString(point)]);
  return `ecdsa-sha2-nistp256 ${blob.toString("base64")}`;
}

/** A fresh WireGuard key pair. */
export function wireGuardKeyPair(): { privateKey: string; publicKey: string } {
  const privateKey = clampPrivateKey(randomBytes(32).toString("base64"));
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
