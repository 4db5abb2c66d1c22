import { strict as assert } from "node:assert";
import fc from "fast-check";
import { formatAddress } from "@pfv5/zones";
import { checkAwsBlockedCidrs, planAwsBlocklistRules } from "./blocklist";
import { AWS_BLOCKLIST_FIRST_RULE_NUMBER, AWS_NETWORK_ACL_RULE_NUMBERS } from "./defaults";

/** Distinct /24 blocks from 198.18.0.0 upwards: public, never inside 10.0.0.0/16 or the admin block. */
const blocklist = fc
  .uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 39 })
  .map((ns) => ns.map((n) => `${formatAddress(4, (0xc612n << 16n) + (BigInt(n) << 8n))}/24`));

const ctx = { vpcCidr: "10.0.0.0/16", adminCidrs: ["203.0.113.0/24"], adminCidrsKey: "pfv5:sshAllowedCidrs" };

describe("planAwsBlocklistRules", () => {
  it("plans nothing for an empty blocklist", () => {
    assert.deepEqual(planAwsBlocklistRules([]), []);
  });

  it("denies each blocked CIDR in and out, every protocol, from rule 10 on", () => {
    const reason = (i: number, cidr: string): string => `incident blocklist entry ${i}: nothing from or to ${cidr}, whatever the allows after it say`;
    assert.deepEqual(planAwsBlocklistRules(["192.0.2.0/24", "198.51.100.7/32"]), [
      { key: "block-in-0", kind: "blocklist", ruleNumber: 10, egress: false, ruleAction: "deny", cidrBlock: "192.0.2.0/24", protocol: "-1", reason: reason(0, "192.0.2.0/24") },
      { key: "block-out-0", kind: "blocklist", ruleNumber: 10, egress: true, ruleAction: "deny", cidrBlock: "192.0.2.0/24", protocol: "-1", reason: reason(0, "192.0.2.0/24") },
      { key: "block-in-1", kind: "blocklist", ruleNumber: 11, egress: false, ruleAction: "deny", cidrBlock: "198.51.100.7/32", protocol: "-1", reason: reason(1, "198.51.100.7/32") },
      { key: "block-out-1", kind: "blocklist", ruleNumber: 11, egress: true, ruleAction: "deny", cidrBlock: "198.51.100.7/32", protocol: "-1", reason: reason(1, "198.51.100.7/32") },
    ]);
  });

  it("denies every blocked CIDR once in each direction, numbered below every allow band", () => {
    const firstAllow = Math.min(...Object.values(AWS_NETWORK_ACL_RULE_NUMBERS));
    fc.assert(
      fc.property(blocklist, (cidrs) => {
        const rules = planAwsBlocklistRules(cidrs);
        assert.equal(rules.length, 2 * cidrs.length);
        for (const egress of [false, true]) {
          const side = rules.filter((r) => r.egress === egress);
          assert.equal(new Set(side.map((r) => r.ruleNumber)).size, side.length, "two entries share a rule number");
          assert.deepEqual(side.map((r) => r.cidrBlock), cidrs);
          for (const d of side) assert.ok(d.ruleAction === "deny" && d.ruleNumber >= AWS_BLOCKLIST_FIRST_RULE_NUMBER && d.ruleNumber < firstAllow, `${d.key} is numbered ${d.ruleNumber}`);
        }
      }),
    );
  });

  it("keeps the key and number of every entry before one that is unblocked", () => {
    fc.assert(
      fc.property(
        blocklist.filter((c) => c.length > 0),
        fc.nat(),
        (cidrs, pick) => {
          const k = pick % cidrs.length;
          const before = planAwsBlocklistRules(cidrs);
          const after = planAwsBlocklistRules([...cidrs.slice(0, k), ...cidrs.slice(k + 1)]);
          assert.deepEqual(after.slice(0, 2 * k), before.slice(0, 2 * k));
          // Entries after it keep their keys and numbers with the next CIDR; only the last pair goes.
          assert.deepEqual(
            after.map((r) => [r.key, r.ruleNumber]),
            before.slice(0, -2).map((r) => [r.key, r.ruleNumber]),
          );
        },
      ),
    );
  });
});

describe("checkAwsBlockedCidrs", () => {
  it("accepts public blocks outside the VPC and the admin CIDRs (the quota is checked with the allows)", () => {
    fc.assert(fc.property(blocklist, (cidrs) => assert.deepEqual(checkAwsBlockedCidrs("pfv5:blockedCidrs", cidrs, ctx), [])));
  });

  it("names each refused entry with its index, the value and the fix", () => {
    assert.deepEqual(checkAwsBlockedCidrs("pfv5:blockedCidrs", ["10.0.0.0/8", "203.0.113.9/32", "1.2.3.4", 7], ctx), [
      {
        key: "pfv5:blockedCidrs[0]",
        value: "10.0.0.0/8",
        message: "overlaps the VPC block 10.0.0.0/16: a deny on every tier would cut the VPC off from itself; block the attacker's public range instead",
      },
      {
        key: "pfv5:blockedCidrs[1]",
        value: "203.0.113.9/32",
        message:
          "overlaps the authorized admin CIDR 203.0.113.0/24 (pfv5:sshAllowedCidrs): it would lock the administrators out; remove that CIDR from pfv5:sshAllowedCidrs first if this is intended",
      },
      {
        key: "pfv5:blockedCidrs[2]",
        value: "1.2.3.4",
        message: 'not a valid CIDR block (the prefix length is missing (write e.g. 10.0.1.0/24, or /32 for one address))',
      },
      { key: "pfv5:blockedCidrs[3]", value: 7, message: "expected a CIDR block as text, e.g. 10.0.1.0/24" },
    ]);
  });

  it("refuses a list that is not a list", () => {
    assert.deepEqual(checkAwsBlockedCidrs("blockedCidrs", "192.0.2.0/24", ctx), [
      { key: "blockedCidrs", value: "192.0.2.0/24", message: 'expected a list of CIDR blocks, e.g. ["203.0.113.0/24"]' },
    ]);
  });
});
