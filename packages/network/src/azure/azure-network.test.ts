import { strict as assert } from "node:assert";
import { TIERS, ValidationError, type Tier } from "@pfv5/zones";
import { recorded, type RecordedResource } from "../../../../test/setup/mocks";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AzureNetwork, type AzureNetworkArgs } from "./azure-network";

const T = {
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nat: "azure-native:network:NatGateway",
  ip: "azure-native:network:PublicIPAddress",
} as const;

function one(prefix: string, type: string, name?: string): RecordedResource {
  const found = resourcesNamed(prefix, type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `exactly one ${type} ${name ?? ""} under ${prefix}`);
  return found[0] as RecordedResource;
}

/** The value at `path` inside `value`, or undefined. */
function pick(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function field(r: RecordedResource, ...path: string[]): unknown {
  return pick(r.inputs, ...path);
}

interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly destinationAddressPrefix?: string;
}

function rulesOf(nsg: RecordedResource): Rule[] {
  const rules = field(nsg, "securityRules");
  assert.ok(Array.isArray(rules));
  return rules.map((r: unknown) => {
    const o = typeof r === "object" && r !== null ? (r as Record<string, unknown>) : {};
    const dest = o["destinationAddressPrefix"];
    return {
      name: String(o["name"]),
      priority: Number(o["priority"]),
      direction: String(o["direction"]),
      access: String(o["access"]),
      ...(typeof dest === "string" ? { destinationAddressPrefix: dest } : {}),
    };
  });
}

/** The recorded NSG whose `pfv5:tier` tag names the tier. */
function nsgTagged(prefix: string, tier: Tier): RecordedResource {
  const found = resourcesNamed(prefix, T.nsg).filter((r) => field(r, "tags", "pfv5:tier") === tier);
  assert.equal(found.length, 1, `one NSG tagged ${tier}`);
  return found[0] as RecordedResource;
}

