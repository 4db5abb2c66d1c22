import type { PolicyResource } from "@pulumi/policy";
import { COMPUTE_T } from "../lib/compute";
import { label, type StackGraph } from "../lib/graph";
import { addressHolder, azurePlacement, instancePlacement, isPlaced, type Placement } from "../lib/placement";
import { definePolicy, eachGuarded, type Context } from "../lib/policy";
import { isSet } from "../lib/read";
import { TIER_TAG, readTier } from "../lib/targets";
import { propsOf, T } from "../lib/types";

const MOVE = "move it into a DMZ subnet, or drop the public address and reach the host through the edge load balancer, the bastion or the VPN";
const PLACE =
  `reference the subnet, interface or instance by its resource (so the policy can follow it) and make sure the subnet is tagged ${TIER_TAG} ` +
  "(AWS) or has its tier's NSG (Azure)";

/** Reports `what` (a public address on `subject`) unless `placement` puts it in the DMZ. */
function judge(ctx: Context, subject: PolicyResource, what: string, placement: Placement): void {
  if (!isPlaced(placement)) {
    ctx.report({ urn: subject.urn, what: `${what}, and the policy cannot tell which zone that is: ${placement.problem}`, fix: PLACE });
  } else if (placement.tier !== "dmz") {
    ctx.report({ urn: subject.urn, what: `${what} in ${placement.where}: only the DMZ may hold public addresses`, fix: MOVE });
  }
}

function checkAws(graph: StackGraph, ctx: Context): void {
  eachGuarded(ctx, graph.ofType(COMPUTE_T.instance), ({ resource, props }) => {
    // Read through the proxy: an unknown flag may give the instance an address.
    if (props.associatePublicIpAddress === true) judge(ctx, resource, `${label(resource)} sets associatePublicIpAddress`, instancePlacement(graph, resource));
  });
  const addresses = [
    ...graph.ofType(COMPUTE_T.eip).map(({ resource }) => ({ resource, keys: { instance: "instance", networkInterface: "networkInterface" } })),
    ...graph.ofType(COMPUTE_T.eipAssociation).map(({ resource }) => ({ resource, keys: { instance: "instanceId", networkInterface: "networkInterfaceId" } })),
  ];
  eachGuarded(ctx, addresses, ({ resource, keys }) => {
    const held = addressHolder(graph, resource, keys);
    if (held === undefined) return;
    if (!("holder" in held)) {
      judge(ctx, resource, `${label(resource)} attaches a public address`, held);
      return;
    }
    judge(ctx, resource, `${label(resource)} gives a public address to ${label(held.holder)}`, held.placement);
  });
}

function checkAzure(graph: StackGraph, ctx: Context): void {
  eachGuarded(ctx, graph.ofType(COMPUTE_T.azureNetworkInterface), ({ resource, props }) => {
    const configs = props.ipConfigurations ?? [];
    const withIp = configs.flatMap((c, i) => (isSet(c, "publicIPAddress") ? [`ipConfigurations[${i}]${c.name !== undefined ? ` "${c.name}"` : ""}`] : []));
    if (withIp.length === 0) return;
    const placement = azurePlacement(graph, resource, "ipConfigurations", configs.map((c) => () => c.subnet?.id));
    judge(ctx, resource, `${label(resource)} ${withIp.join(", ")} ${withIp.length === 1 ? "has" : "have"} a public IP address`, placement);
  });
  eachGuarded(ctx, graph.ofType(COMPUTE_T.virtualMachine), ({ resource, props }) => {
    const nics = props.networkProfile?.networkInterfaceConfigurations ?? [];
    const configs = nics.flatMap((n) => n.ipConfigurations.map((c) => ({ nic: n.name, c })));
    const withIp = configs.filter(({ c }) => isSet(c, "publicIPAddressConfiguration"));
    if (withIp.length === 0) return;
    const placement = azurePlacement(graph, resource, "networkProfile", configs.map(({ c }) => () => c.subnet?.id));
    const names = withIp.map(({ nic, c }) => `"${nic}/${c.name}"`).join(", ");
    judge(ctx, resource, `${label(resource)} creates a public IP address on networkInterfaceConfigurations ${names}`, placement);
  });
}

export const publicIpOnlyInDmz = definePolicy({
  name: "public-ip-only-in-dmz",
  description:
    "Only the DMZ holds public addresses: no Elastic IP, associatePublicIpAddress, mapPublicIpOnLaunch or Azure public IP on anything outside a DMZ subnet.",
  why:
    "A public address makes a host reachable from the internet as soon as a security group, ACL or NSG rule slips, and it " +
    "lets the host's traffic leave past the NAT gateway and the zone's egress rules. The zone model keeps public addresses " +
    "to the DMZ (the edge, the bastion, the VPN endpoint); anything in the app, data or management tier stays private. A " +
    "NAT gateway's address, which only carries connections its tier opens, is not counted.",
  fix: MOVE,
  severity: "critical",
  config: [],
  resource: {
    types: [T.awsSubnet],
    check(r, ctx) {
      const subnet = propsOf(r, T.awsSubnet);
      // Read through the proxy: an unknown flag may hand out addresses.
      if (subnet === undefined || subnet.mapPublicIpOnLaunch !== true) return;
      const t = readTier(label(r), () => subnet.tags);
      if ("problem" in t) {
        ctx.report({ what: `${label(r)} sets mapPublicIpOnLaunch, and the policy cannot tell its zone: ${t.problem}`, fix: `tag the subnet ${TIER_TAG}, or set mapPublicIpOnLaunch to false` });
      } else if (t.tier !== "dmz") {
        ctx.report({
          what: `${label(r)} (tier ${t.tier}) sets mapPublicIpOnLaunch, so every instance launched into it gets a public address`,
          fix: "set mapPublicIpOnLaunch to false; only DMZ subnets hand out public addresses",
        });
      }
    },
  },
  stack: {
    types: [COMPUTE_T.instance, COMPUTE_T.eip, COMPUTE_T.eipAssociation, COMPUTE_T.azureNetworkInterface, COMPUTE_T.virtualMachine],
    check(graph, ctx) {
      checkAws(graph, ctx);
      checkAzure(graph, ctx);
    },
  },
});
