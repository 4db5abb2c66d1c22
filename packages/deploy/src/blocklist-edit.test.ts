import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { addBlockedCidr, blockNote, readBlocklist, removeBlockedCidr, BlocklistEditError } from "./blocklist-edit";

const STACK_FILE = `# AWS production: three zones.
config:
  pfv5:cloud: aws
  pfv5:environment: prod # protected
  # Offices that may reach the bastion.
  pfv5:sshAllowedCidrs:
    - 203.0.113.0/24
    - 198.51.100.0/28
  pfv5:tags:
    owner: platform
`;

/** The `config:` map of a stack file's text. */
function configOf(text: string): Record<string, unknown> {
  return (parse(text) as { config: Record<string, unknown> }).config;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");
const SHIPPED = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).sort();

/** A long plain line that YAML printers fold at 80 columns unless told not to. */
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIED56vxYhBNGIHlxhMthEN+dbBxeYIotO65AAnL+8sFY alice@example.com";

describe("blocklist edits of the stack file", () => {
  const note = blockNote("ssh brute force", new Date("2025-03-01T12:34:56.789Z"));

  it("writes the note as the time and the reason", () => {
    assert.equal(note, "2025-03-01T12:34:56Z ssh brute force");
  });

  it("adds the first entry as a YAML list, keeping every comment and key order", () => {
    const r = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note);
    assert.equal(r.changed, true);
    assert.equal(r.text, `${STACK_FILE}  pfv5:blockedCidrs:\n    - 192.0.2.0/24 # 2025-03-01T12:34:56Z ssh brute force\n`);
    assert.deepEqual(configOf(r.text)["pfv5:blockedCidrs"], ["192.0.2.0/24"]);
  });

  it("appends to an existing list and reads the notes back", () => {
    const once = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text;
    const twice = addBlockedCidr(once, "2001:db8::/32", "2025-03-02T00:00:00Z scanner").text;
    assert.deepEqual(readBlocklist(twice), [
      { cidr: "192.0.2.0/24", note: "2025-03-01T12:34:56Z ssh brute force" },
      { cidr: "2001:db8::/32", note: "2025-03-02T00:00:00Z scanner" },
    ]);
  });

  it("leaves the file alone for a block already listed or inside a listed block", () => {
    const once = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text;
    const same = addBlockedCidr(once, "192.0.2.0/24", "again");
    assert.deepEqual([same.changed, same.text === once, same.message], [false, true, "192.0.2.0/24 is already blocked (pfv5:blockedCidrs[0])"]);
    const inner = addBlockedCidr(once, "192.0.2.128/25", "again");
    assert.deepEqual([inner.changed, inner.message], [false, "192.0.2.128/25 is already inside the blocked 192.0.2.0/24 (pfv5:blockedCidrs[0])"]);
  });

  it("turns a list stored as JSON text (pulumi config set) into a YAML list", () => {
    const text = "config:\n  pfv5:cloud: aws\n  pfv5:blockedCidrs: '[\"192.0.2.0/24\"]'\n";
    const r = addBlockedCidr(text, "198.18.0.0/15", "load test gone wrong");
    assert.deepEqual(configOf(r.text)["pfv5:blockedCidrs"], ["192.0.2.0/24", "198.18.0.0/15"]);
  });

  it("creates the config map when the file has none", () => {
    const r = addBlockedCidr("# empty stack\n", "192.0.2.0/24", "x");
    assert.deepEqual(parse(r.text), { config: { "pfv5:blockedCidrs": ["192.0.2.0/24"] } });
  });

  it("removes an entry by any spelling of the same block, keeping the others and their notes", () => {
    const two = addBlockedCidr(addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text, "2001:db8::/32", "scanner").text;
    const r = removeBlockedCidr(two, "2001:0db8:0000::/32");
    assert.deepEqual([r.changed, r.message], [true, "removed 2001:db8::/32 from pfv5:blockedCidrs (was: scanner)"]);
    assert.deepEqual(readBlocklist(r.text), [{ cidr: "192.0.2.0/24", note: "2025-03-01T12:34:56Z ssh brute force" }]);
    assert.equal(r.text.startsWith(STACK_FILE), true);
  });

  it("refuses to remove a block that is not listed, naming what is", () => {
    const once = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text;
    assert.throws(() => removeBlockedCidr(once, "198.51.100.0/24", "Pulumi.aws-prod.yaml"), {
      name: "BlocklistEditError",
      message: '"198.51.100.0/24" is not in pfv5:blockedCidrs of Pulumi.aws-prod.yaml: the blocked CIDRs are 192.0.2.0/24',
    });
    assert.throws(() => removeBlockedCidr(STACK_FILE, "192.0.2.0/24"), /nothing is blocked/);
  });

  it("refuses to edit a secret or malformed blocklist rather than overwrite it", () => {
    const secret = "config:\n  pfv5:blockedCidrs:\n    secure: AAABAJ==\n";
    assert.throws(() => addBlockedCidr(secret, "192.0.2.0/24", "x", "Pulumi.aws-dev.yaml"), BlocklistEditError);
    assert.throws(() => addBlockedCidr("config: [", "192.0.2.0/24", "x"), /is not valid YAML/);
  });

  it("removes the key with the last entry instead of leaving an empty list", () => {
    const once = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text;
    const r = removeBlockedCidr(once, "192.0.2.0/24");
    assert.equal(r.text, STACK_FILE);
    assert.equal("pfv5:blockedCidrs" in configOf(r.text), false);
  });

  it("removes only the entry's own line from the middle of the list", () => {
    const three = ["192.0.2.0/24", "198.18.0.0/15", "100.64.1.0/24"].reduce((t, c) => addBlockedCidr(t, c, `n ${c}`).text, STACK_FILE);
    const r = removeBlockedCidr(three, "198.18.0.0/15");
    assert.equal(r.text, three.replace("    - 198.18.0.0/15 # n 198.18.0.0/15\n", ""));
  });

  it("keeps the list's own indentation when it appends", () => {
    const text = "config:\n  pfv5:cloud: aws\n  pfv5:blockedCidrs:\n  - 192.0.2.0/24   # hand-written\n  pfv5:tags:\n    owner: platform\n";
    const r = addBlockedCidr(text, "198.18.0.0/15", "scan");
    assert.equal(r.text, "config:\n  pfv5:cloud: aws\n  pfv5:blockedCidrs:\n  - 192.0.2.0/24   # hand-written\n  - 198.18.0.0/15 # scan\n  pfv5:tags:\n    owner: platform\n");
    assert.equal(removeBlockedCidr(r.text, "198.18.0.0/15").text, text);
  });

  for (const file of SHIPPED) {
    it(`leaves ${file} byte-identical after a block and its unblock, changing only the added lines in between`, () => {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      const once = addBlockedCidr(text, "192.0.2.0/24", note, file);
      const twice = addBlockedCidr(once.text, "198.51.100.64/26", "scanner", file);
      assert.equal(twice.text, `${text}  pfv5:blockedCidrs:\n    - 192.0.2.0/24 # 2025-03-01T12:34:56Z ssh brute force\n    - 198.51.100.64/26 # scanner\n`);
      const back = removeBlockedCidr(removeBlockedCidr(twice.text, "192.0.2.0/24", file).text, "198.51.100.64/26", file);
      assert.equal(back.text, text);
    });
  }

  it("does not fold long lines when it has to rewrite a list stored as JSON text", () => {
    const text = `config:\n  pfv5:cloud: aws\n  pfv5:blockedCidrs: '["192.0.2.0/24"]'\n  pfv5:adminUsers:\n    - name: alice\n      publicKeys:\n        - ${SSH_KEY}\n`;
    const added = addBlockedCidr(text, "198.18.0.0/15", "load test");
    assert.equal(added.text.includes(`        - ${SSH_KEY}\n`), true, added.text);
    const removed = removeBlockedCidr(removeBlockedCidr(added.text, "198.18.0.0/15").text, "192.0.2.0/24");
    assert.equal(removed.text, `config:\n  pfv5:cloud: aws\n  pfv5:adminUsers:\n    - name: alice\n      publicKeys:\n        - ${SSH_KEY}\n`);
  });

  it("says that text given to unblock is not a CIDR, listing what is blocked", () => {
    const once = addBlockedCidr(STACK_FILE, "192.0.2.0/24", note).text;
    assert.throws(() => removeBlockedCidr(once, "garbage", "Pulumi.aws-prod.yaml"), {
      name: "BlocklistEditError",
      message: '"garbage" is not a CIDR block (the prefix length is missing (write e.g. 10.0.1.0/24, or /32 for one address)): give a block listed in pfv5:blockedCidrs of Pulumi.aws-prod.yaml; the blocked CIDRs are 192.0.2.0/24',
    });
  });

  it("still removes an entry written badly by hand, by its exact text", () => {
    const text = "config:\n  pfv5:blockedCidrs:\n    - 192.0.2.5\n    - 198.18.0.0/15\n";
    assert.equal(removeBlockedCidr(text, "192.0.2.5").text, "config:\n  pfv5:blockedCidrs:\n    - 198.18.0.0/15\n");
  });
});
