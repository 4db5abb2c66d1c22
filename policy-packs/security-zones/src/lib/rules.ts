/**
 * Every firewall rule form the policies understand, normalized to one shape: direction,
 * allow or deny, evaluation order, the traffic it matches and the remote peers.
 *
 * AWS: `vpc.SecurityGroupIngressRule`/`EgressRule`, `ec2.SecurityGroupRule`, inline
 * `ingress`/`egress` on `ec2.SecurityGroup`, `ec2.NetworkAclRule` and inline network ACL
 * entries. Azure: `network.SecurityRule` and inline `securityRules` on an NSG.
 *
 * Values a rule decides on (protocol, ports, CIDRs) are read through the unknown-checking
 * proxy, so an unknown one throws and the policy reports the rule as not checkable. Group
 * and prefix-list references are only tested for presence: their ids are unknown in preview
 * and do not change what the rule means for the internet.
 */
import type { PortRange } from "@pfv5/zones";
import { azurePeer, cidrPeer, covers, type Peer } from "./addresses";
import { label } from "./graph";
import { isSet, textOr } from "./read";
import { ALL_PORT_RANGE, subtract, traffic, union, type RuleProtocol, type TrafficSet } from "./traffic";
import type { PropsByType, T } from "./types";
import type { Subject } from "./policy";

export type Direction = "ingress" | "egress";

export interface Rule {
  /** The resource that declares the rule (reported against). */
  readonly subject: Subject;
  /** The rule as named in messages, e.g. `aws.ec2.SecurityGroup "web" ingress[1]`. */
  readonly label: string;
  readonly direction: Direction;
  readonly action: "allow" | "deny";
  /** Evaluation order where rules have one (network ACL rule number, NSG priority): lower first. */
  readonly order?: number;
  readonly traffic: TrafficSet;
  /** The far side: sources of ingress, destinations of egress. */
  readonly peers: readonly Peer[];
  /** Azure only: the near side (destinations of inbound rules); AWS rules cover the whole group or subnet. */
  readonly local?: readonly Peer[];
}

export function awsProtocol(p: string): RuleProtocol {
  const v = p.toLowerCase();
  if (v === "-1" || v === "all") return "all";
  if (v === "tcp" || v === "6") return "tcp";
  if (v === "udp" || v === "17") return "udp";
  if (v === "icmp" || v === "1") return "icmp";
  if (v === "icmpv6" || v === "58") return "icmpv6";
  return { other: v };
}

/**
 * The traffic of an AWS rule. Ports are read only for tcp and udp: with protocol all AWS
 * ignores them, and for icmp they hold the ICMP type and code. A missing or `-1` port
 * means every port.
 */
function awsTraffic(protocolText: string, fromPort: () => number | undefined, toPort: () => number | undefined): TrafficSet {
  const protocol = awsProtocol(protocolText);
  if (protocol !== "tcp" && protocol !== "udp") return traffic(protocol);
  const from = fromPort();
  const to = toPort();
  const ports: PortRange = from === undefined || to === undefined || from < 0 || to < 0 ? ALL_PORT_RANGE : { from, to };
  return traffic(protocol, [ports]);
}

function cidrPeers(blocks: readonly string[] | undefined): Peer[] {
  return (blocks ?? []).map(cidrPeer);
}

type VpcRuleProps = PropsByType[typeof T.ingressRule] | PropsByType[typeof T.egressRule];

/** `vpc.SecurityGroupIngressRule` or `vpc.SecurityGroupEgressRule`. */
export function vpcRule(subject: Subject, p: VpcRuleProps, direction: Direction): Rule {
  const peers: Peer[] = [];
  if (isSet(p, "cidrIpv4")) peers.push(cidrPeer(p.cidrIpv4 ?? ""));
  if (isSet(p, "cidrIpv6")) peers.push(cidrPeer(p.cidrIpv6 ?? ""));
  if (isSet(p, "prefixListId")) peers.push({ kind: "prefix-list", text: textOr(p, "prefixListId") });
  if (isSet(p, "referencedSecurityGroupId")) peers.push({ kind: "group", text: `security group ${textOr(p, "referencedSecurityGroupId")}` });
  return {
    subject,
    label: label(subject),
    direction,
    action: "allow",
    traffic: awsTraffic(p.ipProtocol, () => p.fromPort, () => p.toPort),
    peers,
  };
}

