/**
 * The AWS stack: a VPC laid out by zone, the zone firewall, the bastion and (when peers
 * are configured) a WireGuard VPN host. Only composition and config here; every
 * component's own checks run first, together, so a bad value fails the run before any
 * resource is registered.
 */
import * as aws from "@pulumi/aws";
import { AwsBastion, checkPeers, checkUsers, type AdminUser, type WireGuardPeer } from "@pfv5/access";
import { AwsZoneFirewall, checkAwsZoneFirewallArgs } from "@pfv5/firewall";
import { AwsEdge, checkAwsEdgeArgs, type AwsEdgeArgs } from "@pfv5/tls";
import { AwsNetwork, checkAwsNetworkArgs, type AwsNetworkArgs } from "@pfv5/network";
import type { AwsSettings } from "@pfv5/stack-config";
import * as pulumi from "@pulumi/pulumi";
import { VPN_CIDR, VPN_SERVER_ADDRESS, renameKeys, throwIfProblems, tierSubnets, underKey } from "@pfv5/zones";

/** The component arguments the stack fills from config, by the config key they come from. */
const CONFIG_KEYS: Readonly<Record<string, string>> = {
  availabilityZones: "pfv5:availabilityZones",
  azCount: "pfv5:azCount",
  addressPlan: "pfv5:addressPlan",
  natStrategy: "pfv5:natStrategy",
  flowLogRetentionDays: "pfv5:flowLogRetentionDays",
  blockedCidrs: "pfv5:blockedCidrs",
  adminCidrs: "pfv5:sshAllowedCidrs",
  vpcCidr: "pfv5:addressPlan.cidr",
  tags: "pfv5:tags",
  enableBastionSsh: "pfv5:bastionSsh",
  networkAclRuleLimit: "pfv5:networkAclRuleLimit",
};

/**
 * The AZ names as plain strings: from config, or the first `azCount` available zones of the
 * region, awaited before any resource is declared (the graph must not depend on an apply).
 */
async function availabilityZones(settings: AwsSettings): Promise<string[]> {
  if (settings.availabilityZones !== undefined) return [...settings.availabilityZones];
  const found = await aws.getAvailabilityZones({ state: "available" });
  if (found.names.length < settings.azCount) {
    throw new Error(
      `pfv5:azCount = ${settings.azCount}: region ${settings.region} has only ${found.names.length} available zones; lower the count`,
    );
  }
  return found.names.slice(0, settings.azCount);
}

