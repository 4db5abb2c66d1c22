import { strict as assert } from "node:assert";
import fc from "fast-check";
import { FLOWS, TIERS, cidrContains, formatAddress, type Flow, type Tier } from "@pfv5/zones";
import { checkAwsNetworkAclQuota, planAwsNetworkAclRules, planAwsZoneAclAllows, type AwsNetworkAclRulePlan } from "./network-acl";

const VPC = "10.0.0.0/16";
const ADMINS = ["203.0.113.0/24", "198.51.100.0/28"];
const BLOCKS = ["192.0.2.0/24", "198.51.100.128/25"];

/** An entry as one line: key, number, direction, action, protocol, block, ports. */
type Row = [string, number, "in" | "out", "allow" | "deny", string, string, string];
const row = (r: AwsNetworkAclRulePlan): Row => [
  r.key,
  r.ruleNumber,
  r.egress ? "out" : "in",
  r.ruleAction,
  r.protocol,
  r.cidrBlock,
  r.fromPort === undefined ? "" : `${r.fromPort}-${r.toPort ?? ""}`,
];
const rows = (tier: Tier, blockedCidrs: string[] = [], adminCidrs: string[] = [], flows?: readonly Flow[]): Row[] =>
  planAwsNetworkAclRules(tier, { vpcCidr: VPC, blockedCidrs, adminCidrs, ...(flows !== undefined ? { flows } : {}) }).map(row);

const RDP_DENY_TCP: Row = ["admin-port-tcp-3389-deny-in", 250, "in", "deny", "6", "0.0.0.0/0", "3389-3389"];
const RDP_DENY_UDP: Row = ["admin-port-udp-3389-deny-in", 260, "in", "deny", "17", "0.0.0.0/0", "3389-3389"];
const DMZ_IN: Row[] = [
  ["vpc-in", 200, "in", "allow", "-1", VPC, ""],
  RDP_DENY_TCP,
  RDP_DENY_UDP,
  ["ephemeral-tcp-in", 300, "in", "allow", "6", "0.0.0.0/0", "1024-65535"],
  ["ephemeral-udp-in", 310, "in", "allow", "17", "0.0.0.0/0", "1024-65535"],
  ["internet-edge-web-80-in", 400, "in", "allow", "6", "0.0.0.0/0", "80-80"],
  ["internet-edge-web-443-in", 410, "in", "allow", "6", "0.0.0.0/0", "443-443"],
  ["internet-vpn-wireguard-51820-in", 420, "in", "allow", "17", "0.0.0.0/0", "51820-51820"],
];
const DMZ_ADMIN_IN: Row[] = [
  ["admins-bastion-ssh-22-in-0", 1000, "in", "allow", "6", "203.0.113.0/24", "22-22"],
  ["admins-bastion-ssh-22-in-1", 1010, "in", "allow", "6", "198.51.100.0/28", "22-22"],
];
const NAT_TIER_IN: Row[] = [
  ["vpc-in", 200, "in", "allow", "-1", VPC, ""],
  RDP_DENY_TCP,
  RDP_DENY_UDP,
  ["ephemeral-tcp-in", 300, "in", "allow", "6", "0.0.0.0/0", "1024-65535"],
  ["ephemeral-udp-in", 310, "in", "allow", "17", "0.0.0.0/0", "1024-65535"],
];
const OUT_ALL: Row[] = [
  ["vpc-out", 200, "out", "allow", "-1", VPC, ""],
  ["all-out", 400, "out", "allow", "-1", "0.0.0.0/0", ""],
];
const VPC_ONLY: Row[] = [
  ["vpc-in", 200, "in", "allow", "-1", VPC, ""],
  ["vpc-out", 200, "out", "allow", "-1", VPC, ""],
];
const BLOCK_ROWS: Row[] = [
  ["block-in-0", 10, "in", "deny", "-1", "192.0.2.0/24", ""],
  ["block-out-0", 10, "out", "deny", "-1", "192.0.2.0/24", ""],
  ["block-in-1", 11, "in", "deny", "-1", "198.51.100.128/25", ""],
  ["block-out-1", 11, "out", "deny", "-1", "198.51.100.128/25", ""],
];

