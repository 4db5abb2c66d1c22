import * as assert from "node:assert/strict";
import { AZURE_TYPES as T, azureModelFromResources } from "./azure";
import { UNKNOWN_VALUES, type StackResource } from "./resources";

const U = UNKNOWN_VALUES[0] ?? "";
const urn = (type: string, name: string): string => `urn:pulumi:s::p::${type}::${name}`;
const res = (type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): StackResource => ({ urn: urn(type, name), type, name, props, propertyDependencies });

const VNET = res(T.virtualNetwork, "vnet", { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
const rule = (name: string, priority: number, extra: Record<string, unknown> = {}) => ({ name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "10.0.10.0/24", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "5432", ...extra });
const nsg = (name: string, tier: string | undefined, rules: unknown[]) => res(T.nsg, name, { securityRules: rules, ...(tier !== undefined ? { tags: { "pfv5:tier": tier } } : {}) });
const subnet = (name: string, cidr: string, n: StackResource | undefined, extra: Record<string, unknown> = {}, deps: Record<string, string[]> = {}) =>
  res(T.subnet, name, { addressPrefix: cidr, ...(n !== undefined ? { networkSecurityGroup: { id: U } } : {}), ...extra }, { ...(n !== undefined ? { networkSecurityGroup: [n.urn] } : {}), ...deps });

describe("the Azure adapter", () => {
  it("gives each subnet its NSG through property dependencies and its zone from the NSG's tier tag", () => {
    const data = nsg("nsg-data", "data", [rule("db", 1000)]);
    const { model, problems } = azureModelFromResources([VNET, data, subnet("pfv5-x", "10.0.20.0/24", data, { defaultOutboundAccess: false })]);
    assert.deepEqual(problems, []);
    assert.deepEqual(model.subnets.map((s) => [s.nsgId, s.natGateway, s.defaultOutboundAccess]), [[data.urn, false, false]]);
    assert.deepEqual(model.workloads.map((w) => [w.zone, w.public]), [["data", false]]);
    assert.deepEqual(model.nsgs[0]?.rules.map((r) => [r.priority, r.direction, r.allow, r.sources, r.traffic.ports]), [[1000, "Inbound", true, [{ kind: "cidr", block: "10.0.10.0/24" }], [{ from: 5432, to: 5432 }]]]);
  });

  it("takes the zone from the subnet's name when its NSG has no tier tag, treats the DMZ as public, and counts unset default outbound access as on", () => {
    const { model } = azureModelFromResources([VNET, subnet("pfv5-dev-dmz", "10.0.1.0/24", undefined), subnet("pfv5-dev-app", "10.0.10.0/24", undefined)]);
    assert.deepEqual(model.workloads.map((w) => [w.zone, w.public]), [["dmz", true], ["app", false]]);
    assert.deepEqual(model.subnets.map((s) => s.defaultOutboundAccess), [true, true]);
  });

  it("adds SecurityRule resources to the NSG they name, and reads a NAT gateway and service endpoints on a subnet", () => {
    const data = nsg("nsg-data", "data", []);
    const extra = res(T.securityRule, "ssh", { networkSecurityGroupName: U, ...rule("ssh", 150, { destinationPortRange: "22" }) }, { networkSecurityGroupName: [data.urn] });
    const nat = res(T.natGateway, "nat", {});
    const s = subnet("pfv5-x", "10.0.20.0/24", data, { natGateway: { id: U }, serviceEndpoints: [{ service: "Microsoft.Storage" }] }, { natGateway: [nat.urn] });
    const { model, problems } = azureModelFromResources([VNET, data, extra, nat, s]);
    assert.deepEqual(problems, []);
    assert.deepEqual(model.nsgs[0]?.rules.map((r) => r.ref.label), ['azure-native.network.SecurityRule "ssh" (inbound, priority 150)']);
    assert.deepEqual(model.subnets.map((x) => [x.natGateway, x.serviceEndpoints]), [[true, ["Microsoft.Storage"]]]);
  });

  it("reports what it cannot decide: a route table, application security groups, a bad port range, a subnet of no zone", () => {
    const app = nsg("nsg-app", "app", [rule("asg", 1000, { sourceApplicationSecurityGroups: [{ id: "asg-1" }] }), rule("bad", 1010, { destinationPortRange: "22-" })]);
    const { problems } = azureModelFromResources([VNET, app, subnet("x-app", "10.0.10.0/24", app, { routeTable: { id: U } }), subnet("plain", "10.0.40.0/24", undefined)]);
    assert.deepEqual(problems.map((p) => p.message), [
      'azure-native.network.NetworkSecurityGroup "nsg-app": securityRules "asg": sourceApplicationSecurityGroups are not analyzed (their members are NICs the matrix does not place); name address prefixes',
      'azure-native.network.NetworkSecurityGroup "nsg-app": securityRules "bad": port range "22-" is not *, a port or a range such as 8000-9000',
      'azure-native.network.Subnet "x-app": routeTable: user-defined routes are not analyzed, so where this subnet\'s traffic goes is not known to the matrix',
      'azure-native.network.Subnet "plain": neither its NSG\'s pfv5:tier tag nor its name says which zone it belongs to',
    ]);
  });
});
