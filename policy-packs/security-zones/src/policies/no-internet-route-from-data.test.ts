import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import type { PolicyResource } from "@pulumi/policy";
import type { Props } from "../lib/types";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { nsg, PENDING, StackBuilder } from "../testing/fixtures";
import { noInternetRouteFromData as policy } from "./no-internet-route-from-data";

function table(b: StackBuilder, name: string, tier?: string): PolicyResource {
  return b.add(aws.ec2.RouteTable, name, { vpcId: PENDING, ...(tier !== undefined ? { tags: { "pfv5:tier": tier } } : {}) }, { unknowns: ["vpcId"] });
}

function route(b: StackBuilder, name: string, rt: PolicyResource, target: { gatewayId?: PolicyResource | string; natGatewayId?: PolicyResource }): PolicyResource {
  const gw = target.gatewayId;
  const deps: Record<string, PolicyResource[]> = { routeTableId: [rt] };
  if (typeof gw === "object") deps["gatewayId"] = [gw];
  if (target.natGatewayId !== undefined) deps["natGatewayId"] = [target.natGatewayId];
  return b.add(
    aws.ec2.Route,
    name,
    {
      routeTableId: PENDING,
      destinationCidrBlock: "0.0.0.0/0",
      ...(gw !== undefined ? { gatewayId: typeof gw === "string" ? gw : PENDING } : {}),
      ...(target.natGatewayId !== undefined ? { natGatewayId: PENDING } : {}),
    },
    {
      dependsOn: deps,
      unknowns: ["routeTableId", ...(typeof gw === "object" ? ["gatewayId"] : []), ...(target.natGatewayId !== undefined ? ["natGatewayId"] : [])],
    },
  );
}

