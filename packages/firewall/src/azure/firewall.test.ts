import { strict as assert } from "node:assert";
import { ValidationError, TIERS } from "@pfv5/zones";
import type { Tier } from "@pfv5/zones";
import { recorded, type RecordedResource } from "../../../../test/setup/mocks";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AzureZoneFirewall } from "./firewall";
import type { AzureZoneFirewallArgs } from "./firewall";

const NSG = "azure-native:network:NetworkSecurityGroup";

const TIER_CIDRS: Record<Tier, string> = {
  dmz: "10.0.1.0/24",
  app: "10.0.10.0/24",
  data: "10.0.20.0/24",
  mgmt: "10.0.30.0/24",
};

const ARGS: AzureZoneFirewallArgs = {
  resourceGroupName: "rg-fw",
  location: "westeurope",
  tierCidrs: TIER_CIDRS,
  vnetCidr: "10.0.0.0/16",
  adminCidrs: ["203.0.113.0/24"],
  blockedCidrs: ["198.51.100.0/24", "192.0.2.0/24"],
  tags: { environment: "test" },
};

/** The inline rules as the engine received them. */
interface RecordedRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: readonly string[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: readonly string[];
}

function rulesOf(nsg: RecordedResource): RecordedRule[] {
  const rules = nsg.inputs["securityRules"];
  assert.ok(Array.isArray(rules), `${nsg.name} has no inline securityRules`);
  return rules.map((r: unknown): RecordedRule => {
    assert.ok(typeof r === "object" && r !== null);
    const o = r as Record<string, unknown>;
    const text = (k: string): string | undefined => (typeof o[k] === "string" ? o[k] : undefined);
    const list = (k: string): readonly string[] | undefined => (Array.isArray(o[k]) ? o[k].map(String) : undefined);
    const rule = {
      name: String(o["name"]),
      priority: Number(o["priority"]),
      direction: String(o["direction"]),
      access: String(o["access"]),
      protocol: String(o["protocol"]),
    };
    const optional = {
      sourceAddressPrefix: text("sourceAddressPrefix"),
      sourceAddressPrefixes: list("sourceAddressPrefixes"),
      destinationAddressPrefix: text("destinationAddressPrefix"),
      destinationAddressPrefixes: list("destinationAddressPrefixes"),
      destinationPortRange: text("destinationPortRange"),
      destinationPortRanges: list("destinationPortRanges"),
    };
    return { ...rule, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
  });
}

describe("AzureZoneFirewall", () => {
  const prefix = "azfw-unit";
  let fw: AzureZoneFirewall;
  let nsgs: Record<Tier, RecordedResource>;

  before(async () => {
    fw = new AzureZoneFirewall(prefix, ARGS);
    await valueOf(fw.nsgIds.data);
    const byTier = (tier: Tier): RecordedResource => {
      const found = resourcesNamed(prefix, NSG).filter((r) => r.name === `${prefix}-${tier}`);
      assert.equal(found.length, 1, `one NSG for ${tier}`);
      return found[0] as RecordedResource;
    };
    nsgs = { dmz: byTier("dmz"), app: byTier("app"), mgmt: byTier("mgmt"), data: byTier("data") };
  });

  it("creates exactly one NSG per tier, tagged with its tier, in the resource group and region given", () => {
    assert.equal(resourcesNamed(prefix, NSG).length, 4);
    for (const tier of TIERS) {
      const nsg = nsgs[tier];
      assert.deepEqual(nsg.inputs["tags"], { environment: "test", "pfv5:tier": tier });
      assert.equal(nsg.inputs["resourceGroupName"], "rg-fw");
      assert.equal(nsg.inputs["location"], "westeurope");
    }
  });

  it("keeps every rule inline and creates no separate SecurityRule resources", () => {
    assert.equal(resourcesNamed(prefix, "azure-native:network:SecurityRule").length, 0);
    for (const tier of TIERS) assert.ok(rulesOf(nsgs[tier]).length > 0, tier);
  });

  it("exposes each tier's NSG id and name", async () => {
    for (const tier of TIERS) {
      assert.equal(await valueOf(fw.nsgIds[tier]), nsgs[tier].id);
      assert.equal(await valueOf(fw.nsgNames[tier]), `${prefix}-${tier}`);
    }
  });

  it("ends every NSG's custom inbound rules with a deny-all that takes effect before Azure's AllowVnetInBound (65000)", () => {
    for (const tier of TIERS) {
      const inbound = rulesOf(nsgs[tier])
        .filter((r) => r.direction === "Inbound")
        .sort((a, b) => a.priority - b.priority);
      const last = inbound.at(-1);
      assert.deepEqual(last, {
        name: "deny-in-all",
        priority: 4096,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      });
      assert.ok(last.priority < 65000);
    }
  });

  it("allows the app tier tcp 3000 from the DMZ only, not every port, plus agents, metrics and SSH from the DMZ and the VPN", () => {
    const allows = rulesOf(nsgs.app).filter((r) => r.direction === "Inbound" && r.access === "Allow");
    assert.deepEqual(
      allows.map((r) => [r.protocol, r.sourceAddressPrefix, r.destinationAddressPrefix, r.destinationPortRange ?? r.destinationPortRanges]),
      [
        ["Tcp", "10.0.1.0/24", "10.0.10.0/24", "3000"],
        ["Tcp", "10.0.10.0/24", "10.0.10.0/24", "8000-9000"],
        ["Tcp", "10.0.30.0/24", "10.0.10.0/24", ["9090", "9100"]],
        ["Tcp", "10.0.1.0/24", "10.0.10.0/24", "22"],
        ["Tcp", "10.100.0.0/24", "10.0.10.0/24", "22"],
      ],
    );
    for (const r of allows) assert.notEqual(r.destinationPortRange, "*", r.name);
  });

  it("gives no NSG two rules with the same priority in the same direction, nor two with the same name", () => {
    for (const tier of TIERS) {
      const rules = rulesOf(nsgs[tier]);
      assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length, tier);
      assert.equal(new Set(rules.map((r) => r.name)).size, rules.length, tier);
    }
  });

  it("denies the data tier Internet outbound and everything outbound but the VNet and its service tags", () => {
    const outbound = rulesOf(nsgs.data).filter((r) => r.direction === "Outbound");
    assert.deepEqual(
      outbound.map((r) => [r.priority, r.access, r.destinationAddressPrefix ?? r.destinationAddressPrefixes]),
      [
        [101, "Deny", ["198.51.100.0/24", "192.0.2.0/24"]],
        [600, "Allow", "10.0.0.0/16"],
        [610, "Allow", "Sql"],
        [620, "Allow", "Storage"],
        [4094, "Deny", "Internet"],
        [4095, "Deny", "*"],
      ],
    );
  });

  it("puts the blocklist denies, inbound and outbound, ahead of every other rule in every NSG", () => {
    for (const tier of TIERS) {
      const rules = rulesOf(nsgs[tier]).sort((a, b) => a.priority - b.priority);
      assert.deepEqual(rules.slice(0, 2), [
        {
          name: "deny-in-blocklist",
          priority: 100,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourceAddressPrefixes: ["198.51.100.0/24", "192.0.2.0/24"],
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
        {
          name: "deny-out-blocklist",
          priority: 101,
          direction: "Outbound",
          access: "Deny",
          protocol: "*",
          sourceAddressPrefix: "*",
          destinationAddressPrefixes: ["198.51.100.0/24", "192.0.2.0/24"],
          destinationPortRange: "*",
        },
      ]);
    }
  });

  it("lets Azure Load Balancer probes reach the DMZ edge ports only", () => {
    const probes = TIERS.flatMap((t) => rulesOf(nsgs[t]).filter((r) => r.sourceAddressPrefix === "AzureLoadBalancer").map((r) => [t, r.destinationPortRanges]));
    assert.deepEqual(probes, [["dmz", ["80", "443"]]]);
  });

  it("allows the internet into the DMZ only", () => {
    for (const tier of TIERS) {
      const fromInternet = rulesOf(nsgs[tier]).filter((r) => r.access === "Allow" && r.sourceAddressPrefix === "Internet");
      assert.equal(fromInternet.length, tier === "dmz" ? 2 : 0, tier);
    }
  });
});

describe("AzureZoneFirewall with bad specs", () => {
  const cases: [string, Partial<AzureZoneFirewallArgs>, RegExp][] = [
    ["protocol all with ports", { extraFlows: [{ id: "bad-all", from: "app", to: "app", protocol: "all", ports: [{ from: 80, to: 80 }], reason: "x" }] }, /extraFlows\[0\]\.ports = .*flow "bad-all": protocol all matches every port/],
    ["a from-port above the to-port", { extraFlows: [{ id: "bad-range", from: "app", to: "app", protocol: "tcp", ports: [{ from: 9000, to: 8000 }], reason: "x" }] }, /flow "bad-range": from-port 9000 is above to-port 8000/],
    ["a port outside 0-65535", { extraFlows: [{ id: "bad-port", from: "app", to: "app", protocol: "udp", ports: [{ from: 1, to: 65536 }], reason: "x" }] }, /flow "bad-port": a port must be a whole number from 0 to 65535/],
    ["a bad CIDR", { extraFlows: [{ id: "bad-cidr", from: { cidrs: ["300.1.2.0/24"] }, to: "edge", protocol: "tcp", ports: [{ from: 443, to: 443 }], reason: "x" }] }, /flow "bad-cidr": not a valid CIDR block/],
    ["internet ingress to the app tier", { extraFlows: [{ id: "bad-ingress", from: "internet", to: "app", protocol: "tcp", ports: [{ from: 3000, to: 3000 }], reason: "x" }] }, /flow "bad-ingress": internet ingress may only reach the DMZ/],
    ["a blocked CIDR covering the VNet", { blockedCidrs: ["10.0.0.0/12"] }, /blockedCidrs\[0\] = "10.0.0.0\/12": overlaps the VNet/],
    ["a blocked CIDR overlapping the administrators", { blockedCidrs: ["203.0.113.0/24"] }, /blockedCidrs\[0\] = "203.0.113.0\/24": overlaps the administrator block/],
  ];
  for (const [what, overrides, message] of cases) {
    it(`rejects ${what} with a named error and registers nothing`, async () => {
      await settle();
      const before = recorded.length;
      assert.throws(
        () => new AzureZoneFirewall(`azfw-bad-${before}`, { ...ARGS, ...overrides }),
        (e: unknown) => e instanceof ValidationError && message.test(e.message) && /^AzureZoneFirewall "azfw-bad-\d+": 1 problem\n/.test(e.message),
      );
      await settle();
      assert.equal(recorded.length, before);
    });
  }
});
