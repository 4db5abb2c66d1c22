import { strict as assert } from "node:assert";
import { createEdge, type Edge } from "./infra";
import { registered, registeredOf, valueOf } from "./mocks";

// A test key: an Ed25519 public key made for this spec, whose private half was discarded.
const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICp3GsSeXwCHGd1fwpObDnqq/SKsGkvUOokbCwDBmYsO ops@example.com";
const ADMIN_CIDR = "203.0.113.0/24";
const args = { adminCidrs: [ADMIN_CIDR], admins: [{ name: "ops", publicKeys: [OPS_KEY] }], azCount: 2, tags: { Team: "platform" } };

describe("the edge built from the published packages", () => {
  let edge: Edge;
  before(async () => {
    edge = await createEdge("edge", args);
    await Promise.all([
      valueOf(edge.bastion.instanceId),
      valueOf(edge.network.flowLogId),
      ...Object.values(edge.firewall.ruleIds).map(valueOf),
    ]);
  });

  it("registers one network, one zone firewall and one bastion component", () => {
    const components = registered.filter((r) => r.type.startsWith("pfv5:")).map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(components.sort(), [
      "pfv5:access:AwsBastion edge-bastion",
      "pfv5:firewall:AwsZoneFirewall edge-fw",
      "pfv5:network:AwsNetwork edge",
    ]);
  });

  it("lays out a DMZ, app, data and mgmt subnet in each of the two zones from the default plan", async () => {
    const cidrs = registeredOf("edge", "aws:ec2/subnet:Subnet").map((s) => s.inputs["cidrBlock"]);
    assert.deepEqual(cidrs.sort(), [
      "10.0.1.0/24", "10.0.10.0/24", "10.0.11.0/24", "10.0.2.0/24",
      "10.0.20.0/24", "10.0.21.0/24", "10.0.30.0/24", "10.0.31.0/24",
    ]);
    assert.deepEqual(edge.network.availabilityZones, ["eu-central-1a", "eu-central-1b"]);
    assert.equal(await valueOf(edge.network.vpcId), "edge-vpc-id");
  });

  it("uses a single NAT gateway, as asked", () => {
    assert.equal(registeredOf("edge", "aws:ec2/natGateway:NatGateway").length, 1);
  });

  it("opens SSH on the bastion to the administrators' block and to nothing else from outside", async () => {
    const bastionGroup = await valueOf(edge.firewall.securityGroupIds.bastion);
    const fromOutside = registeredOf("edge-fw", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs["securityGroupId"] === bastionGroup && r.inputs["cidrIpv4"] !== undefined,
    );
    assert.deepEqual(
      fromOutside.map((r) => [r.inputs["cidrIpv4"], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]]),
      [[ADMIN_CIDR, "tcp", 22, 22]],
    );
  });

  it("puts the bastion in the first DMZ subnet, behind the firewall's bastion group", async () => {
    const [eni] = registeredOf("edge-bastion", "aws:ec2/networkInterface:NetworkInterface");
    const [firstDmz] = edge.network.subnetIds.dmz;
    assert.ok(firstDmz !== undefined);
    assert.equal(eni?.inputs["subnetId"], await valueOf(firstDmz));
    assert.deepEqual(eni?.inputs["securityGroups"], [await valueOf(edge.firewall.securityGroupIds.bastion)]);
    assert.equal(await valueOf(edge.bastion.publicIp), "198.51.100.7");
  });

  it("boots the bastion from the looked-up image with IMDSv2 required", () => {
    const [instance] = registeredOf("edge-bastion", "aws:ec2/instance:Instance");
    assert.equal(instance?.inputs["ami"], "ami-0fedcba9876543210");
    assert.equal((instance?.inputs["metadataOptions"] as Record<string, unknown> | undefined)?.["httpTokens"], "required");
  });

  it("carries the team's tag on every resource that takes tags", () => {
    const tagged = registered.filter((r) => r.name.startsWith("edge") && r.inputs["tags"] !== undefined);
    assert.ok(tagged.length > 20, `only ${tagged.length} tagged resources`);
    assert.deepEqual(tagged.filter((r) => (r.inputs["tags"] as Record<string, unknown>)["Team"] !== "platform").map((r) => r.name), []);
  });

  it("refuses an administrator block that is the whole internet before registering anything, naming the argument and the value", async () => {
    await assert.rejects(createEdge("open", { ...args, adminCidrs: ["0.0.0.0/0"] }), (e: Error) => e.message.includes('adminCidrs[0] = "0.0.0.0/0"'));
    assert.deepEqual(registered.filter((r) => r.name.startsWith("open")), []);
  });
});