describe("AzureNetwork", () => {
  const prefix = "aznet-unit";
  const tags = { environment: "test", owner: "platform" };
  let net: AzureNetwork;
  const subnet = (tier: Tier): RecordedResource => one(prefix, T.subnet, `${prefix}-${tier}`);

  before(async () => {
    net = new AzureNetwork(prefix, {
      location: "westeurope",
      adminCidrs: ["203.0.113.0/24"],
      blockedCidrs: ["198.51.100.0/24"],
      natZone: "2",
      tags,
    });
    await valueOf(net.subnetIds.data);
    await valueOf(net.natPublicIpAddress);
  });

  it("creates a resource group in the region, tagged, and deploys everything into it", async () => {
    const rg = one(prefix, T.rg);
    assert.equal(rg.name, `${prefix}-rg`);
    assert.deepEqual(rg.inputs, { location: "westeurope", tags });
    assert.equal(await valueOf(net.resourceGroupName), `${prefix}-rg`);
    for (const type of [T.vnet, T.subnet, T.nsg, T.nat, T.ip]) {
      for (const r of resourcesNamed(prefix, type)) assert.equal(r.inputs["resourceGroupName"], `${prefix}-rg`, r.name);
    }
  });

  it("gives the VNet its address space and never a subnets input", () => {
    const vnet = one(prefix, T.vnet);
    assert.deepEqual(vnet.inputs, {
      resourceGroupName: `${prefix}-rg`,
      location: "westeurope",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      // The SDK's defaults for these two.
      enableDdosProtection: false,
      enableVmProtection: false,
      tags,
    });
    assert.equal("subnets" in vnet.inputs, false);
  });

  it("creates one Subnet resource per tier with the plan's block, in that VNet", () => {
    assert.equal(resourcesNamed(prefix, T.subnet).length, 4);
    const cidrs = { dmz: "10.0.1.0/24", app: "10.0.10.0/24", data: "10.0.20.0/24", mgmt: "10.0.30.0/24" };
    for (const tier of TIERS) {
      assert.equal(subnet(tier).inputs["addressPrefix"], cidrs[tier], tier);
      assert.equal(subnet(tier).inputs["virtualNetworkName"], `${prefix}-vnet`, tier);
    }
    assert.deepEqual(net.subnetCidrs, cidrs);
    assert.equal(net.vnetCidr, "10.0.0.0/16");
  });

  it("gives each subnet the NSG tagged with its own tier", async () => {
    const ids = new Set<unknown>();
    for (const tier of TIERS) {
      const nsg = nsgTagged(prefix, tier);
      assert.equal(field(subnet(tier), "networkSecurityGroup", "id"), nsg.id, tier);
      assert.equal(await valueOf(net.nsgIds[tier]), nsg.id, tier);
      ids.add(field(subnet(tier), "networkSecurityGroup", "id"));
    }
    assert.equal(ids.size, 4);
  });

  it("sends app and mgmt egress through the NAT gateway and gives the data and DMZ subnets none", () => {
    const nat = one(prefix, T.nat);
    assert.deepEqual(field(subnet("app"), "natGateway"), { id: nat.id });
    assert.deepEqual(field(subnet("mgmt"), "natGateway"), { id: nat.id });
    assert.equal("natGateway" in subnet("data").inputs, false);
    assert.equal("natGateway" in subnet("dmz").inputs, false);
  });

  it("puts the Sql and Storage service endpoints on the data subnet only", () => {
    assert.deepEqual(field(subnet("data"), "serviceEndpoints"), [{ service: "Microsoft.Sql" }, { service: "Microsoft.Storage" }]);
    for (const tier of ["dmz", "app", "mgmt"] as const) assert.equal("serviceEndpoints" in subnet(tier).inputs, false, tier);
  });

  it("turns default outbound access off and applies NSGs to private endpoints on every subnet", () => {
    for (const tier of TIERS) {
      assert.equal(subnet(tier).inputs["defaultOutboundAccess"], false, tier);
      assert.equal(subnet(tier).inputs["privateEndpointNetworkPolicies"], "NetworkSecurityGroupEnabled", tier);
    }
  });

  it("creates a Standard NAT gateway with a Standard static public IP, both in the zone given", async () => {
    const ip = one(prefix, T.ip);
    const nat = one(prefix, T.nat);
    assert.deepEqual(ip.inputs, {
      resourceGroupName: `${prefix}-rg`,
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      zones: ["2"],
      tags,
    });
    assert.deepEqual(nat.inputs, {
      resourceGroupName: `${prefix}-rg`,
      location: "westeurope",
      sku: { name: "Standard" },
      publicIpAddresses: [{ id: ip.id }],
      idleTimeoutInMinutes: 4,
      zones: ["2"],
      tags,
    });
    assert.equal(await valueOf(net.natGatewayId), nat.id);
    assert.equal(await valueOf(net.natPublicIpId), ip.id);
    assert.equal(await valueOf(net.natPublicIpAddress), "198.51.100.20");
  });

  it("ends every NSG's inbound rules with the deny-all and starts every NSG with the blocklist", () => {
    for (const tier of TIERS) {
      const rules = rulesOf(nsgTagged(prefix, tier)).sort((a, b) => a.priority - b.priority);
      const inbound = rules.filter((r) => r.direction === "Inbound");
      assert.deepEqual([inbound.at(-1)?.name, inbound.at(-1)?.access, inbound.at(-1)?.priority], ["deny-in-all", "Deny", 4096], tier);
      assert.deepEqual(rules.slice(0, 2).map((r) => r.name), ["deny-in-blocklist", "deny-out-blocklist"], tier);
    }
  });

  it("denies the data NSG Internet outbound", () => {
    const deny = rulesOf(nsgTagged(prefix, "data")).filter((r) => r.direction === "Outbound" && r.destinationAddressPrefix === "Internet");
    assert.deepEqual(deny.map((r) => [r.access, r.priority]), [["Deny", 4094]]);
  });

  it("nests the NSGs under a firewall component named after the network", () => {
    assert.equal(resourcesNamed(prefix, "pfv5:firewall:AzureZoneFirewall").map((r) => r.name).join(), `${prefix}-nsg`);
    assert.deepEqual(resourcesNamed(prefix, T.nsg).map((r) => r.name).sort(), TIERS.map((t) => `${prefix}-nsg-${t}`).sort());
  });
});

describe("AzureNetwork in an existing resource group, without a NAT zone", () => {
  const prefix = "aznet-adopt";
  before(async () => {
    const net = new AzureNetwork(prefix, { location: "northeurope", resourceGroupName: "shared-network-rg" });
    await valueOf(net.subnetIds.data);
    assert.equal(await valueOf(net.resourceGroupName), "shared-network-rg");
  });

  it("creates no resource group and puts every resource into the one given", () => {
    assert.equal(resourcesNamed(prefix, T.rg).length, 0);
    for (const type of [T.vnet, T.subnet, T.nsg, T.nat, T.ip]) {
      const found = resourcesNamed(prefix, type);
      assert.ok(found.length > 0, type);
      for (const r of found) assert.equal(r.inputs["resourceGroupName"], "shared-network-rg", r.name);
    }
  });

  it("leaves the NAT gateway and its public IP without zones", () => {
    assert.equal("zones" in one(prefix, T.nat).inputs, false);
    assert.equal("zones" in one(prefix, T.ip).inputs, false);
  });
});

