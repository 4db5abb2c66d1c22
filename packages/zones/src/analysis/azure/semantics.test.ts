/**
 * The Azure analyzer against what the Azure documentation states, one statement per case.
 */
import * as assert from "node:assert/strict";
import { formatPorts, portsOf } from "../matrix";
import { azureProtocol, ruleTraffic } from "../rules";
import { ALL_PORT_SPANS } from "../intervals";
import { AzureAnalyzer } from "./analyzer";
import type { AzureModel, AzurePrefix, AzureSecurityRule, AzureWorkload } from "./model";

const prefix = (t: string): AzurePrefix => (t === "*" ? { kind: "any" } : /^\d/.test(t) ? { kind: "cidr", block: t } : { kind: "tag", tag: t });

function rule(name: string, priority: number, direction: "Inbound" | "Outbound", allow: boolean, src: string, dst: string, proto = "Tcp", ports = ALL_PORT_SPANS): AzureSecurityRule {
  return {
    ref: { id: name, label: name, layer: "nsg" },
    priority,
    direction,
    allow,
    traffic: ruleTraffic(azureProtocol(proto) ?? { protos: [], whole: true }, ports),
    sources: [prefix(src)],
    destinations: [prefix(dst)],
    sourcePorts: ALL_PORT_SPANS,
  };
}

const p = (port: number) => [{ from: port, to: port }];

/** An app and a data subnet; `data` holds the data NSG's rules, `nic` an extra NIC-level NSG. */
function model(data: AzureSecurityRule[], opts: { nic?: AzureSecurityRule[]; app?: AzureSecurityRule[]; appOut?: Partial<{ nat: boolean; defaultOutbound: boolean; public: boolean }> } = {}): AzureModel {
  const workloads: AzureWorkload[] = [
    { zone: "app", label: "app", subnetId: "s-app", public: opts.appOut?.public ?? false },
    { zone: "data", label: "data", subnetId: "s-data", public: false, ...(opts.nic !== undefined ? { nicNsgId: "n-nic" } : {}) },
  ];
  return {
    vnetPrefixes: ["10.0.0.0/16"],
    subnets: [
      { id: "s-app", label: "s-app", prefixes: ["10.0.10.0/24"], nsgId: "n-app", natGateway: opts.appOut?.nat ?? false, defaultOutboundAccess: opts.appOut?.defaultOutbound ?? false, serviceEndpoints: [] },
      { id: "s-data", label: "s-data", prefixes: ["10.0.20.0/24"], nsgId: "n-data", natGateway: false, defaultOutboundAccess: false, serviceEndpoints: [] },
    ],
    nsgs: [
      { id: "n-app", label: "n-app", rules: opts.app ?? [] },
      { id: "n-data", label: "n-data", rules: data },
      ...(opts.nic !== undefined ? [{ id: "n-nic", label: "n-nic", rules: opts.nic }] : []),
    ],
    workloads,
  };
}

const ZONES = ["internet", "admins", "app", "data"];
const analyzer = (m: AzureModel) => new AzureAnalyzer(m, { adminCidrs: ["198.51.100.0/24"], vpnCidr: "10.100.0.0/24" }, ZONES);
const reach = (m: AzureModel, from: string, to: string): string => formatPorts(portsOf(analyzer(m).evaluate(from, to)));
const DENY_ALL = rule("deny-all", 4096, "Inbound", false, "*", "*", "*");

