import { strict as assert } from "node:assert";
import fc from "fast-check";
import { AZURE_ADDRESS_PLAN, FLOWS, TIERS, VPN_CIDR } from "@pfv5/zones";
import type { PortRange, Role, Tier } from "@pfv5/zones";
import {
  AZURE_ALLOW_VNET_INBOUND_PRIORITY,
  AZURE_FIREWALL_DEFAULTS,
  NSG_PRIORITY,
  type AzureFlow,
  type NsgPlanInput,
  type NsgRule,
} from "./model";
import { planNsgRules, portStrings } from "./plan";
import { checkNsgPlan } from "./validate";

const TIER_CIDRS: Record<Tier, string> = {
  dmz: "10.0.1.0/24",
  app: "10.0.10.0/24",
  data: "10.0.20.0/24",
  mgmt: "10.0.30.0/24",
};

function input(overrides: Partial<NsgPlanInput> = {}): NsgPlanInput {
  return {
    tierCidrs: TIER_CIDRS,
    vnetCidr: AZURE_ADDRESS_PLAN.cidr,
    adminCidrs: ["203.0.113.0/24"],
    vpnCidr: VPN_CIDR,
    blockedCidrs: [],
    flows: FLOWS,
    loadBalancerProbes: AZURE_FIREWALL_DEFAULTS.loadBalancerProbes,
    dataServiceEndpoints: AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints,
    ...overrides,
  };
}

/** A compact view of a rule: `priority direction access protocol sources > destinations : ports`. */
function line(r: NsgRule): string {
  return `${r.priority} ${r.direction} ${r.access} ${r.protocol} ${r.sources.join(",")} > ${r.destinations.join(",")} : ${r.ports.join(",")} ${r.name}`;
}

describe("planNsgRules with the zone flows", () => {
  const plan = planNsgRules(input({ blockedCidrs: ["198.51.100.0/24"] }));

  it("opens the app tier only to tcp 3000 from the DMZ, the agents range from itself, metrics from mgmt and SSH from the DMZ and the VPN", () => {
    assert.deepEqual(plan.app.map(line), [
      "100 Inbound Deny * 198.51.100.0/24 > * : * deny-in-blocklist",
      "101 Outbound Deny * * > 198.51.100.0/24 : * deny-out-blocklist",
      "1000 Inbound Allow Tcp 10.0.1.0/24 > 10.0.10.0/24 : 3000 allow-in-edge-app-http",
      "1010 Inbound Allow Tcp 10.0.10.0/24 > 10.0.10.0/24 : 8000-9000 allow-in-app-app-agents",
      "1020 Inbound Allow Tcp 10.0.30.0/24 > 10.0.10.0/24 : 9090,9100 allow-in-mgmt-app-metrics",
      "1030 Inbound Allow Tcp 10.0.1.0/24 > 10.0.10.0/24 : 22 allow-in-bastion-app-ssh",
      "1040 Inbound Allow Tcp 10.100.0.0/24 > 10.0.10.0/24 : 22 allow-in-vpn-app-ssh",
      "4096 Inbound Deny * * > * : * deny-in-all",
    ]);
  });

  it("lets the internet reach the DMZ on 80, 443 and WireGuard, administrators on 22, the load balancer probe the edge ports, and the DMZ out only on its own flows", () => {
    assert.deepEqual(plan.dmz.map(line), [
      "100 Inbound Deny * 198.51.100.0/24 > * : * deny-in-blocklist",
      "101 Outbound Deny * * > 198.51.100.0/24 : * deny-out-blocklist",
      "500 Inbound Allow Tcp AzureLoadBalancer > 10.0.1.0/24 : 80,443 allow-in-lb-probes",
      "1000 Inbound Allow Tcp Internet > 10.0.1.0/24 : 80,443 allow-in-internet-edge-web",
      "1010 Inbound Allow Tcp 203.0.113.0/24 > 10.0.1.0/24 : 22 allow-in-admins-bastion-ssh",
      "1020 Inbound Allow Udp Internet > 10.0.1.0/24 : 51820 allow-in-internet-vpn-wireguard",
      "2000 Outbound Allow Tcp 10.0.1.0/24 > 10.0.10.0/24 : 3000 allow-out-edge-app-http",
      "2010 Outbound Allow Tcp 10.0.1.0/24 > 10.0.10.0/24 : 22 allow-out-bastion-app-ssh",
      "2020 Outbound Allow Tcp 10.0.1.0/24 > 10.0.20.0/24 : 22 allow-out-bastion-data-ssh",
      "2030 Outbound Allow Tcp 10.0.1.0/24 > 10.0.30.0/24 : 22 allow-out-bastion-mgmt-ssh",
      "2040 Outbound Allow Tcp 10.0.1.0/24 > Internet : 443 allow-out-bastion-internet-https",
      "2050 Outbound Allow Tcp 10.0.1.0/24 > Internet : 443 allow-out-vpn-server-internet-https",
      "4094 Outbound Deny * * > Internet : * deny-out-internet",
      "4095 Outbound Deny * * > * : * deny-out-all",
      "4096 Inbound Deny * * > * : * deny-in-all",
    ]);
  });

  it("keeps the data tier's egress inside the VNet and its service endpoints, then denies the Internet and everything else", () => {
    assert.deepEqual(plan.data.filter((r) => r.direction === "Outbound").map(line), [
      "101 Outbound Deny * * > 198.51.100.0/24 : * deny-out-blocklist",
      "600 Outbound Allow * 10.0.20.0/24 > 10.0.0.0/16 : * allow-out-vnet",
      "610 Outbound Allow Tcp 10.0.20.0/24 > Sql : 1433,11000-11999 allow-out-sql",
      "620 Outbound Allow Tcp 10.0.20.0/24 > Storage : 443 allow-out-storage",
      "4094 Outbound Deny * * > Internet : * deny-out-internet",
      "4095 Outbound Deny * * > * : * deny-out-all",
    ]);
  });

  it("gives the data tier's inbound side the database ports from app, the exporters from mgmt and SSH from the DMZ and the VPN", () => {
    assert.deepEqual(plan.data.filter((r) => r.direction === "Inbound" && r.access === "Allow").map(line), [
      "1000 Inbound Allow Tcp 10.0.10.0/24 > 10.0.20.0/24 : 5432,6379,27017 allow-in-app-data-db",
      "1010 Inbound Allow Tcp 10.0.30.0/24 > 10.0.20.0/24 : 9187,9121,9216 allow-in-mgmt-data-exporters",
      "1020 Inbound Allow Tcp 10.0.1.0/24 > 10.0.20.0/24 : 22 allow-in-bastion-data-ssh",
      "1030 Inbound Allow Tcp 10.100.0.0/24 > 10.0.20.0/24 : 22 allow-in-vpn-data-ssh",
    ]);
  });

  it("adds no outbound allow to the tiers that may reach the internet on everything", () => {
    for (const tier of ["app", "mgmt"] as const) {
      assert.deepEqual(
        plan[tier].filter((r) => r.direction === "Outbound").map((r) => r.name),
        ["deny-out-blocklist"],
        tier,
      );
    }
  });

  it("writes no administrator rule when no administrator CIDR is configured", () => {
    const closed = planNsgRules(input({ adminCidrs: [] }));
    assert.equal(closed.dmz.some((r) => r.name === "allow-in-admins-bastion-ssh"), false);
  });

  it("writes no blocklist rule when nothing is blocked", () => {
    const open = planNsgRules(input());
    for (const tier of TIERS) assert.equal(open[tier].some((r) => r.name.endsWith("-blocklist")), false, tier);
  });
});

