/**
 * The AWS model parsed once for evaluation: blocks as address ranges, entries in rule
 * order, route tables with their local routes, and subnets grouped into classes that
 * evaluate alike (same ACL, same kind of routes, same public addressing), so a thousand
 * subnets of one tier cost what one does.
 */
import type { IpVersion } from "../../cidr";
import { addressesOf, cidrSpan, addressFamily, parseBlock, type AddressSet } from "../addresses";
import type { Proto, RuleRef } from "../grants";
import { normalizeBig, type BigSpan, type Span } from "../intervals";
import { firstMatch, inOrder, portsFor, type FirstMatchResult, type OrderedRule } from "../rules";
import type { AwsModel, AwsNatGateway, AwsRouteTarget, AwsSecurityGroup, AwsSgRule, AwsSubnet } from "./model";

export interface ParsedBlock {
  readonly version: IpVersion;
  readonly span: BigSpan;
  readonly prefix: number;
}

export function parsedBlock(text: string): ParsedBlock {
  const c = parseBlock(text);
  if (c === undefined) throw new Error(`"${text}" is not an IPv4 or IPv6 block`);
  return { version: c.version, span: cidrSpan(c), prefix: c.prefix };
}

export interface ParsedAclEntry extends OrderedRule {
  readonly block: ParsedBlock;
}

export interface ParsedAcl {
  readonly id: string;
  readonly label: string;
  readonly ingress: readonly ParsedAclEntry[];
  readonly egress: readonly ParsedAclEntry[];
  /** The `*` entry every ACL ends with: deny what no numbered entry decided. */
  readonly fallback: RuleRef;
}

export interface ParsedRoute {
  readonly ref?: RuleRef;
  readonly block: ParsedBlock;
  readonly target: AwsRouteTarget;
}

export interface ParsedRouteTable {
  readonly id: string;
  readonly label: string;
  readonly routes: readonly ParsedRoute[];
  /** Routes and their targets, for grouping tables that route alike. */
  readonly signature: string;
}

export interface ParsedRule {
  readonly rule: AwsSgRule;
  /** The block of a CIDR peer. */
  readonly block?: ParsedBlock;
}

/** One rule's ports for one protocol, ready for `collectGrants`. */
export interface RulePorts {
  readonly ports: readonly Span[];
  readonly ref: RuleRef;
}

/** A direction's rules indexed for matching: group references by group, CIDR rules apart. */
export interface IndexedRules {
  /** Per referenced group id, per protocol, the ports its rules open. */
  readonly byGroup: ReadonlyMap<string, ReadonlyMap<Proto, readonly RulePorts[]>>;
  readonly cidr: readonly { readonly block: ParsedBlock; readonly perProto: ReadonlyMap<Proto, RulePorts> }[];
}

export interface ParsedGroup {
  readonly group: AwsSecurityGroup;
  readonly ingress: readonly ParsedRule[];
  readonly egress: readonly ParsedRule[];
  readonly indexed: { readonly ingress: IndexedRules; readonly egress: IndexedRules };
}

function indexRules(rules: readonly ParsedRule[]): IndexedRules {
  const byGroup = new Map<string, Map<Proto, RulePorts[]>>();
  const cidr: { block: ParsedBlock; perProto: Map<Proto, RulePorts> }[] = [];
  for (const { rule, block } of rules) {
    const perProto = new Map<Proto, RulePorts>();
    for (const p of rule.traffic.protocol.protos) {
      const ports = portsFor(rule.traffic, p);
      if (ports !== undefined) perProto.set(p, { ports, ref: rule.ref });
    }
    if (block !== undefined) {
      cidr.push({ block, perProto });
    } else if (rule.peer.kind === "group") {
      const m = byGroup.get(rule.peer.groupId) ?? new Map<Proto, RulePorts[]>();
      for (const [p, rp] of perProto) m.set(p, [...(m.get(p) ?? []), rp]);
      byGroup.set(rule.peer.groupId, m);
    }
  }
  return { byGroup, cidr };
}

