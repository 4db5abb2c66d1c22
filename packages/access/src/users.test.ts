import { strict as assert } from "node:assert";
import { ed25519PublicKey } from "./fixtures.test";
import { checkUsers } from "./users";

const erinKey = ed25519PublicKey("erin@laptop");
const pastedPrivateKey = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
  "QyNTUxOQAAACDsAGXL6rGmWjUNmsdLNMAUqOM0T0fV8TZQ6Mx7uQjJHQAAAJgAAAAAAAAA",
  "-----END OPENSSH PRIVATE KEY-----",
  "",
].join("\n");

describe("admin user validation", () => {
  it("accepts a user with a name, keys and sudo", () => {
    assert.deepEqual(checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [erinKey], sudo: true }], true), []);
  });

  it("names every field it does not read, suggests the one meant and lists the known fields", () => {
    const problems = checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [erinKey], sudoo: true, shell: "/bin/zsh" }], true);
    assert.deepEqual(problems, [
      {
        key: "pfv5:adminUsers[0].sudoo",
        value: true,
        message: 'is not a field of an admin user, so it would be ignored: did you mean "sudo"? The known fields are name, publicKeys, sudo',
      },
      {
        key: "pfv5:adminUsers[0].shell",
        value: "/bin/zsh",
        message: "is not a field of an admin user, so it would be ignored: remove it; the known fields are name, publicKeys, sudo",
      },
    ]);
  });

  it("refuses a password as a secret that must never be in config, without showing it", () => {
    const problems = checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [erinKey], password: "hunter2" }], true);
    assert.deepEqual(problems, [
      {
        key: "pfv5:adminUsers[0].password",
        value: "<not shown>",
        message: "a password must never be in config: passwords are locked on these hosts and keys are the only way in, so it would only leak; remove this field",
      },
    ]);
    assert.ok(!JSON.stringify(problems).includes("hunter2"));
  });

  it("refuses a private key field without showing it, and points at the public half", () => {
    const problems = checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [erinKey], privateKey: pastedPrivateKey }], true);
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [["pfv5:adminUsers[0].privateKey", "<not shown>"]]);
    assert.match(problems[0]?.message ?? "", /^a private key must never be in config: .* list the \.pub file's line in publicKeys$/);
    assert.ok(!JSON.stringify(problems).includes("b3BlbnNzaC1rZXktdjEA"));
  });

  it("hides a key-like value under any unknown field name", () => {
    const problems = checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [erinKey], key: pastedPrivateKey }], true);
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [["pfv5:adminUsers[0].key", "<not shown>"]]);
  });

  it("tells the owner of a pasted multi-line private key to paste the .pub line instead", () => {
    const problems = checkUsers("pfv5:adminUsers", [{ name: "erin", publicKeys: [pastedPrivateKey] }], true);
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [["pfv5:adminUsers[0].publicKeys[0]", "<private key, not shown>"]]);
    assert.match(problems[0]?.message ?? "", /^this is a private key, .*: paste the one line of the matching \.pub file instead/);
    assert.doesNotMatch(problems[0]?.message ?? "", /one line;|own list entry/);
  });

  it("reports every unknown field of every entry together with the other problems", () => {
    const problems = checkUsers("users", [{ name: "Erin", publicKey: erinKey }, { name: "fred", publicKeys: [erinKey], passwd: "x" }], true);
    assert.deepEqual(problems.map((p) => p.key), ["users[0].publicKey", "users[0].name", "users[0].publicKeys", "users[1].passwd"]);
    assert.match(problems[0]?.message ?? "", /did you mean "publicKeys"\?/);
    assert.equal(problems[3]?.value, "<not shown>");
  });
});
