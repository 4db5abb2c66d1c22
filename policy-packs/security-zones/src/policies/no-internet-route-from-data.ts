import type { PolicyResource } from "@pulumi/policy";
import { isFound, label, type StackGraph } from "../lib/graph";
import { definePolicy, eachGuarded, type Context } from "../lib/policy";
import { isSet, tag, textOr } from "../lib/read";
import { TIER_TAG, tierOf } from "../lib/targets";
import { propsOf, T } from "../lib/types";

/** Route targets that lead out of the VPC to the internet, whatever the destination prefix. */
const INTERNET_TARGETS = [
  { key: "natGatewayId", what: "a NAT gateway" },
  { key: "egressOnlyGatewayId", what: "an egress-only internet gateway (IPv6)" },
  { key: "carrierGatewayId", what: "a carrier gateway" },
] as const;

const FIX = "remove the route: the data tier's route table keeps only the local route (add VPC endpoints if the data tier needs AWS services)";

/**
 * What a route's `gatewayId` names: an internet gateway (a violation), a virtual private
 * gateway or `local` (fine), or something the policy cannot tell.
 */
function gatewayKind(graph: StackGraph | undefined, route: PolicyResource | undefined, gatewayId: () => string | undefined): "internet" | "private" | { unclear: string } {
  if (graph !== undefined && route !== undefined) {
    const found = graph.follow(route, "gatewayId", [T.internetGateway, T.vpnGateway]);
    if (isFound(found)) return found.resource.type === T.internetGateway ? "internet" : "private";
  }
  const id = gatewayId();
  if (id === undefined) return "private";
  if (id === "local" || id.startsWith("vgw-")) return "private";
  if (id.startsWith("igw-")) return "internet";
  return { unclear: `gatewayId "${id}" is neither an internet gateway nor a virtual private gateway of this stack` };
}

interface RouteFields {
  readonly gatewayId?: string;
  readonly natGatewayId?: string;
  readonly egressOnlyGatewayId?: string;
  readonly carrierGatewayId?: string;
}

/** Reports the internet targets of one route of a data route table. */
function judgeRoute(ctx: Context, urn: string, where: string, route: RouteFields, graph?: StackGraph, resource?: PolicyResource): void {
  for (const t of INTERNET_TARGETS) {
    if (isSet(route, t.key)) ctx.report({ urn, what: `${where} sends traffic to ${t.what} (${textOr(route, t.key)})`, fix: FIX });
  }
  if (!isSet(route, "gatewayId")) return;
  const kind = gatewayKind(graph, resource, () => route.gatewayId);
  if (kind === "internet") ctx.report({ urn, what: `${where} sends traffic to an internet gateway (${textOr(route, "gatewayId")})`, fix: FIX });
  else if (kind !== "private") ctx.report({ urn, what: `${where} may lead to the internet: ${kind.unclear}`, fix: FIX });
}

/**
 * The route tables that belong (or may belong) to the data tier, each with the reason:
 * tagged `pfv5:tier` = data, associated with a subnet so tagged, or tags unknown in preview.
 */
function dataRouteTables(graph: StackGraph): Map<string, string> {
  const data = new Map<string, string>();
  for (const { resource } of graph.ofType(T.routeTable)) {
    const t = tierOf(resource);
    if ("tier" in t && t.tier === "data") data.set(resource.urn, `tagged ${TIER_TAG} data`);
    else if ("unknown" in t) data.set(resource.urn, `${t.problem}, so it may belong to the data tier`);
  }
  for (const { resource } of graph.ofType(T.routeTableAssociation)) {
    const table = graph.follow(resource, "routeTableId", [T.routeTable]);
    const subnet = graph.follow(resource, "subnetId", [T.awsSubnet]);
    if (!isFound(table) || !isFound(subnet)) continue;
    const t = tierOf(subnet.resource);
    if ("tier" in t && t.tier === "data" && !data.has(table.resource.urn)) {
      data.set(table.resource.urn, `associated with data subnet ${label(subnet.resource)}`);
    }
  }
  return data;
}

export const noInternetRouteFromData = definePolicy({
  name: "no-internet-route-from-data",
  description: "The data tier has no route to an internet gateway or a NAT gateway, and Azure data subnets have no NAT gateway.",
  why:
    "The data tier holds the databases and backups; with no route out of the VPC, a compromised database host cannot " +
    "exfiltrate data or fetch tools, whatever its security groups say.",
  fix: FIX,
  severity: "critical",
  config: [],
  resource: {
    types: [T.routeTable],
    check(r, ctx) {
      const table = propsOf(r, T.routeTable);
      if (table === undefined) return;
      // Read through the proxy: unknown tags make the table not checkable, not compliant.
      if (tag(table.tags, TIER_TAG) !== "data") return;
      (table.routes ?? []).forEach((route, i) => judgeRoute(ctx, r.urn, `${label(r)} (${TIER_TAG} data) routes[${i}]`, route));
    },
  },
  stack: {
    types: [T.route, T.routeTable, T.azureSubnet],
    check(graph, ctx) {
      const data = dataRouteTables(graph);
      eachGuarded(ctx, graph.ofType(T.route), ({ resource, props }) => {
        const table = graph.follow(resource, "routeTableId", [T.routeTable]);
        const why = isFound(table) ? data.get(table.resource.urn) : undefined;
        if (!isFound(table) || why === undefined) return;
        judgeRoute(ctx, resource.urn, `${label(resource)} in route table ${label(table.resource)} (${why})`, props, graph, resource);
      });
      eachGuarded(ctx, graph.ofType(T.azureSubnet), ({ resource, props }) => {
        const nsg = graph.follow(resource, "networkSecurityGroup", [T.nsg]);
        if (!isFound(nsg)) return;
        const t = tierOf(nsg.resource);
        if (!("tier" in t) || t.tier !== "data") return;
        const where = `${label(resource)} (data tier, NSG ${label(nsg.resource)})`;
        if (isSet(props, "natGateway")) {
          ctx.report({ urn: resource.urn, what: `${where} has a NAT gateway`, fix: "remove natGateway from the data subnet; only app and mgmt subnets get the NAT gateway" });
        }
        if (props.defaultOutboundAccess === true) {
          ctx.report({ urn: resource.urn, what: `${where} sets defaultOutboundAccess to true, which gives it an implicit route to the internet`, fix: "set defaultOutboundAccess to false" });
        }
      });
    },
  },
});
