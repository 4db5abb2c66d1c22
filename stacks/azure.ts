/**
 * The Azure stack: resource group, zone NSGs, VNet with one subnet per tier, a NAT gateway
 * for the private tiers, and the bastion/VPN VM in the DMZ. Only composition and config
 * here; every component's own checks run first, together, before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { AzureBastion, checkPeers, checkUsers, type AdminUser, type WireGuardPeer } from "@pfv5/access";
import { AzureNetwork, checkAzureNetworkArgs, type AzureNetworkArgs } from "@pfv5/network";
import type { AzureSettings } from "@pfv5/stack-config";
import { VPN_CIDR, VPN_SERVER_ADDRESS, renameKeys, throwIfProblems } from "@pfv5/zones";

export function azureStack(settings: AzureSettings): Promise<Record<string, unknown>> {
  const name = `pfv5-${settings.environment}`;
  const opts: pulumi.ComponentResourceOptions = { protect: settings.protect };
  const { access } = settings;
  const networkArgs: AzureNetworkArgs = {
    location: settings.location,
    addressPlan: settings.addressPlan,
    adminCidrs: access.ssh ? settings.sshAllowedCidrs : [],
    blockedCidrs: settings.blockedCidrs,
    tags: settings.tags,
    ...(settings.resourceGroupName !== undefined ? { resourceGroupName: settings.resourceGroupName } : {}),
  };
  // An Azure VM always has an admin account, so a user is needed even without SSH.
  throwIfProblems(`stack "${pulumi.getStack()}" configuration`, [
    ...renameKeys(checkAzureNetworkArgs(networkArgs), {
      location: "azure-native:location",
      addressPlan: "pfv5:addressPlan",
      adminCidrs: "pfv5:sshAllowedCidrs",
      blockedCidrs: "pfv5:blockedCidrs",
      resourceGroupName: "pfv5:resourceGroupName",
      tags: "pfv5:tags",
    }),
    ...checkUsers("pfv5:adminUsers", access.users, true),
    ...(access.peers.length > 0 ? checkPeers("pfv5:wireguardPeers", access.peers, VPN_CIDR, VPN_SERVER_ADDRESS) : []),
  ]);
  // The checks above accepted these lists as written.
  const users = access.users as readonly AdminUser[];
  const peers = access.peers as readonly WireGuardPeer[];

  const network = new AzureNetwork(name, networkArgs, opts);

  // One VM holds both DMZ access roles: Azure NSGs filter per subnet, so separate VMs in
  // the one DMZ subnet would get the same rules anyway.
  const bastion = new AzureBastion(
    `${name}-bastion`,
    {
      resourceGroupName: network.resourceGroupName,
      location: settings.location,
      subnetId: network.subnetIds.dmz,
      vpcCidr: settings.addressPlan.cidr,
      configKeys: { users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" },
      zoneCidrs: {
        app: [...settings.addressPlan.subnets.app],
        data: [...settings.addressPlan.subnets.data],
        mgmt: [...settings.addressPlan.subnets.mgmt],
      },
      ssh: access.ssh,
      users,
      ...(access.ssh ? { sshAllowedCidrs: settings.sshAllowedCidrs } : {}),
      ...(peers.length > 0 ? { vpn: { peers } } : {}),
      tags: settings.tags,
    },
    opts,
  );

  return Promise.resolve({
    resourceGroupName: network.resourceGroupName,
    vnetId: network.vnetId,
    vnetCidr: network.vnetCidr,
    subnetIds: network.subnetIds,
    nsgIds: network.nsgIds,
    natGatewayId: network.natGatewayId,
    natPublicIpAddress: network.natPublicIpAddress,
    bastionPublicIp: bastion.publicIp,
    ...(peers.length > 0 ? { vpnClientConfigs: bastion.clientConfigs } : {}),
  });
}
