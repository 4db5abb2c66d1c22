/**
 * Security group rules and network ACL entries read from AWS resources, in every form the
 * provider offers: `vpc.SecurityGroupIngressRule`/`EgressRule`, `ec2.SecurityGroupRule`,
 * inline `ingress`/`egress` on a group, `ec2.NetworkAclRule`, inline ACL entries.
 */
import type { RuleRef } from "../grants";
import { parseBlock } from "../addresses";
import { awsProtocol, ruleTraffic, type RuleTraffic } from "../rules";
import type { AwsAclEntry, AwsPeer, AwsSgRule } from "../aws/model";
import { isFound, isUnknown, labelOf, Reader, type ResourceIndex, type StackResource } from "./resources";

export const AWS_TYPES = {
  vpc: "aws:ec2/vpc:Vpc",
  vpcCidr: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  networkAcl: "aws:ec2/networkAcl:NetworkAcl",
  defaultNetworkAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
  networkAclRule: "aws:ec2/networkAclRule:NetworkAclRule",
  networkAclAssociation: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
  routeTable: "aws:ec2/routeTable:RouteTable",
  defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
  route: "aws:ec2/route:Route",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  egressOnlyGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
  natGateway: "aws:ec2/natGateway:NatGateway",
  instance: "aws:ec2/instance:Instance",
  networkInterface: "aws:ec2/networkInterface:NetworkInterface",
  eip: "aws:ec2/eip:Eip",
  eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
} as const;

export const GROUP_TYPES: readonly string[] = [AWS_TYPES.securityGroup, AWS_TYPES.defaultSecurityGroup];
export const ACL_TYPES: readonly string[] = [AWS_TYPES.networkAcl, AWS_TYPES.defaultNetworkAcl];

/** A rule's protocol and ports, or `undefined` (reported) when they cannot be read. */
export function readTraffic(rd: Reader, where: string, protocolKey: string, from: unknown): RuleTraffic | undefined {
  const text = rd.string(protocolKey, from);
  if (text === undefined) {
    rd.problem(`${where}: ${protocolKey} is missing or unknown`);
    return undefined;
  }
  const protocol = awsProtocol(text);
  if (protocol === undefined) {
    rd.problem(`${where}: ${protocolKey} "${text}" is not -1, a protocol name or a number from 0 to 255`);
    return undefined;
  }
  if (protocol.protos.length > 1) return ruleTraffic(protocol);
  const proto = protocol.protos[0];
  if (proto === "tcp" || proto === "udp") {
    const lo = rd.number("fromPort", from);
    const hi = rd.number("toPort", from);
    if (lo === undefined || hi === undefined) {
      rd.problem(`${where}: ${proto} needs fromPort and toPort`);
      return undefined;
    }
    if (lo < 0 || hi > 65535 || lo > hi) {
      rd.problem(`${where}: ports ${lo}-${hi} are not a range within 0-65535`);
      return undefined;
    }
    return ruleTraffic(protocol, [{ from: lo, to: hi }]);
  }
  if (proto === "icmp" || proto === "icmpv6") {
    // fromPort is the ICMP type (-1: every type); one type covers part of the bucket.
    const type = rd.number("fromPort", from) ?? rd.number("icmpType", from);
    return ruleTraffic({ protos: [proto], whole: type === undefined || type === -1 });
  }
  return ruleTraffic(protocol);
}

function cidrPeers(rd: Reader, where: string, texts: readonly string[]): AwsPeer[] {
  return texts.flatMap((t) => {
    if (parseBlock(t) === undefined) {
      rd.problem(`${where}: "${t}" is not a CIDR block`);
      return [];
    }
    return [{ kind: "cidr", block: t } satisfies AwsPeer];
  });
}

