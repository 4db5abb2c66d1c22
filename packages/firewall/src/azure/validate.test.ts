import { strict as assert } from "node:assert";
import { formatProblem } from "@pfv5/zones";
import type { Tier } from "@pfv5/zones";
import { checkAzureZoneFirewall } from "./firewall";
import type { AzureZoneFirewallArgs } from "./firewall";
import type { AzureFlow } from "./model";

const TIER_CIDRS: Record<Tier, string> = {
  dmz: "10.0.1.0/24",
  app: "10.0.10.0/24",
  data: "10.0.20.0/24",
  mgmt: "10.0.30.0/24",
};

function args(overrides: Partial<AzureZoneFirewallArgs> = {}): AzureZoneFirewallArgs {
  return {
    resourceGroupName: "rg",
    location: "westeurope",
    tierCidrs: TIER_CIDRS,
    vnetCidr: "10.0.0.0/16",
    adminCidrs: ["203.0.113.0/24"],
    ...overrides,
  };
}

function problemsOf(a: AzureZoneFirewallArgs): string[] {
  return checkAzureZoneFirewall(a).problems.map(formatProblem);
}

const flow = (overrides: Partial<AzureFlow>): AzureFlow => ({
  id: "partner-web",
  from: "app",
  to: "app",
  protocol: "tcp",
  ports: [{ from: 443, to: 443 }],
  reason: "a test flow",
  ...overrides,
});