/** The direction of an `ec2.SecurityGroupRule` (its `type`). */
export function securityGroupRuleDirection(p: PropsByType[typeof T.securityGroupRule]): Direction {
  return p.type === "egress" ? "egress" : "ingress";
}

/** `ec2.SecurityGroupRule`. */
export function securityGroupRule(subject: Subject, p: PropsByType[typeof T.securityGroupRule]): Rule {
  const peers: Peer[] = [...cidrPeers(p.cidrBlocks), ...cidrPeers(p.ipv6CidrBlocks)];
  if (isSet(p, "prefixListIds")) peers.push({ kind: "prefix-list", text: "prefixListIds" });
  if (isSet(p, "sourceSecurityGroupId")) peers.push({ kind: "group", text: `security group ${textOr(p, "sourceSecurityGroupId")}` });
  if (p.self === true) peers.push({ kind: "group", text: "the group itself (self)" });
  return {
    subject,
    label: label(subject),
    direction: securityGroupRuleDirection(p),
    action: "allow",
    traffic: awsTraffic(p.protocol, () => p.fromPort, () => p.toPort),
    peers,
  };
}

type InlineSgRule = NonNullable<PropsByType[typeof T.securityGroup]["ingress"]>[number];

/** The inline `ingress` or `egress` entries of an `ec2.SecurityGroup` (or its default group). */
export function inlineSecurityGroupRules(subject: Subject, entries: readonly InlineSgRule[], direction: Direction): Rule[] {
  return entries.map((e, i) => {
    const peers: Peer[] = [...cidrPeers(e.cidrBlocks), ...cidrPeers(e.ipv6CidrBlocks)];
    if (isSet(e, "prefixListIds")) peers.push({ kind: "prefix-list", text: "prefixListIds" });
    if (isSet(e, "securityGroups")) peers.push({ kind: "group", text: "securityGroups" });
    if (e.self === true) peers.push({ kind: "group", text: "the group itself (self)" });
    return {
      subject,
      label: `${label(subject)} ${direction}[${i}]`,
      direction,
      action: "allow",
      traffic: awsTraffic(e.protocol, () => e.fromPort, () => e.toPort),
      peers,
    } satisfies Rule;
  });
}

/** The direction of an `ec2.NetworkAclRule`. */
export function networkAclRuleDirection(p: PropsByType[typeof T.networkAclRule]): Direction {
  return p.egress === true ? "egress" : "ingress";
}

function aclAction(action: string): "allow" | "deny" {
  return action.toLowerCase() === "allow" ? "allow" : "deny";
}

/** `ec2.NetworkAclRule`. */
export function networkAclRule(subject: Subject, p: PropsByType[typeof T.networkAclRule]): Rule {
  const peers: Peer[] = [];
  if (isSet(p, "cidrBlock")) peers.push(cidrPeer(p.cidrBlock ?? ""));
  if (isSet(p, "ipv6CidrBlock")) peers.push(cidrPeer(p.ipv6CidrBlock ?? ""));
  return {
    subject,
    label: `${label(subject)} (rule ${p.ruleNumber})`,
    direction: networkAclRuleDirection(p),
    action: aclAction(p.ruleAction),
    order: p.ruleNumber,
    traffic: awsTraffic(p.protocol, () => p.fromPort, () => p.toPort),
    peers,
  };
}

type InlineAclEntry = NonNullable<PropsByType[typeof T.networkAcl]["ingress"]>[number];

/** The inline `ingress` or `egress` entries of an `ec2.NetworkAcl`. */
export function inlineNetworkAclRules(subject: Subject, entries: readonly InlineAclEntry[], direction: Direction): Rule[] {
  return entries.map((e, i) => {
    const peers: Peer[] = [];
    if (isSet(e, "cidrBlock")) peers.push(cidrPeer(e.cidrBlock ?? ""));
    if (isSet(e, "ipv6CidrBlock")) peers.push(cidrPeer(e.ipv6CidrBlock ?? ""));
    return {
      subject,
      label: `${label(subject)} ${direction}[${i}] (rule ${e.ruleNo})`,
      direction,
      action: aclAction(e.action),
      order: e.ruleNo,
      traffic: awsTraffic(e.protocol, () => e.fromPort, () => e.toPort),
      peers,
    } satisfies Rule;
  });
}

