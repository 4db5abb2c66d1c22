/**
 * Where a host sits in the zone model: the subnet an AWS instance, network interface or
 * Elastic IP lands in, or the Azure subnet of a NIC's IP configuration, and that subnet's
 * tier. AWS subnets carry `pfv5:tier` themselves; an Azure subnet's tier is the tag of the
 * NSG set on it (the firewall tags NSGs, and azure-subnets-have-nsg makes every subnet
 * have one).
 *
 * Ids are unknown in preview, so each step follows the property's dependencies (the
 * resources whose outputs fed it); a reference whose id is known matches a resource of the
 * stack by id as well.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { Tier } from "@pfv5/zones";
import { COMPUTE_T } from "./compute";
import { isFound, label, type Resolution, type StackGraph } from "./graph";
import { isSet } from "./read";
import { isUnknownValueError } from "./sdk";
import { tierOf } from "./targets";
import { propsOf, shortType, T, type TypeToken } from "./types";

/** The subnet a resource sits in and that subnet's tier. */
export interface Place {
  readonly subnet: PolicyResource;
  readonly tier: Tier;
  /** The subnet as named in messages, with where its tier comes from. */
  readonly where: string;
}

/** Why the place cannot be told. */
export interface Unplaced {
  readonly problem: string;
}

export type Placement = Place | Unplaced;

export function isPlaced(p: Placement): p is Place {
  return "tier" in p;
}

/** The value read by `read` when it is a known string; `undefined` when unset or unknown in preview. */
function knownString(read: () => unknown): string | undefined {
  try {
    const v = read();
    return typeof v === "string" ? v : undefined;
  } catch (e) {
    if (isUnknownValueError(e)) return undefined;
    throw e;
  }
}

function unique(resources: readonly PolicyResource[]): PolicyResource[] {
  return [...new Map(resources.map((r) => [r.urn, r])).values()];
}

/** The resources of `types` among the dependencies of top-level `property` of `r`. */
function dependencies(r: PolicyResource, property: string, types: readonly TypeToken[]): PolicyResource[] {
  return unique((r.propertyDependencies[property] ?? []).filter((d) => (types as readonly string[]).includes(d.type)));
}