/** Where a group reference leads: the referenced group's id in the model, or a problem. */
function groupPeer(index: ResourceIndex, rd: Reader, where: string, property: string, value: unknown): AwsPeer[] {
  const found = index.follow(rd.resource, property, GROUP_TYPES, value);
  if (isFound(found)) return [{ kind: "group", groupId: found.resource.urn }];
  rd.problem(`${where}: cannot tell which security group it references: ${found.reason}`);
  return [];
}

export interface ReadSgRule {
  readonly groupUrn: string;
  readonly direction: "ingress" | "egress";
  readonly rule: AwsSgRule;
}

function rulesFor(ref: Omit<RuleRef, "layer">, groupUrn: string, direction: "ingress" | "egress", traffic: RuleTraffic, peers: readonly AwsPeer[]): ReadSgRule[] {
  return peers.map((peer, i) => ({
    groupUrn,
    direction,
    rule: { ref: { ...ref, id: peers.length > 1 ? `${ref.id}#${i}` : ref.id, layer: "security-group", direction: direction === "ingress" ? "in" : "out" }, traffic, peer },
  }));
}

/** `vpc.SecurityGroupIngressRule`, `vpc.SecurityGroupEgressRule`, `ec2.SecurityGroupRule`. */
export function readRuleResource(index: ResourceIndex, r: StackResource, rd: Reader): ReadSgRule[] {
  const where = "the rule";
  const owner = index.follow(r, "securityGroupId", GROUP_TYPES);
  if (!isFound(owner)) {
    rd.problem(`cannot tell which security group the rule belongs to: ${owner.reason}`);
    return [];
  }
  const ref = { id: r.urn, label: labelOf(r), urn: r.urn };
  if (r.type === AWS_TYPES.securityGroupRule) {
    const direction = rd.string("type") === "egress" ? "egress" : "ingress";
    const traffic = readTraffic(rd, where, "protocol", r.props);
    if (traffic === undefined) return [];
    const peers = [...cidrPeers(rd, where, rd.strings("cidrBlocks")), ...cidrPeers(rd, where, rd.strings("ipv6CidrBlocks"))];
    if (rd.has("sourceSecurityGroupId")) peers.push(...groupPeer(index, rd, where, "sourceSecurityGroupId", r.props["sourceSecurityGroupId"]));
    if (rd.bool("self") === true) peers.push({ kind: "group", groupId: owner.resource.urn });
    if (rd.has("prefixListIds")) rd.problem("prefixListIds: the entries of a prefix list are not visible to the analysis; use CIDR blocks or groups");
    return rulesFor(ref, owner.resource.urn, direction, traffic, peers);
  }
  const direction = r.type === AWS_TYPES.egressRule ? "egress" : "ingress";
  const traffic = readTraffic(rd, where, "ipProtocol", r.props);
  if (traffic === undefined) return [];
  const peers: AwsPeer[] = [];
  const v4 = rd.string("cidrIpv4");
  const v6 = rd.string("cidrIpv6");
  if (v4 !== undefined) peers.push(...cidrPeers(rd, where, [v4]));
  if (v6 !== undefined) peers.push(...cidrPeers(rd, where, [v6]));
  if (rd.has("referencedSecurityGroupId")) peers.push(...groupPeer(index, rd, where, "referencedSecurityGroupId", r.props["referencedSecurityGroupId"]));
  if (rd.has("prefixListId")) rd.problem("prefixListId: the entries of a prefix list are not visible to the analysis; use CIDR blocks or groups");
  if (!["cidrIpv4", "cidrIpv6", "referencedSecurityGroupId", "prefixListId"].some((k) => rd.has(k))) rd.problem("the rule names no peer (cidrIpv4, cidrIpv6, referencedSecurityGroupId)");
  return rulesFor(ref, owner.resource.urn, direction, traffic, peers);
}

