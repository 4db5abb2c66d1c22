/**
 * A brute-force reference for the AWS analyzer: one packet at a time, each layer checked
 * the way the AWS documentation states it, with no interval arithmetic. Property tests
 * compare it with the analyzer on small random networks, enumerating every address and
 * port that can behave differently (the edges of the blocks and ranges the generator
 * uses).
 */
import { parseCidr } from "../../cidr";
import type { Proto } from "../grants";
import type { AwsAclEntry, AwsModel, AwsRouteTable, AwsSgRule, AwsSubnet } from "./model";

export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto: Proto;
  readonly port: number;
}

function protoMatches(rule: { traffic: AwsSgRule["traffic"] }, proto: Proto, port: number): boolean {
  if (!rule.traffic.protocol.protos.includes(proto)) return false;
  if (proto !== "tcp" && proto !== "udp") return true;
  return rule.traffic.ports.some((s) => s.from <= port && port <= s.to);
}

/** Network ACL: entries in rule-number order, the first that matches decides; `*` denies. */
export function aclAllows(entries: readonly AwsAclEntry[], peer: string, proto: Proto, port: number): boolean {
  const sorted = [...entries].sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const e of sorted) {
    if (!addressInCidr(peer, e.block)) continue;
    if (!protoMatches(e, proto, port)) continue;
    return e.allow;
  }
  return false;
}

function normalize(block: string): string {
  return block.includes("/") ? block : `${block}/${block.includes(":") ? 128 : 32}`;
}

const parsed = new Map<string, { version: 4 | 6; first: bigint; last: bigint; prefix: number }>();

/** A block's first and last address (memoized: the reference checks millions of packets). */
function range(block: string): { version: 4 | 6; first: bigint; last: bigint; prefix: number } {
  let r = parsed.get(block);
  if (r === undefined) {
    const c = parseCidr(normalize(block));
    r = { version: c.version, first: c.network, last: c.network + (1n << BigInt((c.version === 4 ? 32 : 128) - c.prefix)) - 1n, prefix: c.prefix };
    parsed.set(block, r);
  }
  return r;
}

/** Whether the address lies in the block: the plain definition, first <= address <= last. */
function addressInCidr(address: string, block: string): boolean {
  const a = range(address);
  const b = range(block);
  return a.version === b.version && b.first <= a.first && a.first <= b.last;
}

/** The target of the most specific route for `dst`, the VPC blocks being local. */
export function routeFor(table: AwsRouteTable, vpcCidrs: readonly string[], dst: string): string | undefined {
  let best: { prefix: number; target: string } | undefined;
  const consider = (block: string, target: string): void => {
    if (!addressInCidr(dst, block)) return;
    const prefix = range(block).prefix;
    if (best === undefined || prefix > best.prefix) best = { prefix, target };
  };
  for (const v of vpcCidrs) consider(v, "local");
  for (const r of table.routes) consider(r.destination, r.target.kind === "nat-gateway" ? `nat:${r.target.natId}` : r.target.kind);
  return best?.target;
}

export interface End {
  /** The packet's address at this end. */
  readonly address: string;
  readonly subnet?: AwsSubnet;
  readonly groupIds: readonly string[];
  readonly public?: boolean;
}

function sgAllows(model: AwsModel, groupIds: readonly string[], direction: "ingress" | "egress", peer: End, proto: Proto, port: number): boolean {
  for (const g of model.securityGroups.filter((x) => groupIds.includes(x.id))) {
    for (const r of g[direction]) {
      if (!protoMatches(r, proto, port)) continue;
      if (r.peer.kind === "cidr" ? addressInCidr(peer.address, r.peer.block) : peer.groupIds.includes(r.peer.groupId)) return true;
    }
  }
  return false;
}

/** Whether some reply port in `ephemeral` passes the ACL (icmp and others have none). */
function replyPasses(entries: readonly AwsAclEntry[], peer: string, proto: Proto, ephemeral: readonly number[]): boolean {
  return proto === "tcp" || proto === "udp" ? ephemeral.some((q) => aclAllows(entries, peer, proto, q)) : aclAllows(entries, peer, proto, 0);
}

