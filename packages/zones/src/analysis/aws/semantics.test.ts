/**
 * The AWS analyzer against what the AWS documentation states, one statement per case.
 */
import * as assert from "node:assert/strict";
import { formatPorts, portsOf } from "../matrix";
import { awsProtocol, ruleTraffic } from "../rules";
import { FIREWALLS_ONLY } from "../zones";
import { AwsAnalyzer } from "./analyzer";
import type { AwsAclEntry, AwsModel, AwsNetworkAcl, AwsRoute, AwsSgRule } from "./model";

const proto = (p: string) => awsProtocol(p) ?? { protos: [], whole: true };
const tcp = (from: number, to = from) => ruleTraffic(proto("tcp"), [{ from, to }]);
const ALL = ruleTraffic(proto("-1"));
const rule = (id: string, traffic: AwsSgRule["traffic"], peer: AwsSgRule["peer"]): AwsSgRule => ({ ref: { id, label: id, layer: "security-group" }, traffic, peer });
const entry = (id: string, n: number, allow: boolean, traffic: AwsAclEntry["traffic"], block: string): AwsAclEntry => ({ ref: { id, label: id, layer: "network-acl" }, ruleNumber: n, allow, traffic, block });
const open = (id: string): AwsNetworkAcl => ({ id, label: id, ingress: [entry(`${id}-in`, 100, true, ALL, "0.0.0.0/0")], egress: [entry(`${id}-out`, 100, true, ALL, "0.0.0.0/0")] });
const route = (destination: string, target: AwsRoute["target"]): AwsRoute => ({ ref: { id: `r-${destination}`, label: destination, layer: "route" }, destination, target });

/** Two subnets (a public web one, a private db one), one group each. */
function model(over: Partial<AwsModel> & { web?: AwsSgRule[][]; db?: AwsSgRule[][] } = {}): AwsModel {
  const [webIn = [], webOut = [rule("web-out", ALL, { kind: "cidr", block: "0.0.0.0/0" })]] = over.web ?? [];
  const [dbIn = [rule("db-in", tcp(5432), { kind: "group", groupId: "web" })], dbOut = []] = over.db ?? [];
  return {
    vpcCidrs: ["10.0.0.0/16"],
    subnets: [
      { id: "s-web", label: "s-web", cidr: "10.0.1.0/24", networkAclId: "acl-web", routeTableId: "rt-public", publicIp: true },
      { id: "s-db", label: "s-db", cidr: "10.0.2.0/24", networkAclId: "acl-db", routeTableId: "rt-private", publicIp: false },
    ],
    securityGroups: [
      { id: "web", label: "web", ingress: webIn, egress: webOut },
      { id: "db", label: "db", ingress: dbIn, egress: dbOut },
    ],
    networkAcls: over.networkAcls ?? [open("acl-web"), open("acl-db")],
    routeTables: over.routeTables ?? [
      { id: "rt-public", label: "rt-public", routes: [route("0.0.0.0/0", { kind: "internet-gateway" })] },
      { id: "rt-private", label: "rt-private", routes: [] },
    ],
    natGateways: [],
    workloads: over.workloads ?? [
      { zone: "web", label: "web", groupIds: ["web"], subnetIds: ["s-web"] },
      { zone: "db", label: "db", groupIds: ["db"], subnetIds: ["s-db"] },
    ],
  };
}

const ZONES = ["internet", "admins", "web", "db"];
const reach = (m: AwsModel, from: string, to: string): string =>
  formatPorts(portsOf(new AwsAnalyzer(m, { adminCidrs: ["198.51.100.0/24"], vpnCidr: "10.100.0.0/24" }, ZONES).evaluate(from, to)));