/** Distinct public /24 blocks from 198.18.0.0 upwards: outside the VPC and the admin blocks. */
const blocklist = fc
  .uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 })
  .map((ns) => ns.map((n) => `${formatAddress(4, (0xc612n << 16n) + (BigInt(n) << 8n))}/24`));
/** Distinct admin addresses in 203.0.113.0/24. */
const admins = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }).map((ns) => ns.map((n) => `203.0.113.${n}/32`));
const tier = fc.constantFrom<Tier>(...TIERS);

const outsideVpc = (r: AwsNetworkAclRulePlan): boolean => !cidrContains(VPC, r.cidrBlock);
const reaches = (r: AwsNetworkAclRulePlan, port: number): boolean =>
  r.protocol === "-1" || ((r.protocol === "6" || r.protocol === "17") && (r.fromPort ?? 0) <= port && port <= (r.toPort ?? 65535));

/** SSH and RDP, on both transport protocols. */
const ADMIN_PROBES = [22, 3389].flatMap((port) => (["6", "17"] as const).map((protocol) => ({ protocol, port })));
const matchesProbe = (r: AwsNetworkAclRulePlan, protocol: "6" | "17", port: number): boolean =>
  (r.protocol === "-1" || r.protocol === protocol) && reaches(r, port);
const byNumber = (a: AwsNetworkAclRulePlan, b: AwsNetworkAclRulePlan): number => a.ruleNumber - b.ruleNumber;
/**
 * Each inbound allow from 0.0.0.0/0 that decides a packet to 22 or 3389, as `key protocol port`:
 * the allow matches it and no deny from 0.0.0.0/0 with a lower number matches it first.
 */
const adminPortsOpenToAll = (rules: readonly AwsNetworkAclRulePlan[]): string[] =>
  ADMIN_PROBES.flatMap(({ protocol, port }) => {
    const first = rules.filter((r) => !r.egress && r.cidrBlock === "0.0.0.0/0" && matchesProbe(r, protocol, port)).sort(byNumber)[0];
    return first?.ruleAction === "allow" ? [`${first.key} ${protocol} ${port}`] : [];
  });
/** The inbound entry EC2 applies to a packet: the lowest-numbered one that matches it. */
const decides = (rules: readonly AwsNetworkAclRulePlan[], source: string, protocol: "6" | "17", port: number): AwsNetworkAclRulePlan | undefined =>
  rules.filter((r) => !r.egress && cidrContains(r.cidrBlock, `${source}/32`) && matchesProbe(r, protocol, port)).sort(byNumber)[0];

