import { strict as assert } from "node:assert";
import { ecdsaPublicKey, ed25519PublicKey, rsaPublicKey } from "./fixtures.test";
import { formatSshPublicKey, parseSshPublicKey } from "./ssh-keys";

describe("OpenSSH public key parsing", () => {
  it("accepts Ed25519, ECDSA P-256 and 3072-bit RSA keys and keeps the comment", () => {
    const ed = ed25519PublicKey("alice@laptop");
    assert.deepEqual(parseSshPublicKey(ed), { type: "ssh-ed25519", blob: ed.split(" ")[1], comment: "alice@laptop" });
    assert.equal(parseSshPublicKey(ecdsaPublicKey()).type, "ecdsa-sha2-nistp256");
    assert.equal(parseSshPublicKey(rsaPublicKey(3072)).type, "ssh-rsa");
  });

  it("formats a parsed key back to the same line, without stray whitespace", () => {
    const ed = ed25519PublicKey("bob@desk");
    assert.equal(formatSshPublicKey(parseSshPublicKey(`  ${ed.replace(" ", "   ")}  `)), ed);
  });

  it("refuses an RSA key shorter than 2048 bits and says how long it is", () => {
    assert.throws(() => parseSshPublicKey(rsaPublicKey(1024)), /the RSA key has 1024 bits; use at least 2048/);
  });

  it("refuses DSA keys, certificates, options and unknown types", () => {
    assert.throws(() => parseSshPublicKey("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), /DSA keys are disabled/);
    assert.throws(() => parseSshPublicKey("ssh-ed25519-cert-v01@openssh.com AAAA"), /certificates are not authorized keys/);
    assert.throws(() => parseSshPublicKey(`command="/bin/true" ${ed25519PublicKey()}`), /is not a supported key type \(options such as command= are not accepted either\)/);
  });

  it("refuses a private key pasted by mistake", () => {
    assert.throws(() => parseSshPublicKey("-----BEGIN OPENSSH PRIVATE KEY-----"), /this is a private key/);
  });

  it("calls a whole pasted private key file a private key and asks for the .pub line, not for one key per line", () => {
    const pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
    const ppk = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: erin\n";
    for (const pasted of [pem, ppk]) {
      assert.throws(
        () => parseSshPublicKey(pasted),
        (e: Error) => {
          assert.match(e.message, /^this is a private key, which must never leave its owner's machine or sit in config: paste the one line of the matching \.pub file instead/);
          assert.doesNotMatch(e.message, /own list entry/);
          return true;
        },
      );
    }
  });

  it("refuses a truncated key, bad base64, a type that does not match its data, and two lines", () => {
    const [type, data] = ed25519PublicKey().split(" ") as [string, string];
    assert.throws(() => parseSshPublicKey(`${type} ${data.slice(0, 40)}`), /ends early|not valid base64/);
    assert.throws(() => parseSshPublicKey(`${type} ${data.slice(0, -4)}@@@@`), /not valid base64/);
    assert.throws(() => parseSshPublicKey(`ecdsa-sha2-nistp256 ${data}`), /the key data says "ssh-ed25519" but the line says "ecdsa-sha2-nistp256"/);
    assert.throws(() => parseSshPublicKey(`${ed25519PublicKey()}\n${ed25519PublicKey()}`), /a key is one line/);
    assert.throws(() => parseSshPublicKey("ssh-ed25519"), /expected "TYPE BASE64 \[comment\]"/);
  });
});
