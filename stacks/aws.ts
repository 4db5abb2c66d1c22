/**
 * The AWS stack: a VPC laid out by zone, the zone firewall, and (when enabled) the
 * bastion and VPN. Only composition and config here; the components validate their args.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsZoneFirewall } from "@pfv5/firewall";
import { AwsNetwork } from "@pfv5/network";
import type { AwsSettings } from "@pfv5/stack-config";

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
  const protect: pulumi.ComponentResourceOptions = { protect: settings.protect };
  const azs = await availabilityZones(settings);

  const network = new AwsNetwork(
    name,
    {
      availabilityZones: azs,
      azCount: settings.azCount,
      addressPlan: settings.addressPlan,
      natStrategy: settings.natStrategy,
      flowLogRetentionDays: settings.flowLogRetentionDays,
      blockedCidrs: settings.blockedCidrs,
      adminCidrs: settings.sshAllowedCidrs,
      tags: settings.tags,
    },
    protect,
  );

  const firewall = new AwsZoneFirewall(
    `${name}-fw`,
    {
      vpcId: network.vpcId,
      vpcCidr: network.vpcCidr,
      adminCidrs: settings.sshAllowedCidrs,
      tags: settings.tags,
    },
    protect,
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
  };
}
