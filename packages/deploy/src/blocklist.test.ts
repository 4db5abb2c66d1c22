import { strict as assert } from "node:assert";
import { formatProblem } from "@pfv5/zones";
import { parse } from "yaml";
import { blockContext, checkBlock, type BlockContext } from "./blocklist";

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

  it("refuses the metadata address as link-local, saying what a deny there would break", () => {
    assert.deepEqual(problemLines("169.254.169.254/32"), [
      '<cidr> = "169.254.169.254/32": is link-local, home of the instance metadata service 169.254.169.254 (169.254.0.0/16): link-local addresses are never routed, so no attacker can send from one, and a deny could cut instances off from their metadata, credentials and DNS; give the attacker\'s public block, e.g. 203.0.113.0/24',
    ]);
  });

  it("refuses loopback, multicast, broadcast, 'this network' and link-local blocks, one problem each", () => {
    const what = (cidr: string): string[] => checkBlock(cidr, ctx).map((p) => p.message.slice(0, p.message.indexOf("): ") + 1));
    assert.deepEqual(
      ["127.0.0.0/8", "127.0.0.1/32", "224.0.0.0/4", "239.255.255.250/32", "255.255.255.255/32", "0.0.0.0/8", "169.254.0.0/16", "::1/128", "ff02::1/128", "fe80::/64"].map(what),
      [
        ["is loopback (127.0.0.0/8)"],
        ["is loopback (127.0.0.0/8)"],
        ["is multicast (224.0.0.0/4)"],
        ["is multicast (224.0.0.0/4)"],
        ["is reserved, up to the broadcast address 255.255.255.255 (240.0.0.0/4)"],
        ['is "this network" (unspecified source) (0.0.0.0/8)'],
        ["is link-local, home of the instance metadata service 169.254.169.254 (169.254.0.0/16)"],
        ["is IPv6 loopback (::1/128)"],
        ["is IPv6 multicast (ff00::/8)"],
        ["is IPv6 link-local (fe80::/10)"],
      ],
    );
  });

  it("refuses a wide block that includes a special-purpose block, naming each", () => {
    assert.deepEqual(
      checkBlock("128.0.0.0/1", blockContext({}, "aws")).map((p) => p.message.slice(0, p.message.indexOf("): ") + 1)),
      ["includes link-local, home of the instance metadata service 169.254.169.254 (169.254.0.0/16)", "includes multicast (224.0.0.0/4)", "includes reserved, up to the broadcast address 255.255.255.255 (240.0.0.0/4)"],
    );
  });

  it("accepts public blocks next to the special ones", () => {
    assert.deepEqual(["126.255.255.0/24", "128.0.0.0/8", "169.253.0.0/16", "223.255.255.0/24", "1.0.0.0/8"].flatMap((c) => problemLines(c)), []);
  });
});