export async function awsStack(settings: AwsSettings): Promise<Record<string, unknown>> {
  const name = `pfv5-${settings.environment}`;
  const opts: pulumi.ComponentResourceOptions = { protect: settings.protect };
  const { access } = settings;
  const azs = await availabilityZones(settings);
  const networkArgs: AwsNetworkArgs = {
    availabilityZones: azs,
    azCount: settings.azCount,
    addressPlan: settings.addressPlan,
    natStrategy: settings.natStrategy,
    flowLogRetentionDays: settings.flowLogRetentionDays,
    networkAclRuleLimit: settings.networkAclRuleLimit,
    blockedCidrs: settings.blockedCidrs,
    // With SSH off the DMZ's ACL admits no admin CIDR either (stack-config still refuses
    // blocked ranges that overlap the configured admin CIDRs).
    adminCidrs: access.ssh ? settings.sshAllowedCidrs : [],
    tags: settings.tags,
  };
  const vpcCidr = settings.addressPlan.cidr;
  const subject = `stack "${pulumi.getStack()}" configuration`;
  throwIfProblems(subject, [
    ...renameKeys([...checkAwsNetworkArgs(networkArgs), ...checkAwsZoneFirewallArgs({ vpcCidr, adminCidrs: networkArgs.adminCidrs ?? [], enableBastionSsh: access.ssh })], CONFIG_KEYS),
    ...checkUsers("pfv5:adminUsers", access.users, access.ssh),
    ...(access.peers.length > 0 ? checkPeers("pfv5:wireguardPeers", access.peers, VPN_CIDR, VPN_SERVER_ADDRESS) : []),
  ]);
  // `pfv5:edge` as written; ids come from the network below, so placeholders stand in
  // for the check.
  const edgeConfig = settings.edge as Omit<AwsEdgeArgs, "vpcId" | "subnetIds" | "securityGroupId"> | undefined;
  if (edgeConfig !== undefined) {
    const probe: AwsEdgeArgs = { ...edgeConfig, vpcId: "vpc", subnetIds: azs.map((az) => az), securityGroupId: "sg" };
    underKey("pfv5:edge", subject, () => throwIfProblems(subject, checkAwsEdgeArgs(probe)));
  }
  // The checks above accepted these lists as written.
  const users = access.users as readonly AdminUser[];
  const peers = access.peers as readonly WireGuardPeer[];

  const network = new AwsNetwork(name, networkArgs, opts);
  const firewall = new AwsZoneFirewall(
    `${name}-fw`,
    {
      vpcId: network.vpcId,
      vpcCidr: network.vpcCidr,
      adminCidrs: access.ssh ? settings.sshAllowedCidrs : [],
      enableBastionSsh: access.ssh,
      tags: settings.tags,
    },
    opts,
  );

  const zoneCidrs = {
    app: tierSubnets(settings.addressPlan, "app", settings.azCount),
    data: tierSubnets(settings.addressPlan, "data", settings.azCount),
    mgmt: tierSubnets(settings.addressPlan, "mgmt", settings.azCount),
  };
  const hostCommon = {
    vpcCidr,
    configKeys: { users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" },
    zoneCidrs,
    logRetentionDays: access.logRetentionDays,
    ...(access.instanceType !== undefined ? { instanceType: access.instanceType } : {}),
    ...(access.amiId !== undefined ? { amiId: access.amiId } : {}),
    tags: settings.tags,
  };
  const [bastionSubnet, vpnSubnet] = [network.subnetIds.dmz[0], network.subnetIds.dmz[1] ?? network.subnetIds.dmz[0]];
  if (bastionSubnet === undefined || vpnSubnet === undefined) throw new Error("the network has no DMZ subnet");

  // The bastion: SSH from the authorized CIDRs, or Session Manager only.
  const bastion = await AwsBastion.create(
    `${name}-bastion`,
    {
      ...hostCommon,
      subnetId: bastionSubnet,
      securityGroupId: firewall.securityGroupIds.bastion,
      ssh: access.ssh,
      ...(access.ssh ? { sshAllowedCidrs: settings.sshAllowedCidrs, users } : {}),
    },
    opts,
  );

  // The VPN endpoint runs on its own host with the vpn-server group, so a WireGuard
  // change never touches the bastion and the bastion's group never opens udp 51820.
  const vpn =
    peers.length > 0
      ? await AwsBastion.create(
          `${name}-vpn`,
          { ...hostCommon, subnetId: vpnSubnet, securityGroupId: firewall.securityGroupIds["vpn-server"], ssh: false, vpn: { peers } },
          opts,
        )
      : undefined;

  const edge =
    edgeConfig === undefined
      ? undefined
      : new AwsEdge(
          `${name}-edge`,
          {
            deletionProtection: settings.protect,
            ...edgeConfig,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds.dmz,
            securityGroupId: firewall.securityGroupIds.edge,
            tags: { ...settings.tags },
          },
          opts,
        );

  return {
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    availabilityZones: network.availabilityZones,
    subnetIds: network.subnetIds,
    routeTableIds: network.routeTableIds,
    natGatewayIds: network.natGatewayIds,
    securityGroupIds: firewall.securityGroupIds,
    flowLogId: network.flowLogId,
    bastionPublicIp: bastion.publicIp,
    bastionInstanceId: bastion.instanceId,
    ...(vpn !== undefined ? { vpnEndpoint: vpn.publicIp, vpnClientConfigs: vpn.clientConfigs } : {}),
    ...(edge !== undefined ? { edgeDnsName: edge.dnsName, edgeCertificateArn: edge.certificateArn } : {}),
  };
}