/** The fields an Azure security rule has, inline on an NSG or as its own resource. */
export interface AzureRuleFields {
  readonly name?: string;
  readonly access: string;
  readonly direction: string;
  /** Azure requires one from 100 to 4096; the inline form types it as optional. */
  readonly priority?: number;
  readonly protocol: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: readonly string[];
  readonly sourceApplicationSecurityGroups?: readonly unknown[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationApplicationSecurityGroups?: readonly unknown[];
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: readonly string[];
}

export function azureDirection(r: Pick<AzureRuleFields, "direction">): Direction {
  return r.direction.toLowerCase() === "outbound" ? "egress" : "ingress";
}

function azureProtocol(p: string): RuleProtocol {
  const v = p.toLowerCase();
  if (v === "*") return "all";
  if (v === "tcp" || v === "udp" || v === "icmp") return v;
  return { other: v };
}

/** `"*"`, `"443"` or `"8000-9000"`; anything else reads as every port, which errs on reporting. */
function azurePortRange(text: string): PortRange {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (m === null) return ALL_PORT_RANGE;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

function azurePeers(prefix: string | undefined, prefixes: readonly string[] | undefined, asgs: readonly unknown[] | undefined, asgText: string): Peer[] {
  const peers: Peer[] = [];
  if (prefix !== undefined && prefix !== "") peers.push(azurePeer(prefix));
  for (const p of prefixes ?? []) peers.push(azurePeer(p));
  if (asgs !== undefined && asgs.length > 0) peers.push({ kind: "group", text: asgText });
  return peers;
}

/** An Azure security rule; `where` names it, e.g. `securityRules "deny-all"`. */
export function azureRule(subject: Subject, r: AzureRuleFields, where?: string): Rule {
  const direction = azureDirection(r);
  const protocol = azureProtocol(r.protocol);
  const ranges = [...(r.destinationPortRange !== undefined ? [r.destinationPortRange] : []), ...(r.destinationPortRanges ?? [])];
  const ports = ranges.length === 0 ? [ALL_PORT_RANGE] : ranges.map(azurePortRange);
  const source = azurePeers(r.sourceAddressPrefix, r.sourceAddressPrefixes, r.sourceApplicationSecurityGroups, "source application security groups");
  const destination = azurePeers(
    r.destinationAddressPrefix,
    r.destinationAddressPrefixes,
    r.destinationApplicationSecurityGroups,
    "destination application security groups",
  );
  return {
    subject,
    label: `${label(subject)}${where === undefined ? "" : ` ${where}`} (priority ${r.priority ?? "unset"})`,
    direction,
    action: r.access.toLowerCase() === "allow" ? "allow" : "deny",
    ...(r.priority !== undefined ? { order: r.priority } : {}),
    traffic: traffic(protocol, ports),
    peers: direction === "ingress" ? source : destination,
    local: direction === "ingress" ? destination : source,
  };
}

function localCovered(deny: Rule, allow: Rule): boolean {
  if (deny.local === undefined || deny.local.length === 0) return true;
  const allowLocal = allow.local === undefined || allow.local.length === 0 ? [{ kind: "any", text: "*" } as const] : allow.local;
  return allowLocal.every((a) => deny.local?.some((d) => covers(d, a)) === true);
}

/**
 * What `rule` really lets through for `peer` once the deny rules evaluated before it (same
 * direction, covering the peer and the rule's own targets) are taken away. Rules without an
 * order (security groups) are never shadowed: security groups cannot deny.
 */
export function effectiveTraffic(rule: Rule, peer: Peer, all: readonly Rule[]): TrafficSet {
  const order = rule.order;
  if (order === undefined || rule.action !== "allow") return rule.traffic;
  const earlierDenies = all.filter(
    (d) =>
      d.action === "deny" &&
      d.direction === rule.direction &&
      d.order !== undefined &&
      d.order < order &&
      d.peers.some((p) => covers(p, peer)) &&
      localCovered(d, rule),
  );
  return subtract(rule.traffic, union(...earlierDenies.map((d) => d.traffic)));
}
