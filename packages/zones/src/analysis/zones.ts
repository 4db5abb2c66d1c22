/**
 * The zones a matrix has rows and columns for, the address ranges of the outside ones, and
 * which layers an evaluation looks at.
 */
import { addressesOf, isEmptySet, PUBLIC_ADDRESSES, subtractAddresses, unionAddresses, type AddressSet } from "./addresses";

/** Zones outside the cloud network: any public address, the administrators, VPN clients. */
export const INTERNET = "internet";
export const ADMINS = "admins";
export const VPN = "vpn";
/** Azure platform services named by service tags (Storage, Sql, ...) and the load balancer's probes. */
export const SERVICES = "services";

/** The AWS matrix: the DMZ split by role, since each role has its own security group. */
export const AWS_MATRIX_ZONES: readonly string[] = ["internet", "admins", "edge", "bastion", "vpn-server", "app", "mgmt", "data", "vpn"];
/** The Azure matrix: NSGs attach to subnets, and the DMZ roles share one subnet. */
export const AZURE_MATRIX_ZONES: readonly string[] = ["internet", "admins", "dmz", "app", "mgmt", "data", "vpn", "services"];

/**
 * The layers an evaluation applies: `groups` (security groups, NSGs), `acls` (AWS network
 * ACLs) and `routes` (route tables, gateways, public addresses). {@link REACH} is what can
 * really pass; {@link FIREWALLS_ONLY} what the rules alone let through (one route or one
 * public address away from reachable); {@link ROUTES_ONLY} where packets can go at all.
 */
export interface Layers {
  readonly groups: boolean;
  readonly acls: boolean;
  readonly routes: boolean;
}

export const REACH: Layers = { groups: true, acls: true, routes: true };
export const FIREWALLS_ONLY: Layers = { groups: true, acls: true, routes: false };
export const ROUTES_ONLY: Layers = { groups: false, acls: false, routes: true };

export interface OutsideZones {
  readonly internet: AddressSet;
  readonly admins: AddressSet;
  readonly vpn: AddressSet;
}

/**
 * The addresses of the outside zones. The internet is the public address space without
 * the administrators' blocks (their own zone) and without the site's blocks (the VPC or
 * VNet and the VPN range, even when a site numbers them from public space).
 */
export function outsideZones(adminCidrs: readonly string[], vpnCidr: string, siteCidrs: readonly string[]): OutsideZones {
  const admins = addressesOf(adminCidrs);
  const vpn = addressesOf([vpnCidr]);
  const site = unionAddresses(addressesOf(siteCidrs), vpn);
  return { internet: subtractAddresses(subtractAddresses(PUBLIC_ADDRESSES, admins), site), admins: subtractAddresses(admins, site), vpn };
}

export function isOutside(zone: string): boolean {
  return zone === INTERNET || zone === ADMINS;
}

export function hasAddresses(set: AddressSet): boolean {
  return !isEmptySet(set);
}
