import { strict as assert } from "node:assert";
import { formatProblem } from "@pfv5/zones";
import { parse } from "yaml";
import {
  addBlockedCidr,
  blockContext,
  blockNote,
  checkBlock,
  readBlocklist,
  removeBlockedCidr,
  BlocklistEditError,
  type BlockContext,
} from "./blocklist";

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

const ctx: BlockContext = blockContext(configOf(STACK_FILE), "aws");

function problemLines(cidr: string, c: BlockContext = ctx): string[] {
  return checkBlock(cidr, c).map(formatProblem);
}

describe("blocklist validation", () => {
  it("reads the network block, the admin CIDRs and the VPN range from the stack config", () => {
    assert.deepEqual(ctx, {
      networkCidr: "10.0.0.0/16",
      networkCidrSource: "the default AWS address plan",
      adminCidrs: [
        ["pfv5:sshAllowedCidrs[0]", "203.0.113.0/24"],
        ["pfv5:sshAllowedCidrs[1]", "198.51.100.0/28"],
      ],
      vpnCidr: "10.100.0.0/24",
    });
  });

  it("takes the network block from pfv5:addressPlan.cidr, also as JSON text", () => {
    const c = blockContext({ "pfv5:addressPlan": '{"cidr":"172.20.0.0/16"}', "pfv5:sshAllowedCidrs": '["192.0.2.0/24"]' }, "azure");
    assert.deepEqual([c.networkCidr, c.networkCidrSource, c.adminCidrs], ["172.20.0.0/16", "pfv5:addressPlan.cidr", [["pfv5:sshAllowedCidrs[0]", "192.0.2.0/24"]]]);
  });

  it("accepts an attacker's public block and a single address", () => {
    assert.deepEqual(problemLines("192.0.2.0/24"), []);
    assert.deepEqual(problemLines("198.51.100.77/32"), []);
    assert.deepEqual(problemLines("2001:db8::/32"), []);
  });

  it("refuses text that is not a CIDR, quoting it and showing a good one", () => {
    assert.deepEqual(problemLines("203.0.113.5"), [
      '<cidr> = "203.0.113.5": not a valid CIDR block (the prefix length is missing (write e.g. 10.0.1.0/24, or /32 for one address)); give the attacker\'s block, e.g. 203.0.113.0/24 or 198.51.100.7/32',
    ]);
    assert.equal(problemLines("203.0.113.5/24").length, 1);
    assert.match(problemLines("203.0.113.5/24")[0] ?? "", /host bits are set; the block is 203\.0\.113\.0\/24/);
  });

  it("refuses a block covering the VPC itself, naming where the VPC block comes from", () => {
    assert.deepEqual(problemLines("10.0.0.0/12"), [
      '<cidr> = "10.0.0.0/12": overlaps the network\'s own block 10.0.0.0/16 (the default AWS address plan): blocking it would cut the network off from itself; block the attacker\'s public range, or quarantine a compromised pod with the label pfv5.io/quarantine=true',
    ]);
  });

  it("refuses a block inside the VPC too: use the pod quarantine instead", () => {
    assert.equal(problemLines("10.0.10.0/24").length, 1);
  });

  it("refuses a block overlapping an authorized admin CIDR, naming the config entry", () => {
    assert.deepEqual(problemLines("198.51.100.0/24"), [
      '<cidr> = "198.51.100.0/24": overlaps the authorized admin CIDR 198.51.100.0/28 (pfv5:sshAllowedCidrs[1]): it would lock administrators out; remove 198.51.100.0/28 from pfv5:sshAllowedCidrs first if that is intended',
    ]);
  });

  it("refuses a block over the VPN client range", () => {
    assert.deepEqual(problemLines("10.100.0.0/16"), [
      '<cidr> = "10.100.0.0/16": overlaps the VPN client range 10.100.0.0/24: administrators on the VPN would be locked out; revoke the peer instead',
    ]);
  });

  it("lists every reason at once for the whole internet", () => {
    const lines = problemLines("0.0.0.0/0");
    assert.equal(lines.length, 5);
    assert.match(lines[0] ?? "", /would block every address/);
  });
});

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
});
