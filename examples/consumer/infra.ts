/**
 * The platform team's edge of the network: a VPC laid out by security zone, the zone
 * firewall, and an SSH bastion in the first DMZ subnet, composed from the published
 * @pfv5 packages. Kept apart from index.ts so the specs can build it under mocks.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { AwsBastion, type AdminUser } from "@pfv5/access";
import { AwsZoneFirewall } from "@pfv5/firewall";
import { AwsNetwork } from "@pfv5/network";

export interface EdgeArgs {
  /** The administrators' blocks: SSH to the bastion, and never part of a blocklist. */
  readonly adminCidrs: readonly string[];
  /** Who may log in to the bastion. */
  readonly admins: readonly AdminUser[];
  /** How many availability zones of the region to spread the subnets over. */
  readonly azCount: number;
  /** Tags for every resource. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface Edge {
  readonly network: AwsNetwork;
  readonly firewall: AwsZoneFirewall;
  readonly bastion: AwsBastion;
}

/**
 * Builds the edge. The zone names are awaited before anything is declared: they shape
 * the resource graph, so they must be plain values at preview.
 */
export async function createEdge(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions): Promise<Edge> {
  const available = await aws.getAvailabilityZones({ state: "available" });
  const availabilityZones = available.names.slice(0, args.azCount);

  const network = new AwsNetwork(
    name,
    { availabilityZones, natStrategy: "single", adminCidrs: args.adminCidrs, tags: args.tags },
    opts,
  );
  const firewall = new AwsZoneFirewall(
    `${name}-fw`,
    { vpcId: network.vpcId, vpcCidr: network.vpcCidr, adminCidrs: args.adminCidrs, tags: args.tags },
    opts,
  );

  const [dmz] = network.subnetIds.dmz;
  if (dmz === undefined) throw new Error(`${name}: the network has no DMZ subnet for the bastion`);
  const cidrsOf = (subnets: readonly { readonly cidr: string }[]): string[] => subnets.map((s) => s.cidr);
  const bastion = await AwsBastion.create(
    `${name}-bastion`,
    {
      subnetId: dmz,
      securityGroupId: firewall.securityGroupIds.bastion,
      vpcCidr: network.vpcCidr,
      sshAllowedCidrs: args.adminCidrs,
      users: args.admins,
      // Where SSH from the bastion may go: the private tiers' own subnets.
      zoneCidrs: { app: cidrsOf(network.subnets.app), data: cidrsOf(network.subnets.data), mgmt: cidrsOf(network.subnets.mgmt) },
      tags: args.tags,
    },
    opts,
  );
  return { network, firewall, bastion };
}
