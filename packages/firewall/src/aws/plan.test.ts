import { strict as assert } from "node:assert";
import fc from "fast-check";
import { FLOWS, VPN_CIDR, type Flow } from "@pfv5/zones";
import { AWS_DMZ_ROLES, AWS_GROUP_ROLES, type AwsGroupRole } from "./defaults";
import { planAwsFirewallRules, type AwsRuleSpec } from "./plan";
import { checkAwsFlow } from "./validate";

const ADMINS = ["203.0.113.0/24", "198.51.100.0/28"];
const plan = (flows: readonly Flow[] = FLOWS): AwsRuleSpec[] => planAwsFirewallRules({ flows, adminCidrs: ADMINS, vpnCidr: VPN_CIDR });

/** Valid flows between two group roles (the kind users add most). */
const groupFlow = fc
  .record({
    n: fc.integer({ min: 0, max: 9999 }),
    from: fc.constantFrom(...AWS_GROUP_ROLES),
    to: fc.constantFrom(...AWS_GROUP_ROLES),
    protocol: fc.constantFrom("tcp" as const, "udp" as const),
    ports: fc.uniqueArray(
      fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 100 })).map(([p, w]) => ({ from: p, to: Math.min(65535, p + w) })),
      { minLength: 1, maxLength: 4, selector: (r) => `${r.from}-${r.to}` },
    ),
  })
  .map((f): Flow => ({ id: `extra-${f.n}`, from: f.from, to: f.to, protocol: f.protocol, ports: f.ports, reason: "added by a property test" }));
const extraFlows = fc.uniqueArray(groupFlow, { maxLength: 6, selector: (f) => f.id });

describe("planAwsFirewallRules", () => {
  it("turns the zone flows into 41 rules", () => {
    const rules = plan();
    assert.equal(rules.length, 41);
    assert.equal(rules.filter((r) => r.direction === "ingress").length, 21);
    assert.equal(rules.filter((r) => r.direction === "egress").length, 20);
  });

  it("makes app-to-data a pair per port: ingress on data naming app, egress on app naming data", () => {
    const description = "app-data-db: PostgreSQL, Redis and MongoDB clients";
    const pair = (port: number): AwsRuleSpec[] => [
      { key: `app-data-db-in-${port}`, flowId: "app-data-db", direction: "ingress", group: "data", peer: { kind: "group", role: "app" }, ipProtocol: "tcp", fromPort: port, toPort: port, description },
      { key: `app-data-db-out-${port}`, flowId: "app-data-db", direction: "egress", group: "app", peer: { kind: "group", role: "data" }, ipProtocol: "tcp", fromPort: port, toPort: port, description },
    ];
    assert.deepEqual(
      plan().filter((r) => r.flowId === "app-data-db"),
      [...pair(5432), ...pair(6379), ...pair(27017)],
    );
  });

  it("gives the bastion one SSH rule per admin CIDR and treats masqueraded VPN clients as the WireGuard server's group", () => {
    assert.deepEqual(
      plan()
        .filter((r) => r.flowId === "admins-bastion-ssh" || r.flowId === "vpn-data-ssh")
        .map((r) => [r.key, r.direction, r.group, r.peer.kind === "cidr" ? r.peer.cidr : r.peer.role]),
      [
        ["admins-bastion-ssh-in-22-203-0-113-0-24", "ingress", "bastion", "203.0.113.0/24"],
        ["admins-bastion-ssh-in-22-198-51-100-0-28", "ingress", "bastion", "198.51.100.0/28"],
        ["vpn-data-ssh-in-22", "ingress", "data", "vpn-server"],
        ["vpn-data-ssh-out-22", "egress", "vpn-server", "data"],
      ],
    );
  });

  it("writes protocol all as -1 with no ports, and internet egress to 0.0.0.0/0", () => {
    assert.deepEqual(
      plan().filter((r) => r.flowId === "app-internet-egress"),
      [
        {
          key: "app-internet-egress-out-all",
          flowId: "app-internet-egress",
          direction: "egress",
          group: "app",
          peer: { kind: "cidr", role: "internet", cidr: "0.0.0.0/0", ipVersion: 4 },
          ipProtocol: "-1",
          description: "app-internet-egress: outbound only, through the NAT gateway",
        },
      ],
    );
  });

  it("lets the internet in only to the DMZ roles and gives data no egress beyond groups", () => {
    const rules = plan();
    for (const r of rules) {
      if (r.peer.kind === "cidr" && r.peer.role === "internet" && r.direction === "ingress") {
        assert.ok(AWS_DMZ_ROLES.includes(r.group), `${r.key} opens ${r.group} to the internet`);
      }
      if (r.group === "data" && r.direction === "egress") assert.fail(`${r.key}: data has an egress rule`);
    }
  });

  it("is deterministic, with unique keys, a description per rule and no ports on protocol -1, for any added group flows", () => {
    fc.assert(
      fc.property(extraFlows, (extra) => {
        const flows = [...FLOWS, ...extra];
        for (const f of extra) assert.deepEqual(checkAwsFlow("extra", f), []);
        const rules = plan(flows);
        assert.deepEqual(plan(flows), rules);
        assert.equal(new Set(rules.map((r) => r.key)).size, rules.length, "two rules share a key");
        for (const r of rules) {
          const flow = flows.find((f) => f.id === r.flowId);
          assert.equal(r.description, `${r.flowId}: ${flow?.reason ?? "?"}`);
          assert.ok(r.key.startsWith(`${r.flowId}-`));
          if (r.ipProtocol === "-1") assert.ok(r.fromPort === undefined && r.toPort === undefined, r.key);
          else assert.ok(r.fromPort !== undefined && r.toPort !== undefined && r.fromPort <= r.toPort, r.key);
        }
      }),
    );
  });

  it("gives every group-to-group flow matching ingress and egress rules", () => {
    fc.assert(
      fc.property(extraFlows, (extra) => {
        const rules = plan(extra);
        for (const f of extra) {
          const mine = rules.filter((r) => r.flowId === f.id);
          const ins = mine.filter((r) => r.direction === "ingress");
          const outs = mine.filter((r) => r.direction === "egress");
          assert.equal(ins.length, f.ports.length);
          assert.equal(outs.length, f.ports.length);
          for (const r of ins) assert.deepEqual([r.group, r.peer], [f.to, { kind: "group", role: f.from as AwsGroupRole }]);
          for (const r of outs) assert.deepEqual([r.group, r.peer], [f.from, { kind: "group", role: f.to as AwsGroupRole }]);
        }
      }),
    );
  });
});
