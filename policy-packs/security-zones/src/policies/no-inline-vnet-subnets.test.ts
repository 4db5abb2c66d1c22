import * as assert from "node:assert/strict";
import * as network from "@pulumi/azure-native/network";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { noInlineVnetSubnets as policy } from "./no-inline-vnet-subnets";

describe("no-inline-vnet-subnets", () => {
  it("accepts a VNet that leaves its subnets to Subnet resources", async () => {
    const args = resourceArgs(network.VirtualNetwork, { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
    assert.deepEqual(await runResource(policy, args), { violations: [] });
  });

  it("rejects inline subnets, an empty list included", async () => {
    const args = resourceArgs(network.VirtualNetwork, { resourceGroupName: "rg", subnets: [] }, { name: "vnet" });
    assert.deepEqual(whats(await runResource(policy, args)), ['azure-native.network.VirtualNetwork "vnet" sets inline subnets']);
  });

  it("rejects inline subnets that are unknown in preview", async () => {
    const args = resourceArgs(network.VirtualNetwork, { resourceGroupName: "rg", subnets: [{ name: "app", addressPrefix: "10.0.10.0/24" }] }, { name: "vnet", unknowns: ["subnets"] });
    assert.deepEqual(whats(await runResource(policy, args)), ['azure-native.network.VirtualNetwork "vnet" sets inline subnets']);
  });

  it("does not apply to subnets", async () => {
    const args = resourceArgs(network.Subnet, { resourceGroupName: "rg", virtualNetworkName: "vnet" });
    assert.equal((await runResource(policy, args)).notApplicable, "applies only to azure-native.network.VirtualNetwork");
  });
});