/** Subnets of one workload that evaluate alike. */
export interface SubnetClass {
  readonly subnets: readonly AwsSubnet[];
  readonly acl: ParsedAcl;
  readonly table: ParsedRouteTable;
  readonly publicIp: boolean;
  readonly addresses: AddressSet;
}

function aclEntries(entries: AwsModel["networkAcls"][number]["ingress"]): ParsedAclEntry[] {
  return inOrder(
    entries.map((e) => ({ order: e.ruleNumber, allow: e.allow, traffic: e.traffic, ref: e.ref, block: parsedBlock(e.block) })),
  );
}

function targetKey(t: AwsRouteTarget, nats: ReadonlyMap<string, AwsNatGateway>, subnetKey: (id: string) => string): string {
  if (t.kind !== "nat-gateway") return t.kind === "other" ? `other:${t.what}` : t.kind;
  const nat = nats.get(t.natId);
  // NAT gateways in subnets that route alike are interchangeable for the analysis.
  return nat === undefined ? "nat:missing" : `nat:${nat.public}:${subnetKey(nat.subnetId)}`;
}

export class AwsContext {
  readonly acls = new Map<string, ParsedAcl>();
  readonly tables = new Map<string, ParsedRouteTable>();
  readonly groups = new Map<string, ParsedGroup>();
  readonly subnets = new Map<string, AwsSubnet>();
  readonly nats = new Map<string, AwsNatGateway>();
  readonly vpc: AddressSet;

  constructor(readonly model: AwsModel) {
    this.vpc = addressesOf(model.vpcCidrs);
    for (const s of model.subnets) this.subnets.set(s.id, s);
    for (const n of model.natGateways) this.nats.set(n.id, n);
    for (const a of model.networkAcls) {
      const fallback: RuleRef = { id: `${a.id}#*`, label: `${a.label} rule * (deny what no entry allows)`, layer: "network-acl" };
      this.acls.set(a.id, { id: a.id, label: a.label, ingress: aclEntries(a.ingress), egress: aclEntries(a.egress), fallback });
    }
    for (const g of model.securityGroups) {
      const parse = (rules: readonly AwsSgRule[]): ParsedRule[] =>
        rules.map((rule) => (rule.peer.kind === "cidr" ? { rule, block: parsedBlock(rule.peer.block) } : { rule }));
      const ingress = parse(g.ingress);
      const egress = parse(g.egress);
      this.groups.set(g.id, { group: g, ingress, egress, indexed: { ingress: indexRules(ingress), egress: indexRules(egress) } });
    }
    const local: ParsedRoute[] = model.vpcCidrs.map((c) => ({ block: parsedBlock(c), target: { kind: "local" } }));
    // Signatures of tables without NAT routes first: a NAT route's key names its subnet's table.
    const plain = new Map<string, string>();
    const routesOf = (t: AwsModel["routeTables"][number]): ParsedRoute[] => [
      ...local,
      ...t.routes.map((r) => ({ ref: r.ref, block: parsedBlock(r.destination), target: r.target })),
    ];
    const sig = (routes: readonly ParsedRoute[], key: (t: AwsRouteTarget) => string): string =>
      routes.map((r) => `${r.block.version}:${r.block.span.from}/${r.block.prefix}>${key(r.target)}`).sort().join("|");
    for (const t of model.routeTables) {
      plain.set(t.id, sig(routesOf(t), (x) => (x.kind === "nat-gateway" ? "nat" : x.kind)));
    }
    const subnetKey = (id: string): string => {
      const s = this.subnets.get(id);
      return s === undefined ? "missing" : `${s.networkAclId}:${plain.get(s.routeTableId) ?? "missing"}`;
    };
    for (const t of model.routeTables) {
      const routes = routesOf(t);
      this.tables.set(t.id, { id: t.id, label: t.label, routes, signature: sig(routes, (x) => targetKey(x, this.nats, subnetKey)) });
    }
  }

