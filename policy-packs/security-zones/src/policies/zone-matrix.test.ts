import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import type { PolicyResource } from "@pulumi/policy";
import { ADMIN_CONFIG, DENY_ALL_INBOUND, egress, group, inbound, ingress, nsg, PENDING, StackBuilder, vpc } from "../testing/fixtures";
import { runStack, whats } from "../testing/harness";
import { zoneMatrix as policy } from "./zone-matrix";

/** A VPC with one app and one data subnet (tagged), their groups, and app -> data on 5432. */
function awsStack(dataIngress: { fromPort: number; toPort: number } = { fromPort: 5432, toPort: 5432 }): { b: StackBuilder; app: PolicyResource; data: PolicyResource } {
  const b = new StackBuilder();
  const v = vpc(b);
  for (const [name, cidr, tier] of [["app-a", "10.0.10.0/24", "app"], ["data-a", "10.0.20.0/24", "data"]] as const) {
    b.add(aws.ec2.Subnet, name, { vpcId: PENDING, cidrBlock: cidr, tags: { "pfv5:tier": tier } }, { unknowns: ["vpcId"], dependsOn: { vpcId: [v] } });
  }
  const app = group(b, "app", "app", v);
  const data = group(b, "data", "data", v);
  const ref = (g: PolicyResource) => ({ dependsOn: { referencedSecurityGroupId: [g] } });
  b.add(aws.vpc.SecurityGroupEgressRule, "app-to-data", { securityGroupId: PENDING, referencedSecurityGroupId: PENDING, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, { unknowns: ["securityGroupId", "referencedSecurityGroupId"], dependsOn: { securityGroupId: [app], ...ref(data).dependsOn } });
  // The app tier's egress to the internet covers the VPC's addresses too.
  egressAll(b, app);
  b.add(aws.vpc.SecurityGroupIngressRule, "data-from-app", { securityGroupId: PENDING, referencedSecurityGroupId: PENDING, ipProtocol: "tcp", ...dataIngress }, { unknowns: ["securityGroupId", "referencedSecurityGroupId"], dependsOn: { securityGroupId: [data], ...ref(app).dependsOn } });
  return { b, app, data };
}

function egressAll(b: StackBuilder, of: PolicyResource): void {
  egress(b, "app-out-all", of, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
}

describe("zone-matrix", () => {
  it("accepts a stack whose groups open only declared paths, though ids are unknown in preview", async () => {
    const { b } = awsStack();
    assert.deepEqual(await runStack(policy, b.resources, ADMIN_CONFIG), { violations: [] });
  });

  it("reports a data ingress range wider than the declared ports, naming the zones, ports and rule", async () => {
    const { b } = awsStack({ fromPort: 0, toPort: 65535 });
    assert.deepEqual(whats(await runStack(policy, b.resources, ADMIN_CONFIG)), [
      'aws zone matrix: app -> data: tcp 0-5431,5433-6378,6380-27016,27018-65535 can pass, but the zone model does not permit it (permitted: tcp 5432,6379,27017, from app-data-db). Opened by: tcp 0-5431,5433-6378,6380-27016,27018-65535 by aws.vpc.SecurityGroupIngressRule "data-from-app"; aws.vpc.SecurityGroupEgressRule "app-out-all"; the VPC\'s default network ACL inbound rule 100 (allow 0.0.0.0/0); the VPC\'s default network ACL outbound rule 100 (allow 0.0.0.0/0)',
    ]);
  });

  it("blames the security group rule that opens an extra path", async () => {
    const { b } = awsStack({ fromPort: 22, toPort: 22 });
    const urns = (await runStack(policy, b.resources, ADMIN_CONFIG)).violations.map((v) => v.urn);
    assert.deepEqual(urns, ["urn:pulumi:test::pfv5::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::data-from-app"]);
  });

  it("says it could not decide when a rule's group cannot be followed, instead of passing", async () => {
    const { b, data } = awsStack();
    ingress(b, "orphan", undefined, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.1.0/24" });
    assert.equal(data.type, "aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(whats(await runStack(policy, b.resources, ADMIN_CONFIG)), [
      'the aws zone matrix could not be decided in full: aws.vpc.SecurityGroupIngressRule "orphan": cannot tell which security group the rule belongs to: securityGroupId neither depends on a aws.ec2.SecurityGroup or aws.ec2.DefaultSecurityGroup of this stack nor has a value known during preview',
    ]);
  });

  it("reports Azure's AllowVnetInBound opening every port when an NSG has no deny of its own", async () => {
    const b = new StackBuilder();
    b.add(network.VirtualNetwork, "vnet", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
    const app = nsg(b, "nsg-app", "app", [DENY_ALL_INBOUND]);
    const data = nsg(b, "nsg-data", "data", [inbound("allow-app-db", 1000, "Allow", "10.0.10.0/24", "Tcp", "5432")]);
    for (const [name, cidr, n] of [["net-app", "10.0.10.0/24", app], ["net-data", "10.0.20.0/24", data]] as const) {
      b.add(network.Subnet, name, { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefix: cidr, defaultOutboundAccess: false, networkSecurityGroup: { id: PENDING } }, { unknowns: ["networkSecurityGroup.id"], dependsOn: { networkSecurityGroup: [n] } });
    }
    const found = whats(await runStack(policy, b.resources, ADMIN_CONFIG));
    assert.equal(
      found[0],
      'azure zone matrix: app -> data: tcp 0-5431,5433-6378,6380-27016,27018-65535; udp all; icmp; icmpv6; other can pass, but the zone model does not permit it (permitted: tcp 5432,6379,27017, from app-data-db). Opened by: tcp 0-5431,5433-6378,6380-27016,27018-65535; udp all; icmp; icmpv6; other by azure-native.network.NetworkSecurityGroup "nsg-data" default rule AllowVnetInBound (65000); azure-native.network.NetworkSecurityGroup "nsg-app" default rule AllowVnetOutBound (65000)',
    );
    // The same missing deny lets the subnet reach itself and the platform reach it; its
    // open outbound side is latent, as the subnet has no way out to the internet.
    assert.deepEqual(
      found.map((w) => w.split(":")[1]?.trim()),
      ["app -> data", "data -> internet", "data -> admins", "data -> data", "services -> data"],
    );
  });

  it("does not apply to a stack without subnets (no zone to place anything in)", async () => {
    const b = new StackBuilder();
    vpc(b);
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to aws.ec2.Subnet, azure-native.network.Subnet");
  });

  it("opens a path between members of one group only when its ingress names the group itself", async () => {
    const { b, app } = awsStack();
    const self = (name: string, cls: typeof aws.vpc.SecurityGroupIngressRule | typeof aws.vpc.SecurityGroupEgressRule) =>
      b.add(cls, name, { securityGroupId: PENDING, referencedSecurityGroupId: PENDING, ipProtocol: "tcp", fromPort: 7000, toPort: 7000 }, { unknowns: ["securityGroupId", "referencedSecurityGroupId"], dependsOn: { securityGroupId: [app], referencedSecurityGroupId: [app] } });
    self("app-self-in", aws.vpc.SecurityGroupIngressRule);
    assert.deepEqual(whats(await runStack(policy, b.resources, ADMIN_CONFIG)), [
      'aws zone matrix: app -> app: tcp 7000 can pass, but the zone model does not permit it (permitted: tcp 8000-9000, from app-app-agents). Opened by: tcp 7000 by aws.vpc.SecurityGroupIngressRule "app-self-in"; aws.vpc.SecurityGroupEgressRule "app-out-all"; the VPC\'s default network ACL inbound rule 100 (allow 0.0.0.0/0); the VPC\'s default network ACL outbound rule 100 (allow 0.0.0.0/0)',
    ]);
  });
});
