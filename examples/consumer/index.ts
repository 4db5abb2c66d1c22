/**
 * The program Pulumi runs: reads the stack's settings and builds the edge.
 *
 *   pulumi config set --path 'adminCidrs[0]' 203.0.113.0/24
 *   pulumi config set adminKey "$(cat ~/.ssh/id_ed25519.pub)"
 */
import * as pulumi from "@pulumi/pulumi";
import { createEdge } from "./infra";

async function main(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const edge = await createEdge(`edge-${pulumi.getStack()}`, {
    adminCidrs: config.requireObject<string[]>("adminCidrs"),
    admins: [{ name: "ops", publicKeys: [config.require("adminKey")] }],
    azCount: config.getNumber("azCount") ?? 2,
    tags: { Team: "platform", Stack: pulumi.getStack() },
  });
  return {
    vpcId: edge.network.vpcId,
    dmzSubnetIds: edge.network.subnetIds.dmz,
    securityGroupIds: edge.firewall.securityGroupIds,
    bastionIp: edge.bastion.publicIp,
  };
}

export = main;
