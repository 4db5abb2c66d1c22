import { strict as assert } from "node:assert";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as fc from "fast-check";
import { clampPrivateKey, isWireGuardKey, publicKeyOf } from "./wireguard-keys";

describe("WireGuard keys", () => {
  it("derives the same public key node:crypto generates for an X25519 pair", () => {
    for (let i = 0; i < 5; i += 1) {
      const pair = generateKeyPairSync("x25519");
      const d = Buffer.from(pair.privateKey.export({ format: "jwk" }).d ?? "", "base64url").toString("base64");
      const x = Buffer.from(pair.publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("base64");
      assert.equal(publicKeyOf(d), x);
    }
  });

  it("clamps random bytes as wg genkey does: low three bits clear, top bit clear, bit 254 set", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const k = Buffer.from(clampPrivateKey(Buffer.from(bytes).toString("base64")), "base64");
        return k.length === 32 && ((k[0] ?? 1) & 7) === 0 && ((k[31] ?? 0) & 0xc0) === 0x40 && k.subarray(1, 31).equals(Buffer.from(bytes).subarray(1, 31));
      }),
    );
  });

  it("gives a clamped key the same public key as the unclamped bytes (X25519 clamps internally)", () => {
    const raw = randomBytes(32).toString("base64");
    assert.equal(publicKeyOf(clampPrivateKey(raw)), publicKeyOf(raw));
  });

  it("recognises base64 of exactly 32 bytes and nothing else", () => {
    assert.equal(isWireGuardKey(randomBytes(32).toString("base64")), true);
    assert.equal(isWireGuardKey(randomBytes(31).toString("base64")), false);
    assert.equal(isWireGuardKey(randomBytes(33).toString("base64")), false);
    assert.equal(isWireGuardKey(`${randomBytes(32).toString("base64").slice(0, 42)}B=`), false);
    assert.equal(isWireGuardKey(42), false);
  });

  it("refuses to derive from text that is not a key, naming what it expected", () => {
    assert.throws(() => publicKeyOf("not-a-key"), /the private key is not a WireGuard key \(base64 of 32 bytes/);
  });
});