  acl(id: string): ParsedAcl {
    const a = this.acls.get(id);
    if (a === undefined) throw new Error(`the model has no network ACL "${id}"`);
    return a;
  }

  table(id: string): ParsedRouteTable {
    const t = this.tables.get(id);
    if (t === undefined) throw new Error(`the model has no route table "${id}"`);
    return t;
  }

  group(id: string): ParsedGroup | undefined {
    return this.groups.get(id);
  }

  private readonly addressCache = new Map<string, AddressSet>();

  /** A subnet's own addresses (IPv4 block and, when it has one, IPv6 block). */
  subnetAddresses(s: AwsSubnet): AddressSet {
    let a = this.addressCache.get(s.id);
    if (a === undefined) {
      a = addressesOf(s.ipv6Cidr !== undefined ? [s.cidr, s.ipv6Cidr] : [s.cidr]);
      this.addressCache.set(s.id, a);
    }
    return a;
  }

  /** The subnets of a workload grouped into classes that evaluate alike. */
  classes(subnetIds: readonly string[], publicOverride: boolean | undefined): SubnetClass[] {
    const byKey = new Map<string, { subnets: AwsSubnet[]; acl: ParsedAcl; table: ParsedRouteTable; publicIp: boolean }>();
    for (const id of subnetIds) {
      const s = this.subnets.get(id);
      if (s === undefined) throw new Error(`the model has no subnet "${id}"`);
      const acl = this.acl(s.networkAclId);
      const table = this.table(s.routeTableId);
      const publicIp = publicOverride ?? s.publicIp;
      const v6 = s.ipv6Cidr !== undefined;
      const key = `${acl.id}|${table.signature}|${publicIp}|${v6}`;
      const c = byKey.get(key);
      if (c === undefined) byKey.set(key, { subnets: [s], acl, table, publicIp });
      else c.subnets.push(s);
    }
    return [...byKey.values()].map((c) => ({
      ...c,
      addresses: {
        v4: normalizeBig(c.subnets.flatMap((s) => this.subnetAddresses(s).v4)),
        v6: normalizeBig(c.subnets.flatMap((s) => this.subnetAddresses(s).v6)),
      },
    }));
  }
}

/** The most specific route of `table` for a region (regions are cut at every route's edges). */
export function longestMatch(table: ParsedRouteTable, version: IpVersion, region: BigSpan): ParsedRoute | undefined {
  let best: ParsedRoute | undefined;
  for (const r of table.routes) {
    if (r.block.version !== version || r.block.span.from > region.from || r.block.span.to < region.to) continue;
    if (best === undefined || r.block.prefix > best.block.prefix) best = r;
  }
  return best;
}

/**
 * First-match evaluation of ACL entries for packets whose peer address (source inbound,
 * destination outbound) lies in `region` (cut at every entry's edges).
 */
export function aclDecision(entries: readonly ParsedAclEntry[], fallback: RuleRef, p: Proto, version: IpVersion, region: BigSpan): FirstMatchResult {
  return firstMatch(entries, p, (rule) => {
    const b = (rule as ParsedAclEntry).block;
    return b.version === version && b.span.from <= region.from && b.span.to >= region.to ? "all" : "none";
  }, fallback);
}

/** The edges of blocks, for cutting a family's address ranges into regions. */
export function edges(version: IpVersion, list: readonly { readonly block: ParsedBlock }[]): BigSpan[] {
  return list.filter((x) => x.block.version === version).map((x) => x.block.span);
}

/** The ranges of one family of a set. */
export function ranges(set: AddressSet, version: IpVersion): readonly BigSpan[] {
  return addressFamily(set, version);
}

/** Whether any of `ports` survives (for a protocol without ports, whether anything is allowed). */
export function anyOf(allowed: readonly { from: number; to: number }[], ports: readonly Span[]): boolean {
  return allowed.some((g) => ports.some((s) => g.from <= s.to && s.from <= g.to));
}
