import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import type { PolicyResource } from "@pulumi/policy";
import type { Props } from "../lib/types";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { nsg, PENDING, StackBuilder } from "../testing/fixtures";
import { publicIpOnlyInDmz as policy } from "./public-ip-only-in-dmz";

const AMI = "ami-0123456789abcdef0";

function subnet(b: StackBuilder, name: string, tier: string): PolicyResource {
  return b.add(aws.ec2.Subnet, name, { vpcId: PENDING, cidrBlock: "10.0.1.0/24", tags: { "pfv5:tier": tier } }, { unknowns: ["vpcId"] });
}

function eni(b: StackBuilder, name: string, of: PolicyResource): PolicyResource {
  return b.add(aws.ec2.NetworkInterface, name, { subnetId: PENDING }, { unknowns: ["subnetId"], dependsOn: { subnetId: [of] } });
}

/** An instance on its own interface (as the access host builds it) or placed by subnet. */
function instance(b: StackBuilder, name: string, on: { eni: PolicyResource } | { subnet: PolicyResource }, extra: Partial<Props<aws.ec2.InstanceArgs>> = {}): PolicyResource {
  if ("eni" in on) {
    return b.add(aws.ec2.Instance, name, { ami: AMI, primaryNetworkInterface: { networkInterfaceId: PENDING }, ...extra }, {
      unknowns: ["primaryNetworkInterface.networkInterfaceId"],
      dependsOn: { primaryNetworkInterface: [on.eni] },
    });
  }
  return b.add(aws.ec2.Instance, name, { ami: AMI, subnetId: PENDING, ...extra }, { unknowns: ["subnetId"], dependsOn: { subnetId: [on.subnet] } });
}

function eip(b: StackBuilder, name: string, to?: { networkInterface: PolicyResource } | { instance: PolicyResource }): PolicyResource {
  if (to === undefined) return b.add(aws.ec2.Eip, name, { domain: "vpc" });
  const key = "networkInterface" in to ? "networkInterface" : "instance";
  const target = "networkInterface" in to ? to.networkInterface : to.instance;
  return b.add(aws.ec2.Eip, name, { domain: "vpc", [key]: PENDING }, { unknowns: [key], dependsOn: { [key]: [target] } });
}

function azureSubnet(b: StackBuilder, name: string, of: PolicyResource): PolicyResource {
  return b.add(network.Subnet, name, { resourceGroupName: "rg", virtualNetworkName: "vnet", networkSecurityGroup: { id: PENDING } }, {
    unknowns: ["networkSecurityGroup.id"],
    dependsOn: { networkSecurityGroup: [of] },
  });
}

function nic(b: StackBuilder, name: string, of: PolicyResource, publicIp: boolean): PolicyResource {
  const ip = publicIp ? [b.add(network.PublicIPAddress, `${name}-ip`, { resourceGroupName: "rg", publicIPAllocationMethod: "Static" })] : [];
  return b.add(
    network.NetworkInterface,
    name,
    { resourceGroupName: "rg", ipConfigurations: [{ name: "primary", subnet: { id: PENDING }, ...(publicIp ? { publicIPAddress: { id: PENDING } } : {}) }] },
    { unknowns: ["ipConfigurations.0.subnet.id", ...(publicIp ? ["ipConfigurations.0.publicIPAddress.id"] : [])], dependsOn: { ipConfigurations: [of, ...ip] } },
  );
}