describe("planAwsNetworkAclRules", () => {
  for (const n of [0, 1, 2]) {
    it(`gives each tier exactly the zone model's entries with ${n} admin CIDR(s)`, () => {
      const adminCidrs = ADMINS.slice(0, n);
      assert.deepEqual(rows("dmz", [], adminCidrs), [...DMZ_IN, ...DMZ_ADMIN_IN.slice(0, n), ...OUT_ALL]);
      assert.deepEqual(rows("app", [], adminCidrs), [...NAT_TIER_IN, ...OUT_ALL]);
      assert.deepEqual(rows("mgmt", [], adminCidrs), [...NAT_TIER_IN, ...OUT_ALL]);
      assert.deepEqual(rows("data", [], adminCidrs), VPC_ONLY);
    });
  }

  it("puts the blocklist denies ahead of the allows on every tier, numbered as before", () => {
    assert.deepEqual(rows("dmz", BLOCKS, ADMINS), [...BLOCK_ROWS, ...DMZ_IN, ...DMZ_ADMIN_IN, ...OUT_ALL]);
    assert.deepEqual(rows("app", BLOCKS, ADMINS), [...BLOCK_ROWS, ...NAT_TIER_IN, ...OUT_ALL]);
    assert.deepEqual(rows("mgmt", BLOCKS, ADMINS), [...BLOCK_ROWS, ...NAT_TIER_IN, ...OUT_ALL]);
    assert.deepEqual(rows("data", BLOCKS, ADMINS), [...BLOCK_ROWS, ...VPC_ONLY]);
  });

  it("gives the data tier no allow entry naming anything outside the VPC", () => {
    fc.assert(
      fc.property(blocklist, admins, (blockedCidrs, adminCidrs) => {
        const rules = planAwsNetworkAclRules("data", { vpcCidr: VPC, blockedCidrs, adminCidrs });
        assert.deepEqual(rules.filter((r) => r.ruleAction === "allow" && outsideVpc(r)), []);
        assert.deepEqual(rules.filter((r) => r.ruleAction === "deny").map((r) => r.cidrBlock), blockedCidrs.flatMap((c) => [c, c]));
      }),
    );
  });

  it("lets nothing from outside the VPC reach a port below 1024 on app, mgmt or data", () => {
    fc.assert(
      fc.property(blocklist, admins, fc.constantFrom<Tier>("app", "mgmt", "data"), (blockedCidrs, adminCidrs, t) => {
        const open = planAwsZoneAclAllows(t, { vpcCidr: VPC, blockedCidrs, adminCidrs }).filter((r) => !r.egress && r.ruleAction === "allow" && outsideVpc(r));
        for (const r of open) {
          assert.ok(r.protocol === "6" || r.protocol === "17", `${t} ${r.key} allows protocol ${r.protocol} from ${r.cidrBlock}`);
          assert.ok((r.fromPort ?? 0) >= 1024, `${t} ${r.key} opens port ${r.fromPort ?? 0} to ${r.cidrBlock}`);
        }
      }),
    );
  });

  it("opens port 22 in the DMZ only to each admin CIDR, once, on tcp", () => {
    fc.assert(
      fc.property(blocklist, admins, (blockedCidrs, adminCidrs) => {
        const ssh = planAwsZoneAclAllows("dmz", { vpcCidr: VPC, blockedCidrs, adminCidrs }).filter((r) => !r.egress && outsideVpc(r) && reaches(r, 22));
        assert.deepEqual(
          ssh.map((r) => [r.cidrBlock, r.protocol, r.fromPort, r.toPort]),
          adminCidrs.map((c) => [c, "6", 22, 22]),
        );
      }),
    );
  });

  it("opens neither 22 nor 3389 to 0.0.0.0/0 on any tier: an RDP deny matches first wherever a reply entry covers the port", () => {
    fc.assert(
      fc.property(blocklist, admins, tier, fc.integer({ min: 0, max: 0xffffffff }), (blockedCidrs, adminCidrs, t, n) => {
        const rules = planAwsNetworkAclRules(t, { vpcCidr: VPC, blockedCidrs, adminCidrs });
        assert.deepEqual(adminPortsOpenToAll(rules), []);
        // Any source address at all: what decides is never an allow from everywhere.
        const source = formatAddress(4, BigInt(n));
        for (const { protocol, port } of ADMIN_PROBES) {
          const entry = decides(rules, source, protocol, port);
          assert.ok(entry === undefined || entry.ruleAction === "deny" || entry.cidrBlock !== "0.0.0.0/0", `${t}: ${entry?.key ?? ""} lets ${source} reach ${protocol} ${port}`);
        }
      }),
    );
  });

  it("would open 3389 to everyone through the reply entries without the RDP denies", () => {
    for (const t of ["dmz", "app", "mgmt"] as const) {
      const rules = planAwsNetworkAclRules(t, { vpcCidr: VPC, blockedCidrs: BLOCKS, adminCidrs: ADMINS }).filter((r) => r.kind !== "admin-port-deny");
      assert.deepEqual(adminPortsOpenToAll(rules), ["ephemeral-tcp-in 6 3389", "ephemeral-udp-in 17 3389"], t);
      assert.equal(decides(rules, "8.8.8.8", "6", 3389)?.key, "ephemeral-tcp-in", t);
    }
  });

  it("numbers entries uniquely per direction, blocklist denies first and each RDP deny ahead of its reply allow, keys unique per ACL, the same every time", () => {
    fc.assert(
      fc.property(blocklist, admins, tier, (blockedCidrs, adminCidrs, t) => {
        const input = { vpcCidr: VPC, blockedCidrs, adminCidrs };
        const rules = planAwsNetworkAclRules(t, input);
        assert.deepEqual(planAwsNetworkAclRules(t, { vpcCidr: VPC, blockedCidrs: [...blockedCidrs], adminCidrs: [...adminCidrs] }), rules);
        assert.equal(new Set(rules.map((r) => r.key)).size, rules.length, "two entries share a key");
        for (const egress of [false, true]) {
          const side = rules.filter((r) => r.egress === egress);
          assert.equal(new Set(side.map((r) => r.ruleNumber)).size, side.length, "two entries share a rule number");
          assert.deepEqual(
            side.map((r) => r.ruleNumber),
            [...side.map((r) => r.ruleNumber)].sort((x, y) => x - y),
            "the entries are not in rule-number order",
          );
          const numbers = (kind: string): number[] => side.filter((r) => r.kind === kind).map((r) => r.ruleNumber);
          const blocks = numbers("blocklist");
          const rest = side.filter((r) => r.kind !== "blocklist").map((r) => r.ruleNumber);
          assert.deepEqual(blocks, blockedCidrs.map((_, i) => 10 + i));
          assert.ok(Math.max(...blocks) < Math.min(...rest), "a blocklist deny comes after another entry");
          // Every deny is a blocklist entry or an RDP deny; the RDP denies sit inbound on the tiers with reply entries.
          const rdp = side.filter((r) => r.kind === "admin-port-deny");
          assert.equal(side.filter((r) => r.ruleAction === "deny").length, blocks.length + rdp.length);
          assert.deepEqual(
            rdp.map((r) => [r.key, r.ruleNumber, r.ruleAction, r.protocol, r.cidrBlock, r.fromPort, r.toPort]),
            !egress && t !== "data"
              ? [
                  ["admin-port-tcp-3389-deny-in", 250, "deny", "6", "0.0.0.0/0", 3389, 3389],
                  ["admin-port-udp-3389-deny-in", 260, "deny", "17", "0.0.0.0/0", 3389, 3389],
                ]
              : [],
          );
          for (const d of rdp) {
            const reply = side.find((r) => r.kind === "return-traffic" && r.protocol === d.protocol);
            assert.ok(reply !== undefined && d.ruleNumber < reply.ruleNumber, `${t} ${d.key} does not precede the ${d.protocol} reply entry`);
          }
          if (rdp.length > 0) assert.ok(Math.max(...rdp.map((r) => r.ruleNumber)) < Math.min(...numbers("return-traffic")), "an RDP deny comes after a reply allow");
          for (const r of side) assert.ok(Number.isInteger(r.ruleNumber) && r.ruleNumber >= 1 && r.ruleNumber <= 32766, `${r.key} has rule number ${r.ruleNumber}`);
        }
      }),
    );
  });

  it("keeps every other entry's key and number when the admin list changes", () => {
    fc.assert(
      fc.property(admins, admins, (before, after) => {
        const plan = (adminCidrs: string[]): AwsNetworkAclRulePlan[] => planAwsZoneAclAllows("dmz", { vpcCidr: VPC, blockedCidrs: [], adminCidrs });
        const notAdmin = (rules: AwsNetworkAclRulePlan[]): AwsNetworkAclRulePlan[] => rules.filter((r) => r.kind !== "admin");
        assert.deepEqual(notAdmin(plan(after)), notAdmin(plan(before)));
        // Admin entry i keeps key and number whatever CIDR it carries: edits rewrite in place.
        assert.deepEqual(
          plan(after).filter((r) => r.kind === "admin").map((r) => [r.key, r.ruleNumber]),
          after.map((_, i) => [`admins-bastion-ssh-22-in-${i}`, 1000 + 10 * i]),
        );
      }),
    );
  });

  it("explains every entry, citing the flow an entry comes from", () => {
    for (const t of TIERS) {
      for (const r of planAwsNetworkAclRules(t, { vpcCidr: VPC, blockedCidrs: BLOCKS, adminCidrs: ADMINS })) {
        assert.ok(r.reason.length > 20, `${t} ${r.key} has no reason`);
        const flow = FLOWS.find((f) => r.key.startsWith(`${f.id}-`));
        if (flow !== undefined) assert.ok(r.reason.startsWith(`${flow.id}`), `${t} ${r.key}: ${r.reason}`);
      }
    }
  });

  describe("carries a change in the zone model through", () => {
    it("opens a new edge port from the internet in the DMZ only", () => {
      const flows: Flow[] = [...FLOWS, { id: "internet-edge-alt", from: "internet", to: "edge", protocol: "tcp", ports: [{ from: 8443, to: 8443 }], reason: "alternate TLS port" }];
      assert.deepEqual(rows("dmz", [], [], flows), [...DMZ_IN, ["internet-edge-alt-8443-in", 430, "in", "allow", "6", "0.0.0.0/0", "8443-8443"], ...OUT_ALL]);
      assert.deepEqual(rows("app", [], [], flows), [...NAT_TIER_IN, ...OUT_ALL]);
    });

    it("narrows app and mgmt egress to tcp 443: only tcp replies come back behind the tcp RDP deny, and the DMZ sends tcp 443 and its replies", () => {
      const flows = FLOWS.map((f) => (f.id === "app-internet-egress" || f.id === "mgmt-internet-egress" ? { ...f, protocol: "tcp" as const, ports: [{ from: 443, to: 443 }] } : f));
      assert.deepEqual(rows("app", [], [], flows), [
        ["vpc-in", 200, "in", "allow", "-1", VPC, ""],
        RDP_DENY_TCP,
        ["ephemeral-tcp-in", 300, "in", "allow", "6", "0.0.0.0/0", "1024-65535"],
        ["vpc-out", 200, "out", "allow", "-1", VPC, ""],
        ["internet-tcp-443-out", 400, "out", "allow", "6", "0.0.0.0/0", "443-443"],
      ]);
      assert.deepEqual(rows("dmz", [], ADMINS.slice(0, 1), flows), [
        ...DMZ_IN.filter((r) => r[0] !== "ephemeral-udp-in" && r[0] !== RDP_DENY_UDP[0]),
        ...DMZ_ADMIN_IN.slice(0, 1),
        ["vpc-out", 200, "out", "allow", "-1", VPC, ""],
        ["internet-tcp-443-out", 400, "out", "allow", "6", "0.0.0.0/0", "443-443"],
        ["internet-tcp-1024-65535-out", 410, "out", "allow", "6", "0.0.0.0/0", "1024-65535"],
        ["internet-udp-1024-65535-out", 420, "out", "allow", "17", "0.0.0.0/0", "1024-65535"],
      ]);
    });

    it("turns an icmp flow into one entry for every type and code", () => {
      const flows: Flow[] = [...FLOWS, { id: "internet-edge-ping", from: "internet", to: "edge", protocol: "icmp", ports: [{ from: 0, to: 65535 }], reason: "reachability checks" }];
      const entry = planAwsZoneAclAllows("dmz", { vpcCidr: VPC, blockedCidrs: [], adminCidrs: [], flows }).find((r) => r.key === "internet-edge-ping-icmp-in");
      assert.deepEqual(entry, {
        key: "internet-edge-ping-icmp-in",
        kind: "internet",
        ruleNumber: 430,
        egress: false,
        ruleAction: "allow",
        cidrBlock: "0.0.0.0/0",
        protocol: "1",
        icmpType: -1,
        icmpCode: -1,
        reason: "internet-edge-ping: reachability checks",
      });
    });

    it("closes app to the internet when the model drops its egress flow", () => {
      const flows = FLOWS.filter((f) => f.id !== "app-internet-egress");
      assert.deepEqual(rows("app", [], [], flows), VPC_ONLY);
    });
  });
});