describe("AzureAnalyzer follows the Azure documentation", () => {
  // Default rules: AllowVNetInBound (65000) allows VirtualNetwork to VirtualNetwork on every
  // port, ... DenyAllInbound (65500). "You can't remove the default rules, but you can
  // override them by creating rules with higher priorities."
  // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
  it("lets the whole VNet in through AllowVnetInBound when an NSG has no rules of its own", () => {
    assert.equal(reach(model([]), "app", "data"), "all");
  });

  it("keeps the internet out through DenyAllInBound, and a custom deny overrides AllowVnetInBound", () => {
    assert.equal(reach(model([]), "internet", "data"), "-");
    assert.equal(reach(model([rule("db", 1000, "Inbound", true, "10.0.10.0/24", "*", "Tcp", p(5432)), DENY_ALL]), "app", "data"), "tcp 5432");
  });

  // "Rules are processed in priority order, with lower numbers processed before higher
  // numbers ... Once traffic matches a rule, processing stops." (same page, Security rules)
  it("stops at the first matching rule by priority, whatever the order they are written in", () => {
    const denyFirst = [rule("allow", 200, "Inbound", true, "VirtualNetwork", "*", "*"), rule("deny", 100, "Inbound", false, "10.0.10.0/24", "*", "Tcp", p(22))];
    assert.equal(reach(model(denyFirst), "app", "data"), "tcp 0-21,23-65535; udp all; icmp; icmpv6; other");
  });

  // VirtualNetwork "includes the virtual network address space (all IP address ranges
  // defined for the virtual network)"; a priority-100 allow from it opens every subnet.
  // https://learn.microsoft.com/azure/virtual-network/service-tags-overview
  it("opens every port to every subnet with an allow from VirtualNetwork at priority 100, ahead of the final deny", () => {
    assert.equal(reach(model([rule("vnet-any", 100, "Inbound", true, "VirtualNetwork", "*", "*"), DENY_ALL]), "app", "data"), "all");
  });

  // Outbound defaults: AllowVnetOutBound (65000), AllowInternetOutBound (65001),
  // DenyAllOutBound (65500); Internet is "the IP address space that's outside the virtual
  // network and reachable by the public internet" (service-tags-overview).
  it("lets a subnet out to the internet through AllowInternetOutBound, and an outbound deny closes it", () => {
    const out = { appOut: { nat: true } };
    assert.equal(reach(model([], out), "app", "internet"), "all");
    assert.equal(reach(model([], { ...out, app: [rule("no-internet", 4000, "Outbound", false, "*", "Internet", "*")] }), "app", "internet"), "-");
  });

  // "For inbound traffic, Azure processes the rules in a network security group associated
  // to a subnet first, if there's one, and then the rules in a network security group
  // associated to the network interface"; both must allow.
  // https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
  it("needs the subnet's NSG and the NIC's NSG to both allow inbound traffic", () => {
    const subnet = [rule("db", 1000, "Inbound", true, "10.0.10.0/24", "*", "Tcp", [{ from: 5432, to: 6379 }]), DENY_ALL];
    const nic = [rule("only-5432", 1000, "Inbound", true, "*", "*", "Tcp", p(5432)), DENY_ALL];
    assert.equal(reach(model(subnet, { nic }), "app", "data"), "tcp 5432");
  });

  // NSGs are stateful: "If you specify an outbound security rule to any address over port
  // 80, it's not necessary to specify an inbound security rule for the response"
  // (network-security-groups-overview, Security rules).
  it("needs no rule for replies", () => {
    const m = model([rule("db", 1000, "Inbound", true, "10.0.10.0/24", "*", "Tcp", p(5432)), DENY_ALL], { app: [rule("deny-in", 4096, "Inbound", false, "*", "*", "*")] });
    assert.equal(reach(m, "app", "data"), "tcp 5432");
  });

  // Outbound internet access needs an explicit method once default outbound access is off
  // (a NAT gateway, a public IP, a load balancer).
  // https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
  it("reaches the internet only with a NAT gateway, a public address or default outbound access", () => {
    assert.equal(reach(model([]), "app", "internet"), "-");
    assert.equal(reach(model([], { appOut: { defaultOutbound: true } }), "app", "internet"), "all");
    assert.equal(reach(model([], { appOut: { public: true } }), "app", "internet"), "all");
  });

  it("admits the load balancer's probes (168.63.129.16) through a rule naming AzureLoadBalancer, and not the internet", () => {
    const m = model([rule("probe", 500, "Inbound", true, "AzureLoadBalancer", "*", "Tcp", p(80)), DENY_ALL]);
    assert.deepEqual(analyzer(m).query({ from: "168.63.129.16", to: "data", protocol: "tcp", port: 80 }).allowed, true);
    assert.equal(reach(m, "internet", "data"), "-");
  });

  it("names the rule that denies a query", () => {
    const m = model([rule("db", 1000, "Inbound", true, "10.0.10.0/24", "*", "Tcp", p(5432)), DENY_ALL]);
    assert.deepEqual(analyzer(m).query({ from: "app", to: "data", protocol: "tcp", port: 22 }).deniedBy, ["n-data: deny-all denies it"]);
  });
});