describe("AwsAnalyzer follows the AWS documentation", () => {
  // "You can specify allow rules, but not deny rules." and "If your security group has no
  // outbound rules, no outbound traffic is allowed."
  // https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
  it("lets nothing out of a group without outbound rules", () => {
    assert.equal(reach(model({ web: [[], []] }), "web", "db"), "-");
  });

  // "When you associate multiple security groups with a resource, the rules from each
  // security group are aggregated to form a single set of rules." (same page)
  it("takes the union of every group on an interface", () => {
    const m = model();
    const both: AwsModel = {
      ...m,
      securityGroups: [...m.securityGroups, { id: "db2", label: "db2", ingress: [rule("db2-in", tcp(6379), { kind: "group", groupId: "web" })], egress: [] }],
      workloads: [m.workloads[0] ?? { zone: "web", label: "web", groupIds: [], subnetIds: [] }, { zone: "db", label: "db", groupIds: ["db", "db2"], subnetIds: ["s-db"] }],
    };
    assert.equal(reach(both, "web", "db"), "tcp 5432,6379");
  });

  // "Security groups are stateful. For example, if you send a request from an instance,
  // the response traffic for that request is allowed to reach the instance regardless of
  // the inbound security group rules." https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
  it("needs no rule for replies at either group", () => {
    // The db group has no outbound rule at all, yet web reaches it.
    assert.equal(reach(model(), "web", "db"), "tcp 5432");
  });

  // "When you specify a security group as the source for a rule, traffic is allowed from
  // the network interfaces that are associated with the source security group" (security
  // group referencing, security-group-rules.html). Addresses outside do not match it.
  it("matches a group reference with the group's interfaces only, never with outside addresses", () => {
    assert.equal(reach(model(), "internet", "db"), "-");
    assert.equal(reach(model({ db: [[rule("db-self", tcp(22), { kind: "group", groupId: "db" })], [rule("db-self-out", tcp(22), { kind: "group", groupId: "db" })]] }), "db", "db"), "tcp 22");
  });

  // "We process the entries in the network ACL in order, starting with the lowest numbered
  // entry. ... as soon as a rule matches traffic, it's applied regardless of any
  // higher-numbered rule that might contradict it." https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
  it("applies the lowest-numbered matching ACL entry: a deny numbered after the allow does nothing", () => {
    const late: AwsNetworkAcl = { ...open("acl-db"), ingress: [entry("allow", 100, true, ALL, "0.0.0.0/0"), entry("deny", 200, false, tcp(5432), "10.0.1.0/24")] };
    const early: AwsNetworkAcl = { ...open("acl-db"), ingress: [entry("deny", 50, false, tcp(5432), "10.0.1.0/24"), entry("allow", 100, true, ALL, "0.0.0.0/0")] };
    assert.equal(reach(model({ networkAcls: [open("acl-web"), late] }), "web", "db"), "tcp 5432");
    assert.equal(reach(model({ networkAcls: [open("acl-web"), early] }), "web", "db"), "-");
  });

  // "The last rule is an asterisk (*) ... If a packet doesn't match any of the numbered
  // rules, it's denied." (nacl-rules.html)
  it("denies what no numbered entry matches", () => {
    const empty: AwsNetworkAcl = { id: "acl-db", label: "acl-db", ingress: [], egress: [] };
    assert.equal(reach(model({ networkAcls: [open("acl-web"), empty] }), "web", "db"), "-");
  });

  // "Network ACLs are stateless, which means that information about previously sent or
  // received traffic isn't saved. ... responses to allowed inbound traffic are subject to
  // the rules for outbound traffic"; replies go to ephemeral ports (1024-65535 is the range
  // the guide suggests). https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
  it("needs an outbound ACL entry for the reply, to the client's ephemeral ports", () => {
    // Outbound 443 only: no reply port at or above 1024 passes.
    const noReply: AwsNetworkAcl = { id: "acl-db", label: "acl-db", ingress: [entry("in", 100, true, tcp(5432), "10.0.0.0/16")], egress: [entry("out", 100, true, tcp(443), "10.0.0.0/16")] };
    const withReply: AwsNetworkAcl = { ...noReply, egress: [entry("out", 100, true, tcp(1024, 65535), "10.0.0.0/16")] };
    assert.equal(reach(model({ networkAcls: [open("acl-web"), noReply] }), "web", "db"), "-");
    assert.equal(reach(model({ networkAcls: [open("acl-web"), withReply] }), "web", "db"), "tcp 5432");
  });

  // "Security groups and network ACLs ... traffic between instances in the same subnet is
  // not evaluated by network ACLs" (the ACL sits at the subnet boundary).
  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
  it("does not apply an ACL between two interfaces of one subnet", () => {
    const closed: AwsNetworkAcl = { id: "acl-web", label: "acl-web", ingress: [], egress: [] };
    const m = model({ networkAcls: [closed, open("acl-db")], web: [[rule("web-self", tcp(80), { kind: "group", groupId: "web" })]] });
    assert.equal(reach(m, "web", "web"), "tcp 80");
  });

  it("applies the ACL between two adjacent subnets of one tier, even when they evaluate as one class", () => {
    const closed: AwsNetworkAcl = { id: "acl-web", label: "acl-web", ingress: [], egress: [] };
    const base = model({ networkAcls: [closed, open("acl-db")], web: [[rule("web-self", tcp(80), { kind: "group", groupId: "web" })]] });
    const m: AwsModel = {
      ...base,
      subnets: [...base.subnets, { id: "s-web2", label: "s-web2", cidr: "10.0.0.0/24", networkAclId: "acl-web", routeTableId: "rt-public", publicIp: true }],
      workloads: [{ zone: "web", label: "web", groupIds: ["web"], subnetIds: ["s-web", "s-web2"] }, ...base.workloads.slice(1)],
    };
    const a = new AwsAnalyzer(m, { adminCidrs: [], vpnCidr: "10.100.0.0/24" }, ZONES);
    assert.equal(a.query({ from: "10.0.1.5", to: "10.0.1.6", protocol: "tcp", port: 80 }).allowed, true);
    assert.equal(a.query({ from: "10.0.0.5", to: "10.0.1.6", protocol: "tcp", port: 80 }).allowed, false);
  });

  // "To enable communication over the internet for IPv4, your instance must have a public
  // IPv4 address", and the subnet's route table must point internet traffic at the
  // internet gateway. https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
  it("reaches an interface from the internet only with a public address and a route to the internet gateway", () => {
    const m = model({ web: [[rule("web-in", tcp(443), { kind: "cidr", block: "0.0.0.0/0" })]], db: [[rule("db-in", tcp(443), { kind: "cidr", block: "0.0.0.0/0" })]] });
    assert.equal(reach(m, "internet", "web"), "tcp 443");
    assert.equal(reach(m, "internet", "db"), "-");
    assert.equal(formatPorts(portsOf(new AwsAnalyzer(m, { adminCidrs: [], vpnCidr: "10.100.0.0/24" }, ZONES).evaluate("internet", "db", FIREWALLS_ONLY))), "tcp 443");
  });

  // "You can use a public NAT gateway to enable instances in a private subnet to send
  // outbound traffic to the internet, while preventing the internet from establishing
  // connections to the instances"; NAT gateways support TCP, UDP and ICMP.
  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
  it("sends a private subnet out through a NAT gateway, for tcp, udp and icmp only, and never in", () => {
    const base = model({ db: [[], [rule("db-out", ALL, { kind: "cidr", block: "0.0.0.0/0" })]] });
    const m: AwsModel = {
      ...base,
      natGateways: [{ id: "nat", label: "nat", subnetId: "s-web", public: true }],
      routeTables: [base.routeTables[0] ?? { id: "rt-public", label: "", routes: [] }, { id: "rt-private", label: "rt-private", routes: [route("0.0.0.0/0", { kind: "nat-gateway", natId: "nat" })] }],
    };
    assert.equal(reach(m, "db", "internet"), "tcp all; udp all; icmp");
    assert.equal(reach(m, "internet", "db"), "-");
  });

  // "The route table contains ... a local route for communication within the VPC"; the most
  // specific route that matches the traffic decides (longest prefix match).
  // https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
  it("routes by the most specific route: a more specific route over part of the VPC overrides the local one", () => {
    const m = model({ routeTables: [{ id: "rt-public", label: "rt-public", routes: [route("10.0.2.0/24", { kind: "other", what: "an appliance" })] }, { id: "rt-private", label: "rt-private", routes: [] }] });
    assert.equal(reach(m, "web", "db"), "-");
  });

  it("treats protocol -1 as every protocol and every port", () => {
    const m = model({ db: [[rule("db-all", ALL, { kind: "group", groupId: "web" })]] });
    assert.equal(reach(m, "web", "db"), "all");
  });

  // IPv6: "::/0" names every IPv6 address, and an egress-only internet gateway carries
  // outbound IPv6 only. https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html
  it("opens IPv6 only to interfaces that have IPv6 addresses, and an egress-only gateway outbound only", () => {
    const base = model({ db: [[rule("db-v6", tcp(22), { kind: "cidr", block: "::/0" })], [rule("db-out6", ALL, { kind: "cidr", block: "::/0" })]] });
    assert.equal(reach(base, "internet", "db"), "-");
    const v6: AwsModel = {
      ...base,
      vpcCidrs: ["10.0.0.0/16", "2001:db8::/56"],
      subnets: base.subnets.map((s) => (s.id === "s-db" ? { ...s, ipv6Cidr: "2001:db8:0:2::/64" } : s)),
      networkAcls: [open("acl-web"), { ...open("acl-db"), ingress: [entry("in6", 100, true, ALL, "::/0")], egress: [entry("out6", 100, true, ALL, "::/0")] }],
      routeTables: [base.routeTables[0] ?? { id: "rt-public", label: "", routes: [] }, { id: "rt-private", label: "rt-private", routes: [route("::/0", { kind: "egress-only-gateway" })] }],
    };
    assert.equal(reach(v6, "db", "internet"), "all");
    assert.equal(reach(v6, "internet", "db"), "-");
  });
});