describe("no-internet-route-from-data", () => {
  it("accepts internet and NAT routes on the DMZ and app tables, and a VPN gateway route on the data table", async () => {
    const b = new StackBuilder();
    const igw = b.add(aws.ec2.InternetGateway, "igw", {});
    const nat = b.add(aws.ec2.NatGateway, "nat-a", { subnetId: "subnet-1" });
    const vgw = b.add(aws.ec2.VpnGateway, "vgw", {});
    route(b, "dmz-default", table(b, "dmz-rt", "dmz"), { gatewayId: igw });
    route(b, "app-default", table(b, "app-rt", "app"), { natGatewayId: nat });
    route(b, "data-onprem", table(b, "data-rt", "data"), { gatewayId: vgw });
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects internet, NAT and known igw- routes on a data route table", async () => {
    const b = new StackBuilder();
    const igw = b.add(aws.ec2.InternetGateway, "igw", {});
    const nat = b.add(aws.ec2.NatGateway, "nat-a", { subnetId: "subnet-1" });
    const data = table(b, "data-rt", "data");
    route(b, "data-igw", data, { gatewayId: igw });
    route(b, "data-nat", data, { natGatewayId: nat });
    route(b, "data-known-igw", data, { gatewayId: "igw-0abc" });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      'aws.ec2.Route "data-igw" in route table aws.ec2.RouteTable "data-rt" (tagged pfv5:tier data) sends traffic to an internet gateway (gatewayId)',
      'aws.ec2.Route "data-nat" in route table aws.ec2.RouteTable "data-rt" (tagged pfv5:tier data) sends traffic to a NAT gateway (natGatewayId)',
      'aws.ec2.Route "data-known-igw" in route table aws.ec2.RouteTable "data-rt" (tagged pfv5:tier data) sends traffic to an internet gateway (igw-0abc)',
    ]);
    assert.deepEqual(out.violations.map((v) => v.urn?.split("::").pop()), ["data-igw", "data-nat", "data-known-igw"]);
  });

  it("treats an untagged table associated with a data subnet as a data table", async () => {
    const b = new StackBuilder();
    const igw = b.add(aws.ec2.InternetGateway, "igw", {});
    const rt = table(b, "shared-rt");
    const subnet = b.add(aws.ec2.Subnet, "data-a", { vpcId: PENDING, cidrBlock: "10.0.20.0/24", tags: { "pfv5:tier": "data" } });
    b.add(aws.ec2.RouteTableAssociation, "data-a-assoc", { routeTableId: PENDING, subnetId: PENDING }, { dependsOn: { routeTableId: [rt], subnetId: [subnet] }, unknowns: ["routeTableId", "subnetId"] });
    route(b, "shared-igw", rt, { gatewayId: igw });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.Route "shared-igw" in route table aws.ec2.RouteTable "shared-rt" (associated with data subnet aws.ec2.Subnet "data-a") sends traffic to an internet gateway (gatewayId)',
    ]);
  });

  it("reports a data route whose gateway is unknown and not in the stack as not checkable", async () => {
    const b = new StackBuilder();
    const data = table(b, "data-rt", "data");
    b.add(aws.ec2.Route, "data-mystery", { routeTableId: PENDING, destinationCidrBlock: "0.0.0.0/0", gatewayId: PENDING }, { dependsOn: { routeTableId: [data] }, unknowns: ["routeTableId", "gatewayId"] });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.Route "data-mystery" could not be checked: gatewayId is unknown until deployment, so preview cannot show that it complies',
    ]);
  });

  it("rejects a NAT gateway and default outbound access on an Azure data subnet", async () => {
    const b = new StackBuilder();
    const dataNsg = nsg(b, "data-nsg", "data");
    const appNsg = nsg(b, "app-nsg", "app");
    const subnet = (name: string, of: PolicyResource, extra: Omit<Props<network.SubnetArgs>, "resourceGroupName" | "virtualNetworkName">) =>
      b.add(network.Subnet, name, { resourceGroupName: "rg", virtualNetworkName: "vnet", networkSecurityGroup: { id: PENDING }, ...extra }, { dependsOn: { networkSecurityGroup: [of] }, unknowns: ["networkSecurityGroup.id"] });
    subnet("app", appNsg, { natGateway: { id: "nat" } });
    subnet("data", dataNsg, { natGateway: { id: "nat" }, defaultOutboundAccess: true });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'azure-native.network.Subnet "data" (data tier, NSG azure-native.network.NetworkSecurityGroup "data-nsg") has a NAT gateway',
      'azure-native.network.Subnet "data" (data tier, NSG azure-native.network.NetworkSecurityGroup "data-nsg") sets defaultOutboundAccess to true, which gives it an implicit route to the internet',
    ]);
  });

  it("rejects inline internet routes on a data route table and accepts them on the DMZ table", async () => {
    const data = resourceArgs(aws.ec2.RouteTable, { vpcId: "vpc-1", tags: { "pfv5:tier": "data" }, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }] }, { name: "data-rt" });
    assert.deepEqual(whats(await runResource(policy, data)), [
      'aws.ec2.RouteTable "data-rt" (pfv5:tier data) routes[0] sends traffic to a NAT gateway (nat-1)',
    ]);
    const dmz = resourceArgs(aws.ec2.RouteTable, { vpcId: "vpc-1", tags: { "pfv5:tier": "dmz" }, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] });
    assert.deepEqual(await runResource(policy, dmz), { violations: [] });
  });

  it("does not apply to other resources or to a stack without routes", async () => {
    assert.equal((await runResource(policy, resourceArgs(aws.ec2.Vpc, {}))).notApplicable, "applies only to aws.ec2.RouteTable");
    const b = new StackBuilder();
    b.add(aws.ec2.Vpc, "main", { cidrBlock: "10.0.0.0/16" });
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to aws.ec2.Route, aws.ec2.RouteTable, azure-native.network.Subnet");
  });

  it("reports a route table whose tags are unknown as not checkable", async () => {
    const args = resourceArgs(aws.ec2.RouteTable, { vpcId: "vpc-1", tags: { "pfv5:tier": "data" } }, { name: "rt", unknowns: ["tags"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.RouteTable "rt" could not be checked: tags is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