describe("checkAzureZoneFirewall", () => {
  it("accepts the zone flows with the default plan and returns their rules", () => {
    const result = checkAzureZoneFirewall(args());
    assert.deepEqual(result.problems, []);
    assert.equal(result.plan?.app.length, 6);
  });

  // Each bad spec, the key it must name and what the message must say.
  const badFlows: [string, AzureFlow, string, RegExp][] = [
    ["protocol all with ports", flow({ protocol: "all", ports: [{ from: 22, to: 22 }] }), "extraFlows[0].ports", /flow "partner-web": protocol all matches every port/],
    ["a from-port above its to-port", flow({ ports: [{ from: 9000, to: 8000 }] }), "extraFlows[0].ports[0]", /flow "partner-web": from-port 9000 is above to-port 8000: swap them/],
    ["a port above 65535", flow({ ports: [{ from: 443, to: 70000 }] }), "extraFlows[0].ports[0].to", /flow "partner-web": a port must be a whole number from 0 to 65535/],
    ["a negative port", flow({ ports: [{ from: -1, to: 80 }] }), "extraFlows[0].ports[0].from", /flow "partner-web": a port must be a whole number/],
    ["a fractional port", flow({ ports: [{ from: 80.5, to: 81 }] }), "extraFlows[0].ports[0].from", /flow "partner-web": a port must be a whole number/],
    ["tcp with no ports", flow({ ports: [] }), "extraFlows[0].ports", /flow "partner-web": protocol tcp needs at least one port range/],
    ["a bad source CIDR", flow({ from: { cidrs: ["198.51.100.0/33"] }, to: "edge" }), "extraFlows[0].from.cidrs[0]", /flow "partner-web": not a valid CIDR block/],
    ["a source CIDR with host bits", flow({ from: { cidrs: ["198.51.100.7/24"] }, to: "edge" }), "extraFlows[0].from.cidrs[0]", /host bits are set/],
    ["internet ingress to the app tier", flow({ from: "internet", to: "app" }), "extraFlows[0].to", /flow "partner-web": internet ingress may only reach the DMZ/],
    ["a public CIDR reaching the data tier", flow({ from: { cidrs: ["198.51.100.0/24"] }, to: "data", ports: [{ from: 5432, to: 5432 }] }), "extraFlows[0].to", /internet ingress may only reach the DMZ/],
    ["administrators straight into the mgmt tier", flow({ from: "admins", to: "mgmt", ports: [{ from: 22, to: 22 }] }), "extraFlows[0].to", /internet ingress may only reach the DMZ/],
    ["SSH from the internet to the edge", flow({ from: "internet", to: "edge", ports: [{ from: 20, to: 25 }] }), "extraFlows[0].ports", /SSH and RDP must never be open to the internet/],
    ["data egress to the internet", flow({ from: "data", to: "internet", protocol: "all", ports: [] }), "extraFlows[0].to", /the data zone has no internet egress/],
    ["a flow to the VPN clients", flow({ to: "vpn-clients" }), "extraFlows[0].to", /no subnet NSG can enforce a flow to vpn-clients/],
    ["an id that is not a rule name", flow({ id: "Partner Web" }), "extraFlows[0].id", /lower-case letters, digits and inner hyphens/],
    ["an id the zone flows already use", flow({ id: "edge-app-http" }), "extraFlows[0].id", /flow id "edge-app-http" is used twice/],
    ["no reason", flow({ reason: " " }), "extraFlows[0].reason", /say why the flow exists/],
  ];
  for (const [what, bad, key, message] of badFlows) {
    it(`rejects ${what}, naming the flow`, () => {
      const problems = checkAzureZoneFirewall(args({ extraFlows: [bad] })).problems;
      const found = problems.find((p) => p.key === key);
      assert.ok(found, `no problem at ${key}; got ${JSON.stringify(problems.map(formatProblem))}`);
      assert.match(found.message, message);
    });
  }

  const badBlocks: [string, string, RegExp][] = [
    ["a bad CIDR", "203.0.113.300/24", /not a valid CIDR block/],
    ["a block covering the VNet", "10.0.0.0/8", /overlaps the VNet 10.0.0.0\/16: a deny in every NSG would cut the VNet off from itself/],
    ["a block inside the VNet", "10.0.10.0/24", /overlaps the VNet 10.0.0.0\/16/],
    ["the whole internet", "0.0.0.0/0", /overlaps the VNet/],
    ["a block overlapping the administrators", "203.0.113.128/25", /overlaps the administrator block 203.0.113.0\/24 \(adminCidrs\): it would lock the operators out/],
    ["a block overlapping the VPN clients", "10.100.0.0/16", /overlaps the VPN client range 10.100.0.0\/24/],
    ["an IPv6 block", "2001:db8::/32", /is IPv6, but the VNet address space is IPv4 only/],
  ];
  for (const [what, cidr, message] of badBlocks) {
    it(`refuses to block ${what}`, () => {
      const problems = checkAzureZoneFirewall(args({ blockedCidrs: ["198.51.100.0/24", cidr] })).problems;
      assert.ok(problems.length > 0);
      for (const p of problems) assert.equal(p.key, "blockedCidrs[1]");
      assert.ok(problems.some((p) => message.test(p.message)), JSON.stringify(problems.map(formatProblem)));
    });
  }

  it("refuses a block listed twice, pointing at the first", () => {
    assert.deepEqual(problemsOf(args({ blockedCidrs: ["198.51.100.0/24", "198.51.100.0/24"] })), [
      'blockedCidrs[1] = "198.51.100.0/24": repeats blockedCidrs[0]: list each block once',
    ]);
  });

  it("refuses administrator CIDRs that open SSH to the internet, are IPv6 or overlap the VNet", () => {
    const problems = checkAzureZoneFirewall(args({ adminCidrs: ["0.0.0.0/0", "2001:db8::/48", "10.0.0.0/8"] })).problems;
    assert.deepEqual(
      problems.map((p) => p.key),
      ["adminCidrs[0]", "adminCidrs[1]", "adminCidrs[2]"],
    );
    assert.match(problems[0]?.message ?? "", /opens administrator access to a large part of the internet/);
    assert.match(problems[1]?.message ?? "", /IPv4 only/);
    assert.match(problems[2]?.message ?? "", /overlaps the VNet 10.0.0.0\/16/);
  });

  it("refuses tier blocks outside the VNet or overlapping each other, and a VPN range inside the VNet", () => {
    assert.deepEqual(
      problemsOf(args({ tierCidrs: { ...TIER_CIDRS, app: "10.1.10.0/24", data: "10.0.1.128/25" }, vpnCidr: "10.0.200.0/24" })),
      [
        'tierCidrs.app = "10.1.10.0/24": lies outside the VNet 10.0.0.0/16: choose a block inside it',
        'tierCidrs.data = "10.0.1.128/25": overlaps tierCidrs.dmz (10.0.1.0/24): choose disjoint blocks',
        "vpnCidr = \"10.0.200.0/24\": overlaps the VNet 10.0.0.0/16: VPN clients need a block outside it, or their routes collide with the subnets'",
      ],
    );
  });

  it("lists every problem at once", () => {
    const problems = checkAzureZoneFirewall(
      args({
        vnetCidr: "10.0.0.0/33",
        adminCidrs: ["0.0.0.0/0"],
        blockedCidrs: ["nope"],
        extraFlows: [flow({ protocol: "all", ports: [{ from: 1, to: 2 }] }), flow({ id: "two", from: "internet", to: "data" })],
        dataServiceEndpoints: ["Microsoft.Nothing"],
        loadBalancerProbes: { dmz: [{ from: 443, to: 80 }] },
      }),
    ).problems;
    assert.deepEqual(
      problems.map((p) => p.key),
      [
        "vnetCidr",
        "adminCidrs[0]",
        "blockedCidrs[0]",
        "extraFlows[0].ports",
        "extraFlows[1].to",
        "loadBalancerProbes.dmz[0]",
        "dataServiceEndpoints[0]",
      ],
    );
  });

  it("refuses more flows into one tier than its priority band holds", () => {
    const many = Array.from({ length: 96 }, (_, i) => flow({ id: `many-${i}` }));
    const problems = checkAzureZoneFirewall(args({ extraFlows: many })).problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.key, "extraFlows (the app NSG)");
    assert.match(problems[0]?.message ?? "", /too many inbound rules: the band 1000-1990 holds 100/);
    assert.equal(checkAzureZoneFirewall(args({ extraFlows: many.slice(0, 95) })).problems.length, 0);
  });
});

describe("checkAzureTags", () => {
  it("refuses the reserved tier tag, non-text values and keys Azure rejects", () => {
    assert.deepEqual(
      checkAzureZoneFirewall(args({ tags: { "pfv5:tier": "x", "a/b": "y", ok: "z".repeat(257) } })).problems.map(formatProblem),
      [
        'tags["pfv5:tier"] = "x": is set by the components themselves: choose another key',
        'tags["a/b"] = "y": Azure tag keys hold 1-512 characters and none of < > % & \\ ? /: rename the key',
        `tags["ok"] = "${"z".repeat(257)}": Azure tag values are text of at most 256 characters`,
      ],
    );
  });
});
