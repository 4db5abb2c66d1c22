import * as assert from "node:assert/strict";
import { awsModelFromResources } from "./aws";
import { AWS_TYPES as T } from "./aws-rules";
import { UNKNOWN_VALUES, type StackResource } from "./resources";

const U = UNKNOWN_VALUES[0] ?? "";
const urn = (type: string, name: string): string => `urn:pulumi:s::p::${type}::${name}`;

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): StackResource {
  return { urn: urn(type, name), type, name, props, propertyDependencies };
}

const VPC = res(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
const sub = (name: string, cidr: string, tier: string, extra: Record<string, unknown> = {}) => res(T.subnet, name, { vpcId: U, cidrBlock: cidr, tags: { "pfv5:tier": tier }, ...extra });
const sg = (name: string, role?: string) => res(T.securityGroup, name, { vpcId: U, ...(role !== undefined ? { tags: { "pfv5:role": role } } : {}) });

describe("the AWS adapter", () => {
  it("follows a rule to its group and to the group it references through property dependencies, ids unknown", () => {
    const rule = res(T.ingressRule, "db-in", { securityGroupId: U, referencedSecurityGroupId: U, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, { securityGroupId: [urn(T.securityGroup, "data")], referencedSecurityGroupId: [urn(T.securityGroup, "app")] });
    const { model, problems } = awsModelFromResources([VPC, sg("app", "app"), sg("data", "data"), rule]);
    assert.deepEqual(problems, []);
    const data = model.securityGroups.find((g) => g.label === 'aws.ec2.SecurityGroup "data"');
    assert.deepEqual(data?.ingress.map((r) => r.peer), [{ kind: "group", groupId: urn(T.securityGroup, "app") }]);
  });

  it("places each role's group in every subnet of its tier, and an interface with an Elastic IP where it sits, as public", () => {
    const eni = res(T.networkInterface, "bastion-eni", { subnetId: U, securityGroups: [U] }, { subnetId: [urn(T.subnet, "dmz-b")], securityGroups: [urn(T.securityGroup, "bastion")] });
    const eip = res(T.eip, "bastion-eip", { domain: "vpc", networkInterface: U }, { networkInterface: [eni.urn] });
    const { model } = awsModelFromResources([VPC, sub("dmz-a", "10.0.1.0/24", "dmz"), sub("dmz-b", "10.0.2.0/24", "dmz"), sub("app-a", "10.0.10.0/24", "app"), sg("bastion", "bastion"), eni, eip]);
    assert.deepEqual(
      model.workloads.map((w) => [w.zone, w.subnetIds.map((s) => s.split("::").pop()), w.public]),
      [
        ["bastion", ["dmz-a", "dmz-b"], undefined],
        ["bastion", ["dmz-b"], true],
      ],
    );
  });

  it("links routes, route tables, associations, NAT gateways and ACL entries, and gives unassociated subnets the VPC's defaults", () => {
    const rt = res(T.routeTable, "app-rt", { vpcId: U });
    const nat = res(T.natGateway, "nat", { subnetId: U, connectivityType: "public" }, { subnetId: [urn(T.subnet, "dmz-a")] });
    const route = res(T.route, "app-default", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", natGatewayId: U }, { routeTableId: [rt.urn], natGatewayId: [nat.urn] });
    const assoc = res(T.routeTableAssociation, "app-rta", { routeTableId: U, subnetId: U }, { routeTableId: [rt.urn], subnetId: [urn(T.subnet, "app-a")] });
    const acl = res(T.networkAcl, "app-acl", { vpcId: U });
    const entry = res(T.networkAclRule, "app-acl-in", { networkAclId: U, ruleNumber: 100, egress: false, protocol: "6", ruleAction: "allow", cidrBlock: "10.0.0.0/16", fromPort: 0, toPort: 65535 }, { networkAclId: [acl.urn] });
    const aclAssoc = res(T.networkAclAssociation, "app-acl-assoc", { networkAclId: U, subnetId: U }, { networkAclId: [acl.urn], subnetId: [urn(T.subnet, "app-a")] });
    const { model, problems } = awsModelFromResources([VPC, sub("dmz-a", "10.0.1.0/24", "dmz"), sub("app-a", "10.0.10.0/24", "app"), rt, nat, route, assoc, acl, entry, aclAssoc]);
    assert.deepEqual(problems, []);
    const app = model.subnets.find((s) => s.cidr === "10.0.10.0/24");
    const dmz = model.subnets.find((s) => s.cidr === "10.0.1.0/24");
    assert.equal(app?.routeTableId, rt.urn);
    assert.equal(app?.networkAclId, acl.urn);
    assert.equal(dmz?.routeTableId, "aws-main-route-table");
    assert.equal(dmz?.networkAclId, "aws-default-network-acl");
    assert.deepEqual(model.routeTables.find((t) => t.id === rt.urn)?.routes.map((r) => [r.destination, r.target]), [["0.0.0.0/0", { kind: "nat-gateway", natId: nat.urn }]]);
    assert.deepEqual(model.networkAcls.find((a) => a.id === acl.urn)?.ingress.map((e) => [e.ruleNumber, e.allow, e.block]), [[100, true, "10.0.0.0/16"]]);
  });

  it("reads inline rules of a security group, self references included", () => {
    const g = res(T.securityGroup, "app", { vpcId: U, tags: { "pfv5:role": "app" }, ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 9000, self: true }, { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.1.0/24"] }] });
    const { model, problems } = awsModelFromResources([VPC, g]);
    assert.deepEqual(problems, []);
    assert.deepEqual(model.securityGroups[0]?.ingress.map((r) => r.peer), [{ kind: "group", groupId: g.urn }, { kind: "cidr", block: "10.0.1.0/24" }]);
  });

  it("reports what it cannot decide: a group it cannot follow, a prefix list, an unknown port", () => {
    const orphan = res(T.ingressRule, "orphan", { securityGroupId: U, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    const pl = res(T.ingressRule, "pl", { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-1" }, { securityGroupId: [urn(T.securityGroup, "app")] });
    const unknownPort = res(T.egressRule, "port", { securityGroupId: U, ipProtocol: "tcp", fromPort: U, toPort: U, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [urn(T.securityGroup, "app")] });
    const { problems } = awsModelFromResources([VPC, sg("app", "app"), orphan, pl, unknownPort]);
    assert.deepEqual(problems.map((p) => p.message), [
      'aws.vpc.SecurityGroupIngressRule "orphan": cannot tell which security group the rule belongs to: securityGroupId neither depends on a aws.ec2.SecurityGroup or aws.ec2.DefaultSecurityGroup of this stack nor has a value known during preview',
      'aws.vpc.SecurityGroupIngressRule "pl": prefixListId: the entries of a prefix list are not visible to the analysis; use CIDR blocks or groups',
      'aws.vpc.SecurityGroupEgressRule "port": fromPort is unknown until deployment, so the zone matrix cannot include what it decides',
      'aws.vpc.SecurityGroupEgressRule "port": toPort is unknown until deployment, so the zone matrix cannot include what it decides',
      'aws.vpc.SecurityGroupEgressRule "port": the rule: tcp needs fromPort and toPort',
    ]);
  });

  it("refuses a role tag the zone model does not know", () => {
    const { problems } = awsModelFromResources([VPC, sg("odd", "database")]);
    assert.deepEqual(problems.map((p) => p.message), [
      'aws.ec2.SecurityGroup "odd": pfv5:role "database" is not a role of the zone model (internet, admins, edge, bastion, vpn-server, app, data, mgmt, vpn-clients)',
    ]);
  });
});
