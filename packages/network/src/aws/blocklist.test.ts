import { strict as assert } from "node:assert";
import fc from "fast-check";
import { formatAddress } from "@pfv5/zones";
import { checkAwsBlockedCidrs, planAwsNetworkAclRules } from "./blocklist";
import { AWS_BLOCKLIST_FIRST_RULE_NUMBER, AWS_NETWORK_ACL_ALLOW_RULE_NUMBER } from "./defaults";

/** Distinct /24 blocks from 198.18.0.0 upwards: public, never inside 10.0.0.0/16 or the admin block. */
const blocklist = fc
  .uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 39 })
  .map((ns) => ns.map((n) => `${formatAddress(4, (0xc612n << 16n) + (BigInt(n) << 8n))}/24`));

const ctx = { vpcCidr: "10.0.0.0/16", adminCidrs: ["203.0.113.0/24"], adminCidrsKey: "pfv5:sshAllowedCidrs", ruleLimit: 20 };

describe("planAwsNetworkAclRules", () => {
  it("with no blocklist, only allows everything in and out at rule 100", () => {
    assert.deepEqual(planAwsNetworkAclRules([]), [
      { key: "allow-all-in", ruleNumber: 100, egress: false, ruleAction: "allow", cidrBlock: "0.0.0.0/0", protocol: "-1" },
      { key: "allow-all-out", ruleNumber: 100, egress: true, ruleAction: "allow", cidrBlock: "0.0.0.0/0", protocol: "-1" },
    ]);
  });

  it("denies every blocked CIDR once in each direction, numbered ahead of the allow-all", () => {
    fc.assert(
      fc.property(blocklist, (cidrs) => {
        const rules = planAwsNetworkAclRules(cidrs);
        assert.equal(rules.length, 2 * cidrs.length + 2);
        for (const egress of [false, true]) {
          const side = rules.filter((r) => r.egress === egress);
          assert.equal(new Set(side.map((r) => r.ruleNumber)).size, side.length, "two entries share a rule number");
          const denies = side.filter((r) => r.ruleAction === "deny");
          assert.deepEqual(denies.map((r) => r.cidrBlock), cidrs);
          for (const d of denies) assert.ok(d.ruleNumber >= AWS_BLOCKLIST_FIRST_RULE_NUMBER && d.ruleNumber < AWS_NETWORK_ACL_ALLOW_RULE_NUMBER);
          assert.deepEqual(side.filter((r) => r.ruleAction === "allow").map((r) => [r.ruleNumber, r.cidrBlock]), [[100, "0.0.0.0/0"]]);
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
          const before = planAwsNetworkAclRules(cidrs).filter((r) => r.ruleAction === "deny");
          const after = planAwsNetworkAclRules([...cidrs.slice(0, k), ...cidrs.slice(k + 1)]).filter((r) => r.ruleAction === "deny");
          assert.deepEqual(after.slice(0, 2 * k), before.slice(0, 2 * k));
          // Entries after it move up one number under the same key pattern; none is left twice.
          assert.equal(after.length, before.length - 2);
        },
      ),
    );
  });
});

describe("checkAwsBlockedCidrs", () => {
  it("accepts public blocks outside the VPC and the admin CIDRs, up to the quota", () => {
    fc.assert(fc.property(blocklist.filter((c) => c.length <= 19), (cidrs) => assert.deepEqual(checkAwsBlockedCidrs("pfv5:blockedCidrs", cidrs, ctx), [])));
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

  it("counts the allow-all against the quota", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `192.0.${i}.0/24`);
    assert.deepEqual(checkAwsBlockedCidrs("blockedCidrs", twenty.slice(0, 19), ctx), []);
    assert.deepEqual(checkAwsBlockedCidrs("blockedCidrs", twenty, ctx), [
      {
        key: "blockedCidrs",
        value: "20 blocks",
        message: "needs 21 rules per direction in each network ACL (the blocks and one allow-all) but the quota is 20: block wider ranges, or raise the quota with AWS and set networkAclRuleLimit",
      },
    ]);
    assert.deepEqual(checkAwsBlockedCidrs("blockedCidrs", twenty, { ...ctx, ruleLimit: 40 }), []);
  });
});