describe("checkAwsNetworkAclQuota", () => {
  const blocks = (n: number): string[] => Array.from({ length: n }, (_, i) => `192.0.${i}.0/24`);
  const check = (blockedCidrs: string[], adminCidrs: string[], ruleLimit: number): ReturnType<typeof checkAwsNetworkAclQuota> =>
    checkAwsNetworkAclQuota({ vpcCidr: VPC, blockedCidrs, adminCidrs, ruleLimit });

  it("counts every entry of the DMZ's inbound side, the RDP denies too: 10 blocks fit beside two admin CIDRs, 11 do not", () => {
    assert.deepEqual(check(blocks(10), ADMINS, 20), []);
    assert.deepEqual(check(blocks(11), ADMINS, 20), [
      {
        key: "blockedCidrs",
        value: "11 blocks",
        message:
          "the dmz network ACL would need 21 inbound rules (11 blocklist denies, 2 administration-port denies, 6 allows the zone model needs and 2 for the admin CIDRs in adminCidrs) but the quota is 20 per direction: " +
          "block wider ranges, list fewer admin CIDRs, or raise the quota with AWS (up to 40) and set networkAclRuleLimit",
      },
    ]);
    assert.deepEqual(check(blocks(11), ADMINS, 40), []);
  });

  it("without admin CIDRs, 12 blocks fit the default quota and 13 do not", () => {
    assert.deepEqual(check(blocks(12), [], 20), []);
    assert.deepEqual(check(blocks(13), [], 20), [
      {
        key: "blockedCidrs",
        value: "13 blocks",
        message:
          "the dmz network ACL would need 21 inbound rules (13 blocklist denies, 2 administration-port denies and 6 allows the zone model needs) but the quota is 20 per direction: " +
          "block wider ranges, or raise the quota with AWS (up to 40) and set networkAclRuleLimit",
      },
    ]);
  });

  it("names the admin CIDRs when they alone overflow, and the quota when the zone model alone does", () => {
    assert.deepEqual(check([], ADMINS, 10), []);
    assert.deepEqual(check([], ADMINS, 9), [
      {
        key: "adminCidrs",
        value: "2 CIDRs",
        message:
          "the dmz network ACL would need 10 inbound rules (2 administration-port denies, 6 allows the zone model needs and 2 for the admin CIDRs in adminCidrs) but the quota is 9 per direction: " +
          "list fewer or wider admin CIDRs, or raise the quota with AWS (up to 40) and set networkAclRuleLimit",
      },
    ]);
    assert.deepEqual(check([], [], 8), []);
    assert.deepEqual(check([], [], 7), [
      {
        key: "networkAclRuleLimit",
        value: 7,
        message:
          "the dmz network ACL would need 8 inbound rules (2 administration-port denies and 6 allows the zone model needs) but the quota is 7 per direction: set networkAclRuleLimit to the account's real quota (AWS's default is 20)",
      },
    ]);
  });

  it("reports against the keys it is given, as a stack names its config", () => {
    const keys = { blockedCidrs: "pfv5:blockedCidrs", adminCidrs: "pfv5:sshAllowedCidrs", ruleLimit: "pfv5:networkAclRuleLimit" };
    const [p] = checkAwsNetworkAclQuota({ vpcCidr: VPC, blockedCidrs: blocks(11), adminCidrs: ADMINS, ruleLimit: 20 }, keys);
    assert.equal(p?.key, "pfv5:blockedCidrs");
    assert.match(p?.message ?? "", /2 for the admin CIDRs in pfv5:sshAllowedCidrs\).*set pfv5:networkAclRuleLimit$/);
  });

  it("agrees with the planner: no problem exactly when every ACL fits", () => {
    fc.assert(
      fc.property(blocklist, admins, fc.integer({ min: 2, max: 40 }), (blockedCidrs, adminCidrs, ruleLimit) => {
        const busiest = Math.max(
          ...TIERS.flatMap((t) => {
            const rules = planAwsNetworkAclRules(t, { vpcCidr: VPC, blockedCidrs, adminCidrs });
            return [false, true].map((egress) => rules.filter((r) => r.egress === egress).length);
          }),
        );
        assert.equal(check(blockedCidrs, adminCidrs, ruleLimit).length, busiest > ruleLimit ? 1 : 0);
        // The DMZ inbound: the blocks, the VPC entry, 2 RDP denies, 2 reply entries, 3 internet flows, the admins' SSH.
        assert.equal(busiest, blockedCidrs.length + 8 + adminCidrs.length);
      }),
    );
  });
});