describe("AzureNetwork with a custom address plan", () => {
  const prefix = "aznet-plan";
  const addressPlan = {
    cidr: "172.20.0.0/16",
    subnets: { dmz: ["172.20.0.0/24"], app: ["172.20.4.0/22"], data: ["172.20.8.0/24"], mgmt: ["172.20.9.0/24"] },
  };
  before(async () => {
    const net = new AzureNetwork(prefix, { location: "westeurope", addressPlan });
    await valueOf(net.subnetIds.data);
  });

  it("lays the subnets and the NSG rules out on that plan", () => {
    assert.equal(field(one(prefix, T.subnet, `${prefix}-app`), "addressPrefix"), "172.20.4.0/22");
    const appRules = field(nsgTagged(prefix, "app"), "securityRules");
    assert.ok(Array.isArray(appRules));
    const edge: unknown = appRules.find((r: unknown) => pick(r, "name") === "allow-in-edge-app-http");
    assert.deepEqual([pick(edge, "sourceAddressPrefix"), pick(edge, "destinationAddressPrefix")], ["172.20.0.0/24", "172.20.4.0/22"]);
  });
});

describe("AzureNetwork with bad config", () => {
  const bad = async (args: AzureNetworkArgs): Promise<ValidationError> => {
    await settle();
    const before = recorded.length;
    let error: unknown;
    try {
      new AzureNetwork(`aznet-bad-${before}`, args);
    } catch (e) {
      error = e;
    }
    await settle();
    assert.equal(recorded.length, before, "nothing may be registered");
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  };

  it("throws one error listing every problem, each under the key the user wrote, and registers nothing", async () => {
    const error = await bad({
      location: "",
      addressPlan: {
        cidr: "10.0.0.0/16",
        subnets: { dmz: ["10.0.1.0/24"], app: ["10.0.1.128/25"], data: ["10.1.20.0/24"], mgmt: ["nope"] },
      },
      adminCidrs: ["0.0.0.0/0"],
      blockedCidrs: ["10.0.0.0/12"],
      natZone: "4",
      natIdleTimeoutMinutes: 2,
      tags: { "pfv5:tier": "x" },
    });
    assert.deepEqual(
      error.problems.map((p) => p.key),
      [
        "location",
        "natZone",
        "natIdleTimeoutMinutes",
        'tags["pfv5:tier"]',
        "addressPlan.subnets.app[0]",
        "addressPlan.subnets.mgmt[0]",
        "addressPlan.subnets.data[0]",
        "adminCidrs[0]",
        "blockedCidrs[0]",
      ],
    );
    assert.match(error.message, /^AzureNetwork "aznet-bad-\d+": 9 problems\n/);
    assert.match(error.message, /addressPlan\.subnets\.app\[0\] = "10\.0\.1\.128\/25": overlaps addressPlan\.subnets\.dmz\[0\] \(10\.0\.1\.0\/24\): choose disjoint blocks/);
    assert.match(error.message, /addressPlan\.subnets\.data\[0\] = "10\.1\.20\.0\/24": lies outside the network block 10\.0\.0\.0\/16/);
    assert.match(error.message, /addressPlan\.subnets\.mgmt\[0\] = "nope": not a valid CIDR block/);
    assert.match(error.message, /blockedCidrs\[0\] = "10\.0\.0\.0\/12": overlaps the VNet 10\.0\.0\.0\/16/);
  });

  it("refuses more than one block per tier", async () => {
    const error = await bad({
      location: "westeurope",
      addressPlan: { cidr: "10.0.0.0/16", subnets: { dmz: ["10.0.1.0/24", "10.0.2.0/24"], app: ["10.0.10.0/24"], data: ["10.0.20.0/24"], mgmt: ["10.0.30.0/24"] } },
    });
    assert.deepEqual(error.problems.map((p) => p.key), ["addressPlan.subnets.dmz"]);
    assert.match(error.message, /each tier takes exactly one block/);
  });

  it("rejects a bad flow spec, naming the flow", async () => {
    const error = await bad({
      location: "westeurope",
      extraFlows: [{ id: "open-data", from: "internet", to: "data", protocol: "tcp", ports: [{ from: 5432, to: 5432 }], reason: "never" }],
    });
    assert.deepEqual(error.problems.map((p) => p.key), ["extraFlows[0].to"]);
    assert.match(error.message, /flow "open-data": internet ingress may only reach the DMZ/);
  });

  it("names the address plan, not the firewall's args, when a plan block is IPv6", async () => {
    const error = await bad({
      location: "westeurope",
      addressPlan: { cidr: "fd00::/48", subnets: { dmz: ["fd00::/64"], app: ["fd00:0:0:1::/64"], data: ["fd00:0:0:2::/64"], mgmt: ["fd00:0:0:3::/64"] } },
    });
    assert.ok(error.problems.length > 0);
    for (const p of error.problems) assert.match(p.key, /^addressPlan\./);
  });
});