/** The inline `ingress` and `egress` entries of a security group. */
export function readInlineGroupRules(index: ResourceIndex, r: StackResource, rd: Reader): ReadSgRule[] {
  const out: ReadSgRule[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    rd.list(direction).forEach((entry, i) => {
      const where = `${direction}[${i}]`;
      const traffic = readTraffic(rd, where, "protocol", entry);
      if (traffic === undefined) return;
      const peers = [...cidrPeers(rd, where, rd.strings("cidrBlocks", entry)), ...cidrPeers(rd, where, rd.strings("ipv6CidrBlocks", entry))];
      if (rd.bool("self", entry) === true) peers.push({ kind: "group", groupId: r.urn });
      for (const [k, id] of rd.list("securityGroups", entry).entries()) {
        peers.push(...groupPeer(index, rd, `${where}.securityGroups[${k}]`, direction, isUnknown(id) ? undefined : id));
      }
      if (rd.list("prefixListIds", entry).length > 0) rd.problem(`${where}.prefixListIds: the entries of a prefix list are not visible to the analysis`);
      const ref = { id: `${r.urn}#${where}`, label: `${labelOf(r)} ${where}`, urn: r.urn };
      out.push(...rulesFor(ref, r.urn, direction, traffic, peers));
    });
  }
  return out;
}

export interface ReadAclEntry {
  readonly aclUrn: string;
  readonly egress: boolean;
  readonly entry: AwsAclEntry;
}

function aclEntry(rd: Reader, where: string, ref: RuleRef, from: unknown, numberKey: string, actionKey: string): AwsAclEntry[] {
  const ruleNumber = rd.number(numberKey, from);
  const action = rd.string(actionKey, from);
  const traffic = readTraffic(rd, where, "protocol", from);
  const blocks = [rd.string("cidrBlock", from), rd.string("ipv6CidrBlock", from)].filter((b): b is string => b !== undefined && b !== "");
  if (ruleNumber === undefined || action === undefined || traffic === undefined) {
    if (ruleNumber === undefined || action === undefined) rd.problem(`${where}: ${numberKey} and ${actionKey} are required`);
    return [];
  }
  if (blocks.length === 0) rd.problem(`${where}: the entry names no cidrBlock or ipv6CidrBlock`);
  return blocks.flatMap((block, i) => {
    if (parseBlock(block) === undefined) {
      rd.problem(`${where}: "${block}" is not a CIDR block`);
      return [];
    }
    const id = blocks.length > 1 ? `${ref.id}#${i}` : ref.id;
    return [{ ref: { ...ref, id, label: `${ref.label} (rule ${ruleNumber})` }, ruleNumber, allow: action.toLowerCase() === "allow", traffic, block }];
  });
}

/** An `ec2.NetworkAclRule`. */
export function readAclRuleResource(index: ResourceIndex, r: StackResource, rd: Reader): ReadAclEntry[] {
  const acl = index.follow(r, "networkAclId", ACL_TYPES);
  if (!isFound(acl)) {
    rd.problem(`cannot tell which network ACL the entry belongs to: ${acl.reason}`);
    return [];
  }
  const egress = rd.bool("egress") === true;
  const ref: RuleRef = { id: r.urn, label: labelOf(r), layer: "network-acl", urn: r.urn, direction: egress ? "out" : "in" };
  return aclEntry(rd, "the entry", ref, r.props, "ruleNumber", "ruleAction").map((entry) => ({ aclUrn: acl.resource.urn, egress, entry }));
}

/** The inline `ingress` and `egress` entries of a network ACL (or the default ACL). */
export function readInlineAclEntries(r: StackResource, rd: Reader): ReadAclEntry[] {
  const out: ReadAclEntry[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    rd.list(direction).forEach((entry, i) => {
      const where = `${direction}[${i}]`;
      const ref: RuleRef = { id: `${r.urn}#${where}`, label: `${labelOf(r)} ${where}`, layer: "network-acl", urn: r.urn, direction: direction === "egress" ? "out" : "in" };
      for (const e of aclEntry(rd, where, ref, entry, "ruleNo", "action")) out.push({ aclUrn: r.urn, egress: direction === "egress", entry: e });
    });
  }
  return out;
}
