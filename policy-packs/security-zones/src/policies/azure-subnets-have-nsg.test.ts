import * as assert from "node:assert/strict";
import * as network from "@pulumi/azure-native/network";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { azureSubnetsHaveNsg as policy } from "./azure-subnets-have-nsg";

const base = { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefix: "10.0.10.0/24" };

describe("azure-subnets-have-nsg", () => {
  it("accepts a subnet whose NSG id is unknown in preview", async () => {
    const args = resourceArgs(network.Subnet, { ...base, networkSecurityGroup: { id: "pending" } }, { unknowns: ["networkSecurityGroup.id"] });
    assert.deepEqual(await runResource(policy, args), { violations: [] });
  });

  it("rejects a subnet without an NSG, or with an NSG reference that has no id", async () => {
    const none = resourceArgs(network.Subnet, base, { name: "app" });
    assert.deepEqual(whats(await runResource(policy, none)), ['azure-native.network.Subnet "app" has no networkSecurityGroup']);
    const empty = resourceArgs(network.Subnet, { ...base, networkSecurityGroup: {} }, { name: "app" });
    assert.deepEqual(whats(await runResource(policy, empty)), ['azure-native.network.Subnet "app" sets networkSecurityGroup without an id']);
  });

  it("does not apply to subnets Azure reserves for its gateways and firewalls", async () => {
    const args = resourceArgs(network.Subnet, { ...base, subnetName: "GatewaySubnet" });
    assert.equal((await runResource(policy, args)).notApplicable, "GatewaySubnet is reserved for an Azure service and takes no NSG");
  });

  it("does not apply to other resource types", async () => {
    const args = resourceArgs(network.VirtualNetwork, { resourceGroupName: "rg" });
    assert.equal((await runResource(policy, args)).notApplicable, "applies only to azure-native.network.Subnet");
  });

  it("reports an NSG reference that is unknown as a whole as not checkable", async () => {
    const args = resourceArgs(network.Subnet, { ...base, networkSecurityGroup: { id: "pending" } }, { name: "app", unknowns: ["networkSecurityGroup"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'azure-native.network.Subnet "app" could not be checked: networkSecurityGroup is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