describe("public-ip-only-in-dmz", () => {
  it("accepts the access host's Elastic IP on its DMZ interface, a DMZ instance's address, NAT addresses and a DMZ NIC's public IP", async () => {
    const b = new StackBuilder();
    const dmz = subnet(b, "dmz-a", "dmz");
    const app = subnet(b, "app-a", "app");
    const bastionEni = eni(b, "bastion-eni", dmz);
    instance(b, "bastion", { eni: bastionEni });
    eip(b, "bastion-eip", { networkInterface: bastionEni });
    eip(b, "edge-eip", { instance: instance(b, "edge", { subnet: dmz }, { associatePublicIpAddress: true }) });
    eip(b, "nat-a-eip");
    instance(b, "worker", { subnet: app }, { associatePublicIpAddress: false });
    const dmzNsg = nsg(b, "dmz-nsg", "dmz");
    const appNsg = nsg(b, "app-nsg", "app");
    nic(b, "bastion-nic", azureSubnet(b, "dmz", dmzNsg), true);
    nic(b, "app-nic", azureSubnet(b, "app", appNsg), false);
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects Elastic IPs, associations and associatePublicIpAddress that land outside the DMZ", async () => {
    const b = new StackBuilder();
    const appEni = eni(b, "app-eni", subnet(b, "app-a", "app"));
    eip(b, "app-eip", { networkInterface: appEni });
    const db = instance(b, "db", { subnet: subnet(b, "data-a", "data") });
    b.add(aws.ec2.EipAssociation, "db-assoc", { allocationId: "eipalloc-1", instanceId: PENDING }, { unknowns: ["instanceId"], dependsOn: { instanceId: [db] } });
    instance(b, "jump", { subnet: subnet(b, "mgmt-a", "mgmt") }, { associatePublicIpAddress: true });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      'aws.ec2.Instance "jump" sets associatePublicIpAddress in aws.ec2.Subnet "mgmt-a" (tier mgmt): only the DMZ may hold public addresses',
      'aws.ec2.Eip "app-eip" gives a public address to aws.ec2.NetworkInterface "app-eni" in aws.ec2.Subnet "app-a" (tier app): only the DMZ may hold public addresses',
      'aws.ec2.EipAssociation "db-assoc" gives a public address to aws.ec2.Instance "db" in aws.ec2.Subnet "data-a" (tier data): only the DMZ may hold public addresses',
    ]);
    assert.deepEqual(out.violations.map((v) => v.urn?.split("::").pop()), ["jump", "app-eip", "db-assoc"]);
    assert.match(out.violations[0]?.message ?? "", /\nFix: move it into a DMZ subnet, or drop the public address .*$/);
  });

  it("rejects Azure public IPs on a NIC or a VM's own interface outside the DMZ subnet", async () => {
    const b = new StackBuilder();
    const app = azureSubnet(b, "app", nsg(b, "app-nsg", "app"));
    nic(b, "app-nic", app, true);
    const data = azureSubnet(b, "data", nsg(b, "data-nsg", "data"));
    const networkProfile: Props<compute.VirtualMachineArgs>["networkProfile"] = {
      networkApiVersion: "2020-11-01",
      networkInterfaceConfigurations: [{ name: "nic", ipConfigurations: [{ name: "primary", subnet: { id: PENDING }, publicIPAddressConfiguration: { name: "pip" } }] }],
    };
    b.add(compute.VirtualMachine, "db-vm", { resourceGroupName: "rg", networkProfile }, {
      unknowns: ["networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0.subnet.id"],
      dependsOn: { networkProfile: [data] },
    });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'azure-native.network.NetworkInterface "app-nic" ipConfigurations[0] "primary" has a public IP address in azure-native.network.Subnet "app" (tier app, from azure-native.network.NetworkSecurityGroup "app-nsg"): only the DMZ may hold public addresses',
      'azure-native.compute.VirtualMachine "db-vm" creates a public IP address on networkInterfaceConfigurations "nic/primary" in azure-native.network.Subnet "data" (tier data, from azure-native.network.NetworkSecurityGroup "data-nsg"): only the DMZ may hold public addresses',
    ]);
  });

  it("rejects public addresses whose zone cannot be told: an interface outside the stack, the default VPC, an untagged subnet", async () => {
    const b = new StackBuilder();
    b.add(aws.ec2.Eip, "stray-eip", { domain: "vpc", networkInterface: "eni-0abc" });
    b.add(aws.ec2.Instance, "loose", { ami: AMI, associatePublicIpAddress: true });
    const untagged = b.add(aws.ec2.Subnet, "shared", { vpcId: PENDING, cidrBlock: "10.0.9.0/24" }, { unknowns: ["vpcId"] });
    instance(b, "tagless", { subnet: untagged }, { associatePublicIpAddress: true });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.Instance "loose" sets associatePublicIpAddress, and the policy cannot tell which zone that is: aws.ec2.Instance "loose" names no subnet or network interface, so it launches into the default subnet of the account\'s default VPC, outside the zone model',
      'aws.ec2.Instance "tagless" sets associatePublicIpAddress, and the policy cannot tell which zone that is: aws.ec2.Subnet "shared" has no pfv5:tier tag',
      'aws.ec2.Eip "stray-eip" attaches a public address, and the policy cannot tell which zone that is: networkInterface "eni-0abc" names no aws.ec2.NetworkInterface in this stack',
    ]);
  });

  it("rejects mapPublicIpOnLaunch on a subnet outside the DMZ or without a tier, and accepts it on the DMZ", async () => {
    const cases = [
      resourceArgs(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: true, tags: { "pfv5:tier": "dmz" } }, { name: "dmz-a" }),
      resourceArgs(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: false, tags: { "pfv5:tier": "app" } }, { name: "app-a" }),
      resourceArgs(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: true, tags: { "pfv5:tier": "data" } }, { name: "data-a" }),
      resourceArgs(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: true }, { name: "plain" }),
    ];
    const out = await Promise.all(cases.map((c) => runResource(policy, c)));
    assert.deepEqual(out.map(whats), [
      [],
      [],
      ['aws.ec2.Subnet "data-a" (tier data) sets mapPublicIpOnLaunch, so every instance launched into it gets a public address'],
      ['aws.ec2.Subnet "plain" sets mapPublicIpOnLaunch, and the policy cannot tell its zone: aws.ec2.Subnet "plain" has no pfv5:tier tag'],
    ]);
  });

  it("does not apply to other resources or to a stack without hosts or addresses", async () => {
    assert.equal((await runResource(policy, resourceArgs(aws.ec2.Vpc, {}))).notApplicable, "applies only to aws.ec2.Subnet");
    const b = new StackBuilder();
    subnet(b, "dmz-a", "dmz");
    assert.equal(
      (await runStack(policy, b.resources)).notApplicable,
      "applies only to aws.ec2.Instance, aws.ec2.Eip, aws.ec2.EipAssociation, azure-native.network.NetworkInterface, azure-native.compute.VirtualMachine",
    );
  });

  it("reports a public-address flag that is unknown in preview as not checkable", async () => {
    const stack = new StackBuilder();
    stack.add(aws.ec2.Instance, "dynamic", { ami: AMI, associatePublicIpAddress: true }, { unknowns: ["associatePublicIpAddress"] });
    assert.deepEqual(whats(await runStack(policy, stack.resources)), [
      'aws.ec2.Instance "dynamic" could not be checked: associatePublicIpAddress is unknown until deployment, so preview cannot show that it complies',
    ]);
    const args = resourceArgs(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: true, tags: { "pfv5:tier": "app" } }, { name: "app-a", unknowns: ["mapPublicIpOnLaunch"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.Subnet "app-a" could not be checked: mapPublicIpOnLaunch is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