describe("portStrings", () => {
  const cases: [Parameters<typeof portStrings>[0], PortRange[], string[]][] = [
    ["tcp", [{ from: 443, to: 443 }], ["443"]],
    ["tcp", [{ from: 8000, to: 9000 }, { from: 22, to: 22 }], ["8000-9000", "22"]],
    ["udp", [{ from: 0, to: 65535 }], ["*"]],
    ["all", [], ["*"]],
    ["icmp", [], ["*"]],
  ];
  for (const [protocol, ports, expected] of cases) {
    it(`writes ${protocol} ${JSON.stringify(ports)} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(portStrings(protocol, ports), expected);
    });
  }
});

// Extra flows that pass validation: internal sources to internal targets, on tcp or udp.
const internalSource = fc.constantFrom<Role>("edge", "bastion", "vpn-server", "app", "data", "mgmt", "vpn-clients");
const internalTarget = fc.constantFrom<Role>("edge", "bastion", "vpn-server", "app", "data", "mgmt");
const portRange = fc
  .tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 50 }))
  .map(([from, width]): PortRange => ({ from, to: Math.min(65535, from + width) }));
const extraFlow = (i: number): fc.Arbitrary<AzureFlow> =>
  fc.record({
    id: fc.constant(`extra-${i}`),
    from: internalSource,
    to: internalTarget,
    protocol: fc.constantFrom("tcp" as const, "udp" as const),
    ports: fc.array(portRange, { minLength: 1, maxLength: 3 }),
    reason: fc.constant("generated"),
  });
const extraFlows = fc.integer({ min: 0, max: 20 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => extraFlow(i))));
// Public /24s far from the VNet, the VPN range and the admin block.
const blocked = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `${a}.${b}.0.0/24`),
  { maxLength: 5 },
);

const TARGET_TIER: Partial<Record<Role, Tier>> = { edge: "dmz", bastion: "dmz", "vpn-server": "dmz", app: "app", data: "data", mgmt: "mgmt" };

describe("planNsgRules properties", () => {
  it("gives every NSG unique priorities within 100-4096 in ascending order, names and descriptions Azure accepts, and passes its own plan check", () => {
    fc.assert(
      fc.property(extraFlows, blocked, (flows, blockedCidrs) => {
        const plan = planNsgRules(input({ flows: [...FLOWS, ...flows], blockedCidrs }));
        assert.deepEqual(checkNsgPlan(plan), []);
        for (const tier of TIERS) {
          const priorities = plan[tier].map((r) => r.priority);
          assert.equal(new Set(priorities).size, priorities.length);
          assert.deepEqual(priorities, [...priorities].sort((a, b) => a - b));
          assert.ok(priorities.every((p) => p >= 100 && p <= 4096));
          const names = plan[tier].map((r) => r.name);
          assert.equal(new Set(names).size, names.length);
          // Azure's limits: names of 1-80 word characters, dots and hyphens; descriptions of 140.
          for (const r of plan[tier]) {
            assert.match(r.name, /^\w[\w.-]{0,78}\w$/);
            assert.ok(r.description.length <= 140, r.name);
          }
        }
      }),
    );
  });

  it("ends every NSG's inbound rules with the deny-all, ahead of Azure's AllowVnetInBound", () => {
    fc.assert(
      fc.property(extraFlows, blocked, (flows, blockedCidrs) => {
        const plan = planNsgRules(input({ flows: [...FLOWS, ...flows], blockedCidrs }));
        for (const tier of TIERS) {
          const last = plan[tier].filter((r) => r.direction === "Inbound").at(-1);
          assert.equal(last?.name, "deny-in-all");
          assert.equal(last.priority, NSG_PRIORITY.denyAllInbound);
          assert.ok(last.priority < AZURE_ALLOW_VNET_INBOUND_PRIORITY);
          assert.deepEqual([last.access, last.protocol, last.sources, last.destinations, last.ports], ["Deny", "*", ["*"], ["*"], ["*"]]);
        }
      }),
    );
  });

  it("puts the blocklist denies ahead of every other rule in every NSG when something is blocked", () => {
    fc.assert(
      fc.property(extraFlows, blocked.filter((b) => b.length > 0), (flows, blockedCidrs) => {
        const plan = planNsgRules(input({ flows: [...FLOWS, ...flows], blockedCidrs }));
        for (const tier of TIERS) {
          const [first, second, ...rest] = plan[tier];
          assert.deepEqual([first?.name, second?.name], ["deny-in-blocklist", "deny-out-blocklist"]);
          assert.deepEqual(first?.sources, blockedCidrs);
          assert.deepEqual(second?.destinations, blockedCidrs);
          assert.ok(rest.every((r) => r.priority > (second?.priority ?? 0)));
        }
      }),
    );
  });

  it("is deterministic: the same input gives the same rules", () => {
    fc.assert(
      fc.property(extraFlows, blocked, (flows, blockedCidrs) => {
        const a = planNsgRules(input({ flows: [...FLOWS, ...flows], blockedCidrs }));
        const b = planNsgRules(input({ flows: [...FLOWS, ...flows], blockedCidrs: [...blockedCidrs] }));
        assert.deepEqual(a, b);
      }),
    );
  });

  it("keeps the zone flows' priorities when extra flows are appended", () => {
    fc.assert(
      fc.property(extraFlows, (flows) => {
        const base = planNsgRules(input());
        const more = planNsgRules(input({ flows: [...FLOWS, ...flows] }));
        for (const tier of TIERS) {
          for (const rule of base[tier]) {
            assert.equal(more[tier].find((r) => r.name === rule.name)?.priority, rule.priority, `${tier} ${rule.name}`);
          }
        }
      }),
    );
  });

  it("writes one inbound allow per flow into its target tier, with only that tier's block as destination", () => {
    fc.assert(
      fc.property(extraFlows, (flows) => {
        const plan = planNsgRules(input({ flows: [...FLOWS, ...flows] }));
        for (const flow of flows) {
          const target = TARGET_TIER[flow.to];
          assert.ok(target !== undefined);
          const rules = TIERS.flatMap((t) => plan[t].filter((r) => r.name === `allow-in-${flow.id}`).map((r) => [t, r] as const));
          assert.equal(rules.length, 1);
          assert.equal(rules[0]?.[0], target);
          assert.deepEqual(rules[0]?.[1].destinations, [TIER_CIDRS[target]]);
        }
      }),
    );
  });
});
