/**
 * What a rule's address means for the zone model: the internet, the site's own networks,
 * a security group, a prefix list or an Azure service tag.
 */
import { cidrContains, coversPublicSpace, parseBlock, type Cidr } from "@pfv5/zones";

export type Peer =
  | { readonly kind: "cidr"; readonly text: string; readonly block: Cidr }
  /** Azure `*`: every address. */
  | { readonly kind: "any"; readonly text: string }
  /** An Azure service tag such as `Internet`, `VirtualNetwork`, `AzureLoadBalancer`. */
  | { readonly kind: "tag"; readonly text: string }
  /** A security group, application security group or `self`. */
  | { readonly kind: "group"; readonly text: string }
  /** An AWS managed prefix list: its entries are not visible to a policy. */
  | { readonly kind: "prefix-list"; readonly text: string }
  /** Text that is not an address, a CIDR or a tag. */
  | { readonly kind: "invalid"; readonly text: string };

/** The site's networks and administrator ranges, from the policy config. */
export interface Site {
  readonly adminCidrs: readonly Cidr[];
  readonly vpcCidr: Cidr;
  readonly vpnCidr: Cidr;
}

/** Block parsing is the zone model's (`@pfv5/zones`), shared with the matrix analyzers. */
export { parseBlock };

/** An AWS address (a CIDR block). */
export function cidrPeer(text: string): Peer {
  const block = parseBlock(text);
  return block === undefined ? { kind: "invalid", text } : { kind: "cidr", text, block };
}

const AZURE_INTERNAL_TAGS = new Set(["virtualnetwork", "azureloadbalancer"]);

/** An Azure address prefix: `*`, a CIDR, an address or a service tag. */
export function azurePeer(text: string): Peer {
  if (text === "*" || text.toLowerCase() === "any") return { kind: "any", text };
  const block = parseBlock(text);
  if (block !== undefined) return { kind: "cidr", text, block };
  if (/^[A-Za-z][A-Za-z0-9.-]*$/.test(text)) return { kind: "tag", text };
  return { kind: "invalid", text };
}

function insideSite(block: Cidr, site: Site): boolean {
  return cidrContains(site.vpcCidr, block) || cidrContains(site.vpnCidr, block);
}

/**
 * Whether traffic from (or to) `peer` may come from (or go to) the internet. Any block that
 * covers public address space counts, not only `0.0.0.0/0`: `0.0.0.0/1`, a provider's /24,
 * `::/0`. The site's VPC and VPN ranges never count, even when a site numbers them from
 * public space. Service tags other than the VNet and the load balancer name public Azure
 * ranges; a prefix list may hold anything; text that is not an address is treated as the
 * internet, so a typo cannot hide an opening.
 */
export function isInternet(peer: Peer, site: Site): boolean {
  switch (peer.kind) {
    case "cidr":
      return coversPublicSpace(peer.block) && !insideSite(peer.block, site);
    case "any":
    case "prefix-list":
    case "invalid":
      return true;
    case "tag":
      return !AZURE_INTERNAL_TAGS.has(peer.text.toLowerCase());
    case "group":
      return false;
  }
}

/** Whether `peer` lies inside one of the configured administrator CIDRs. */
export function isAdminSource(peer: Peer, site: Site): boolean {
  return peer.kind === "cidr" && site.adminCidrs.some((a) => cidrContains(a, peer.block));
}

/**
 * Whether `peer` stays inside the site: a block inside the VPC (or VPN) range, a security
 * group, or Azure's `VirtualNetwork` tag.
 */
export function isInsideSite(peer: Peer, site: Site): boolean {
  switch (peer.kind) {
    case "cidr":
      return insideSite(peer.block, site);
    case "group":
      return true;
    case "tag":
      return peer.text.toLowerCase() === "virtualnetwork";
    default:
      return false;
  }
}

/**
 * Whether a deny rule naming `deny` certainly covers every address of `allow`, so that the
 * deny, evaluated first, takes the allow rule's traffic away for that peer.
 */
export function covers(deny: Peer, allow: Peer): boolean {
  if (deny.kind === "any") return true;
  if (deny.kind === "cidr" && allow.kind === "cidr") return cidrContains(deny.block, allow.block);
  if (deny.kind === "tag" && allow.kind === "tag") return deny.text.toLowerCase() === allow.text.toLowerCase();
  return false;
}

/** How a peer reads in a message. */
export function describePeer(peer: Peer): string {
  switch (peer.kind) {
    case "cidr":
      return peer.text;
    case "any":
      return `"${peer.text}" (any address)`;
    case "tag":
      return `service tag ${peer.text}`;
    case "group":
      return peer.text;
    case "prefix-list":
      return `prefix list ${peer.text}`;
    case "invalid":
      return `"${peer.text}" (not an address)`;
  }
}
