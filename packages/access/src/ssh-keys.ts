/**
 * OpenSSH public keys as written in authorized_keys: `type base64-blob [comment]`. The blob
 * is decoded and its structure checked, so a truncated paste or a private key never
 * reaches a host.
 */

/** Key types accepted on the hosts. DSA is gone from OpenSSH; certificates belong in TrustedUserCAKeys. */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "sk-ssh-ed25519@openssh.com",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-rsa",
] as const;

export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

/** RSA keys shorter than this are refused. @default 2048 */
export const MIN_RSA_BITS = 2048;

/** A parsed public key: its type, the blob as base64, the comment if any. */
export interface SshPublicKey {
  readonly type: SshKeyType;
  readonly blob: string;
  readonly comment?: string;
}

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  bytes(): Buffer {
    if (this.offset + 4 > this.buf.length) throw new Error("the key data ends early (truncated paste?)");
    const len = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    if (this.offset + len > this.buf.length) throw new Error("the key data ends early (truncated paste?)");
    const out = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return out;
  }

  text(): string {
    return this.bytes().toString("latin1");
  }

  done(): void {
    if (this.offset !== this.buf.length) throw new Error("the key data has trailing bytes (two keys pasted together?)");
  }
}

const CURVES: Record<string, { name: string; pointLength: number }> = {
  "ecdsa-sha2-nistp256": { name: "nistp256", pointLength: 65 },
  "ecdsa-sha2-nistp384": { name: "nistp384", pointLength: 97 },
  "ecdsa-sha2-nistp521": { name: "nistp521", pointLength: 133 },
  "sk-ecdsa-sha2-nistp256@openssh.com": { name: "nistp256", pointLength: 65 },
};

function bitLength(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i += 1;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + (32 - Math.clz32(mpint[i] ?? 0));
}

function checkBlob(type: SshKeyType, blob: Buffer): void {
  const r = new Reader(blob);
  const inner = r.text();
  if (inner !== type) throw new Error(`the key data says "${inner}" but the line says "${type}"`);
  if (type === "ssh-ed25519" || type === "sk-ssh-ed25519@openssh.com") {
    if (r.bytes().length !== 32) throw new Error("an Ed25519 key holds 32 bytes");
  } else if (type === "ssh-rsa") {
    r.bytes();
    const bits = bitLength(r.bytes());
    if (bits < MIN_RSA_BITS) throw new Error(`the RSA key has ${bits} bits; use at least ${MIN_RSA_BITS}, or better an Ed25519 key (ssh-keygen -t ed25519)`);
  } else {
    const curve = CURVES[type];
    if (curve === undefined) throw new Error(`unsupported key type ${type}`);
    if (r.text() !== curve.name) throw new Error(`the curve is not ${curve.name}`);
    const point = r.bytes();
    if (point.length !== curve.pointLength || point[0] !== 4) throw new Error("the curve point is malformed");
  }
  if (type.startsWith("sk-")) r.text();
  r.done();
}

/**
 * Whether the text is a private key as ssh-keygen, OpenSSL or PuTTY writes it (PEM armour
 * such as `-----BEGIN OPENSSH PRIVATE KEY-----`, or a PuTTY .ppk file).
 */
export function looksLikePrivateKey(text: string): boolean {
  return text.includes("PRIVATE KEY") || /^\s*PuTTY-User-Key-File-\d+:/m.test(text);
}

/**
 * Parses one authorized_keys line without options. Throws an Error whose message says
 * what is wrong and how to fix it.
 */
export function parseSshPublicKey(line: string): SshPublicKey {
  // Before the line check: a pasted private key spans many lines, and "one line" would
  // send its owner looking for the wrong fix.
  if (looksLikePrivateKey(line)) {
    throw new Error(
      "this is a private key, which must never leave its owner's machine or sit in config: paste the one line of the matching .pub file instead (e.g. ~/.ssh/id_ed25519.pub, or `ssh-keygen -y -f KEYFILE` prints it)",
    );
  }
  if (/[\r\n]/.test(line)) throw new Error("a key is one line; pass each key as its own list entry");
  const parts = line.trim().split(/\s+/);
  const [type, data, ...rest] = parts;
  if (type === undefined || type === "" || data === undefined) {
    throw new Error('expected "TYPE BASE64 [comment]", e.g. the content of ~/.ssh/id_ed25519.pub');
  }
  if (type === "ssh-dss") throw new Error("DSA keys are disabled in OpenSSH; generate an Ed25519 key (ssh-keygen -t ed25519)");
  if (type.includes("-cert-v01@openssh.com")) throw new Error("certificates are not authorized keys; list the plain public key");
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    throw new Error(`"${type}" is not a supported key type (options such as command= are not accepted either); use one of ${SSH_KEY_TYPES.join(", ")}`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) throw new Error("the key data is not valid base64");
  checkBlob(type as SshKeyType, Buffer.from(data, "base64"));
  const comment = rest.join(" ");
  return { type: type as SshKeyType, blob: data, ...(comment !== "" ? { comment } : {}) };
}

/** The key as one canonical authorized_keys line. */
export function formatSshPublicKey(key: SshPublicKey): string {
  return key.comment === undefined ? `${key.type} ${key.blob}` : `${key.type} ${key.blob} ${key.comment}`;
}
