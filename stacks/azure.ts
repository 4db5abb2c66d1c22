/**
 * The Azure stack: resource group, zone NSGs, VNet with one subnet per tier and a NAT
 * gateway for the private tiers. Only composition and config here.
 */
import type * as pulumi from "@pulumi/pulumi";
import { AzureNetwork } from "@pfv5/network";
import type { AzureSettings } from "@pfv5/stack-config";

export function azureStack(settings: AzureSettings): Promise<Record<string, unknown>> {
  const name = `pfv5-${settings.environment}`;
  const protect: pulumi.ComponentResourceOptions = { protect: settings.protect };

  const network = new AzureNetwork(
    name,
    {
      location: settings.location,
      addressPlan: settings.addressPlan,
      adminCidrs: settings.sshAllowedCidrs,
      blockedCidrs: settings.blockedCidrs,
      tags: settings.tags,
      ...(settings.resourceGroupName !== undefined ? { resourceGroupName: settings.resourceGroupName } : {}),
    },
    protect,
  );

  return Promise.resolve({
    resourceGroupName: network.resourceGroupName,
    vnetId: network.vnetId,
    vnetCidr: network.vnetCidr,
    subnetIds: network.subnetIds,
    nsgIds: network.nsgIds,
    natGatewayId: network.natGatewayId,
    natPublicIpAddress: network.natPublicIpAddress,
  });
}