/** Crossing from subnet `from` to subnet `to` with the packet, and the reply back. */
function crossing(model: AwsModel, from: AwsSubnet, to: AwsSubnet, p: Packet, ephemeral: readonly number[]): boolean {
  if (from.id === to.id) return true;
  const acl = (id: string) => model.networkAcls.find((a) => a.id === id);
  const out = acl(from.networkAclId);
  const inn = acl(to.networkAclId);
  if (out === undefined || inn === undefined) return false;
  return (
    aclAllows(out.egress, p.dst, p.proto, p.port) &&
    aclAllows(inn.ingress, p.src, p.proto, p.port) &&
    replyPasses(inn.egress, p.src, p.proto, ephemeral) &&
    replyPasses(out.ingress, p.dst, p.proto, ephemeral)
  );
}

/** An ACL at the VPC's edge: out to the internet and the reply back in. */
function edge(model: AwsModel, subnet: AwsSubnet, p: Packet, ephemeral: readonly number[], outbound: boolean): boolean {
  const a = model.networkAcls.find((x) => x.id === subnet.networkAclId);
  if (a === undefined) return false;
  return outbound
    ? aclAllows(a.egress, p.dst, p.proto, p.port) && replyPasses(a.ingress, p.dst, p.proto, ephemeral)
    : aclAllows(a.ingress, p.src, p.proto, p.port) && replyPasses(a.egress, p.src, p.proto, ephemeral);
}

/** Whether packet `p` from `a` reaches `b` and its reply comes back (IPv4). */
export function packetPasses(model: AwsModel, a: End, b: End, p: Packet, ephemeral: readonly number[]): boolean {
  const table = (s: AwsSubnet) => model.routeTables.find((t) => t.id === s.routeTableId);
  if (a.subnet !== undefined && b.subnet !== undefined) {
    const ta = table(a.subnet);
    const tb = table(b.subnet);
    if (ta === undefined || tb === undefined) return false;
    if (a.subnet.id !== b.subnet.id && (routeFor(ta, model.vpcCidrs, p.dst) !== "local" || routeFor(tb, model.vpcCidrs, p.src) !== "local")) return false;
    return sgAllows(model, a.groupIds, "egress", b, p.proto, p.port) && sgAllows(model, b.groupIds, "ingress", a, p.proto, p.port) && crossing(model, a.subnet, b.subnet, p, ephemeral);
  }
  if (a.subnet === undefined && b.subnet !== undefined) {
    const tb = table(b.subnet);
    if (tb === undefined || !(b.public ?? b.subnet.publicIp) || routeFor(tb, model.vpcCidrs, p.src) !== "internet-gateway") return false;
    return sgAllows(model, b.groupIds, "ingress", a, p.proto, p.port) && edge(model, b.subnet, p, ephemeral, false);
  }
  if (a.subnet !== undefined && b.subnet === undefined) {
    const ta = table(a.subnet);
    if (ta === undefined || !sgAllows(model, a.groupIds, "egress", b, p.proto, p.port)) return false;
    const target = routeFor(ta, model.vpcCidrs, p.dst);
    if (target === "internet-gateway") return (a.public ?? a.subnet.publicIp) && edge(model, a.subnet, p, ephemeral, true);
    if (target?.startsWith("nat:") !== true || !["tcp", "udp", "icmp"].includes(p.proto)) return false;
    const nat = model.natGateways.find((n) => `nat:${n.id}` === target);
    const natSubnet = model.subnets.find((s) => s.id === nat?.subnetId);
    const tn = natSubnet === undefined ? undefined : table(natSubnet);
    if (nat === undefined || !nat.public || natSubnet === undefined || tn === undefined || routeFor(tn, model.vpcCidrs, p.dst) !== "internet-gateway") return false;
    return crossing(model, a.subnet, natSubnet, p, ephemeral) && edge(model, natSubnet, p, ephemeral, true);
  }
  return false;
}