/** The resource of `types` in the stack whose `id` is `id`. */
function byId(graph: StackGraph, types: readonly TypeToken[], id: string): PolicyResource | undefined {
  const matches = graph.resources.filter((c) => (types as readonly string[]).includes(c.type) && knownString(() => c.props["id"]) === id);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The resource of `types` that a reference nested inside top-level `property` names (an
 * id inside an object, e.g. `primaryNetworkInterface.networkInterfaceId`): the single such
 * resource among the property's dependencies, or the one whose id equals the known value.
 */
export function followNested(graph: StackGraph, r: PolicyResource, property: string, path: string, types: readonly TypeToken[], id: () => unknown): Resolution {
  const wanted = types.map(shortType).join(" or ");
  const deps = dependencies(r, property, types);
  const [only, ...more] = deps;
  if (only !== undefined && more.length === 0) return { resource: only };
  if (more.length > 0) {
    return { reason: `${property} depends on ${deps.length} ${wanted} resources (${deps.map(label).join(", ")}), so which one ${path} names is ambiguous` };
  }
  const value = knownString(id);
  if (value !== undefined) {
    const match = byId(graph, types, value);
    return match !== undefined ? { resource: match } : { reason: `${path} "${value}" names no ${wanted} in this stack` };
  }
  return { reason: `${path} neither depends on a ${wanted} in this stack nor has a value known during preview` };
}

/** An AWS subnet's place, from its own `pfv5:tier` tag. */
export function awsSubnetPlacement(subnet: PolicyResource): Placement {
  const t = tierOf(subnet);
  if ("problem" in t) return { problem: t.problem };
  return { subnet, tier: t.tier, where: `${label(subnet)} (tier ${t.tier})` };
}

function placeThrough(found: Resolution, next: (r: PolicyResource) => Placement): Placement {
  return isFound(found) ? next(found.resource) : { problem: found.reason };
}

/** The place of an AWS network interface: its subnet's. */
export function interfacePlacement(graph: StackGraph, eni: PolicyResource): Placement {
  return placeThrough(graph.follow(eni, "subnetId", [T.awsSubnet]), awsSubnetPlacement);
}

/**
 * The place of an AWS instance's primary interface, which is where an Elastic IP on the
 * instance and an address from `associatePublicIpAddress` go: the interface given as
 * `primaryNetworkInterface` (or the one of `networkInterfaces`), else `subnetId`.
 */
export function instancePlacement(graph: StackGraph, instance: PolicyResource): Placement {
  const p = propsOf(instance, COMPUTE_T.instance);
  if (p === undefined) return { problem: `${label(instance)} is not an aws.ec2.Instance` };
  if (isSet(p, "primaryNetworkInterface")) {
    const eni = followNested(graph, instance, "primaryNetworkInterface", "primaryNetworkInterface.networkInterfaceId", [COMPUTE_T.awsNetworkInterface], () => p.primaryNetworkInterface?.networkInterfaceId);
    return placeThrough(eni, (r) => interfacePlacement(graph, r));
  }
  if (isSet(p, "networkInterfaces")) {
    const primary = () => p.networkInterfaces?.find((n) => n.deviceIndex === 0)?.networkInterfaceId;
    const eni = followNested(graph, instance, "networkInterfaces", "networkInterfaces[deviceIndex 0].networkInterfaceId", [COMPUTE_T.awsNetworkInterface], primary);
    return placeThrough(eni, (r) => interfacePlacement(graph, r));
  }
  if (isSet(p, "subnetId")) return placeThrough(graph.follow(instance, "subnetId", [T.awsSubnet]), awsSubnetPlacement);
  return { problem: `${label(instance)} names no subnet or network interface, so it launches into the default subnet of the account's default VPC, outside the zone model` };
}

/** What an Elastic IP (or an association) attaches its address to, and where that sits. */
export interface Holder {
  readonly holder: PolicyResource;
  readonly placement: Placement;
}

/**
 * The holder of the address of an `ec2.Eip` (keys `instance`, `networkInterface`) or an
 * `ec2.EipAssociation` (`instanceId`, `networkInterfaceId`). `undefined` when it names
 * neither: unattached, or used by a NAT gateway through its allocation id.
 */
export function addressHolder(graph: StackGraph, r: PolicyResource, keys: { readonly instance: string; readonly networkInterface: string }): Holder | Unplaced | undefined {
  if (isSet(r.props, keys.networkInterface)) {
    const eni = graph.follow(r, keys.networkInterface, [COMPUTE_T.awsNetworkInterface]);
    return isFound(eni) ? { holder: eni.resource, placement: interfacePlacement(graph, eni.resource) } : { problem: eni.reason };
  }
  if (isSet(r.props, keys.instance)) {
    const instance = graph.follow(r, keys.instance, [COMPUTE_T.instance]);
    return isFound(instance) ? { holder: instance.resource, placement: instancePlacement(graph, instance.resource) } : { problem: instance.reason };
  }
  return undefined;
}

/** An Azure subnet's place: the tier of the NSG set on it. */
export function azureSubnetPlacement(graph: StackGraph, subnet: PolicyResource): Placement {
  const nsg = graph.follow(subnet, "networkSecurityGroup", [T.nsg]);
  if (!isFound(nsg)) return { problem: `the tier of ${label(subnet)} comes from its NSG, and ${nsg.reason}` };
  const t = tierOf(nsg.resource);
  if ("problem" in t) return { problem: t.problem };
  return { subnet, tier: t.tier, where: `${label(subnet)} (tier ${t.tier}, from ${label(nsg.resource)})` };
}

/**
 * The place of Azure IP configurations nested in top-level `property` of `r` (a NIC's
 * `ipConfigurations`, a VM's `networkProfile`), given readers of their subnet ids: the
 * subnets they name, found by dependency or known id, when those all share one tier.
 */
export function azurePlacement(graph: StackGraph, r: PolicyResource, property: string, subnetIds: readonly (() => unknown)[]): Placement {
  const candidates = dependencies(r, property, [T.azureSubnet]);
  for (const read of subnetIds) {
    const id = knownString(read);
    if (id === undefined) continue;
    const match = byId(graph, [T.azureSubnet], id);
    if (match === undefined) return { problem: `subnet id "${id}" names no azure-native.network.Subnet in this stack` };
    candidates.push(match);
  }
  const subnets = unique(candidates);
  if (subnets.length === 0) {
    return { problem: `${property} neither depends on an azure-native.network.Subnet in this stack nor names one by an id known during preview` };
  }
  const places = subnets.map((s) => azureSubnetPlacement(graph, s));
  const unplaced = places.find((p): p is Unplaced => !isPlaced(p));
  if (unplaced !== undefined) return unplaced;
  const placed = places.filter(isPlaced);
  const tiers = [...new Set(placed.map((p) => p.tier))];
  const [first] = placed;
  if (tiers.length === 1 && first !== undefined) return first;
  return { problem: `${property} refers to subnets of several tiers (${placed.map((p) => p.where).join(", ")}), so which one holds the public address is ambiguous` };
}
