/**
 * Builds the AWS model from a stack's resources. Ids are unknown in a first preview, so
 * every reference (rule to group, entry to ACL, route to table, association to subnet,
 * NAT to subnet) is followed through the properties' dependencies. Where the zone model
 * places workloads comes from tags: a security group's `pfv5:role` says which role it
 * protects, a subnet's `pfv5:tier` which zone it belongs to; instances and load balancers
 * add interfaces where they really are. Whatever cannot be read is a problem, never a
 * silent gap.
 */
import { ROLES, zoneOf } from "../../model";
import { TIERS } from "../../plan";
import type { RuleRef } from "../grants";
import { awsProtocol, ruleTraffic } from "../rules";
import type { AwsAclEntry, AwsModel, AwsNetworkAcl, AwsRoute, AwsRouteTable, AwsRouteTarget, AwsSecurityGroup, AwsSubnet, AwsWorkload } from "../aws/model";
import { ACL_TYPES, AWS_TYPES as T, GROUP_TYPES, readAclRuleResource, readInlineAclEntries, readInlineGroupRules, readRuleResource } from "./aws-rules";
import { isFound, isUnknown, labelOf, Reader, ResourceIndex, type AnalysisProblem, type StackResource } from "./resources";

export const ROLE_TAG = "pfv5:role";
export const TIER_TAG = "pfv5:tier";

export interface AdaptedModel<M> {
  readonly model: M;
  readonly problems: readonly AnalysisProblem[];
}

/** The resources a list property names: its dependencies of the types, or known ids. */
function followAll(index: ResourceIndex, rd: Reader, property: string, types: readonly string[]): StackResource[] {
  const r = rd.resource;
  const deps = [...new Set(r.propertyDependencies[property] ?? [])].map((u) => index.get(u)).filter((d): d is StackResource => d !== undefined && types.includes(d.type));
  const value = r.props[property];
  const list = Array.isArray(value) ? value : [];
  const known = list.filter((v): v is string => typeof v === "string" && !isUnknown(v));
  const byId = known.flatMap((id) => index.resources.filter((c) => types.includes(c.type) && c.props["id"] === id));
  const found = [...new Map([...deps, ...byId].map((d) => [d.urn, d])).values()];
  if (list.length > found.length || isUnknown(value)) {
    rd.problem(`${property}: ${list.length} entries but only ${found.length} could be matched to resources of this stack`);
  }
  return found;
}

const DEFAULT_ACL_ID = "aws-default-network-acl";
const MAIN_TABLE_ID = "aws-main-route-table";

/** The ACL AWS gives every VPC: allow everything both ways (rule 100), then `*`. */
function awsDefaultAcl(): AwsNetworkAcl {
  const entry = (egress: boolean, block: string, i: number): AwsAclEntry => ({
    ref: { id: `${DEFAULT_ACL_ID}#${egress ? "out" : "in"}${i}`, label: `the VPC's default network ACL ${egress ? "outbound" : "inbound"} rule 100 (allow ${block})`, layer: "network-acl", direction: egress ? "out" : "in" },
    ruleNumber: 100,
    allow: true,
    traffic: ruleTraffic(awsProtocol("-1") ?? { protos: [], whole: true }),
    block,
  });
  return {
    id: DEFAULT_ACL_ID,
    label: "the VPC's default network ACL",
    ingress: [entry(false, "0.0.0.0/0", 4), entry(false, "::/0", 6)],
    egress: [entry(true, "0.0.0.0/0", 4), entry(true, "::/0", 6)],
  };
}

function routeTarget(index: ResourceIndex, rd: Reader, from: unknown, routeDeps: string): AwsRouteTarget | undefined {
  // Presence only: an id unknown in preview still says which kind of target it is.
  const present = (k: string): boolean => {
    const v = typeof from === "object" && from !== null ? (from as Record<string, unknown>)[k] : undefined;
    return v !== undefined && v !== null && v !== "";
  };
  const r = rd.resource;
  if (present("natGatewayId")) {
    const raw = (from as Record<string, unknown>)["natGatewayId"];
    const f = index.follow(r, routeDeps === "" ? "natGatewayId" : routeDeps, [T.natGateway], isUnknown(raw) ? undefined : raw);
    if (isFound(f)) return { kind: "nat-gateway", natId: f.resource.urn };
    rd.problem(`cannot tell which NAT gateway natGatewayId names: ${f.reason}`);
    return undefined;
  }
  if (present("gatewayId")) {
    const raw = (from as Record<string, unknown>)["gatewayId"];
    const id = typeof raw === "string" && !isUnknown(raw) ? raw : undefined;
    if (id === "local") return { kind: "local" };
    const f = index.follow(r, routeDeps === "" ? "gatewayId" : routeDeps, [T.internetGateway, T.vpnGateway], id);
    if (isFound(f)) return f.resource.type === T.internetGateway ? { kind: "internet-gateway" } : { kind: "other", what: labelOf(f.resource) };
    if (id?.startsWith("igw-") === true) return { kind: "internet-gateway" };
    if (id?.startsWith("vgw-") === true) return { kind: "other", what: `virtual private gateway ${id}` };
    rd.problem(`cannot tell what gatewayId names (${f.reason}); counted as an internet gateway`);
    return { kind: "internet-gateway" };
  }
  if (present("egressOnlyGatewayId")) return { kind: "egress-only-gateway" };
  for (const k of ["transitGatewayId", "vpcPeeringConnectionId", "networkInterfaceId", "vpcEndpointId", "carrierGatewayId", "localGatewayId", "coreNetworkArn"]) {
    if (present(k)) {
      if (k === "carrierGatewayId") return { kind: "internet-gateway" };
      return { kind: "other", what: k.replace(/Id$|Arn$/, "") };
    }
  }
  rd.problem("the route names no target");
  return undefined;
}

function readRoute(index: ResourceIndex, rd: Reader, ref: RuleRef, from: unknown, v4Key: string, v6Key: string, deps: string): AwsRoute[] {
  const target = routeTarget(index, rd, from, deps);
  if (target === undefined) return [];
  const out: AwsRoute[] = [];
  for (const key of [v4Key, v6Key]) {
    const dest = rd.string(key, from);
    if (dest !== undefined && dest !== "") out.push({ ref: { ...ref, id: `${ref.id}#${key}`, label: `${ref.label} (${dest} to ${describeTarget(target)})` }, destination: dest, target });
  }
  if (rd.has("destinationPrefixListId")) rd.problem("destinationPrefixListId: the entries of a prefix list are not visible to the analysis");
  return out;
}

export function describeTarget(t: AwsRouteTarget): string {
  switch (t.kind) {
    case "local":
      return "local";
    case "internet-gateway":
      return "an internet gateway";
    case "egress-only-gateway":
      return "an egress-only internet gateway";
    case "nat-gateway":
      return "a NAT gateway";
    case "other":
      return t.what;
  }
}

function readRouting(index: ResourceIndex, problems: AnalysisProblem[]) {
  const tables = new Map<string, { id: string; label: string; routes: AwsRoute[] }>();
  for (const t of index.ofType(T.routeTable, T.defaultRouteTable)) {
    const rd = new Reader(t, problems);
    const routes = rd.list("routes").flatMap((route, i) =>
      readRoute(index, rd, { id: `${t.urn}#routes[${i}]`, label: `${labelOf(t)} routes[${i}]`, layer: "route", urn: t.urn }, route, "cidrBlock", "ipv6CidrBlock", "routes"),
    );
    tables.set(t.urn, { id: t.urn, label: labelOf(t), routes });
  }
  for (const r of index.ofType(T.route)) {
    const rd = new Reader(r, problems);
    const table = index.follow(r, "routeTableId", [T.routeTable, T.defaultRouteTable]);
    if (!isFound(table)) {
      rd.problem(`cannot tell which route table the route belongs to: ${table.reason}`);
      continue;
    }
    const ref: RuleRef = { id: r.urn, label: labelOf(r), layer: "route", urn: r.urn };
    tables.get(table.resource.urn)?.routes.push(...readRoute(index, rd, ref, r.props, "destinationCidrBlock", "destinationIpv6CidrBlock", ""));
  }
  let main = index.ofType(T.defaultRouteTable)[0]?.urn;
  for (const m of index.ofType(T.mainRouteTableAssociation)) {
    const f = index.follow(m, "routeTableId", [T.routeTable]);
    if (isFound(f)) main = f.resource.urn;
    else new Reader(m, problems).problem(`cannot tell which route table becomes the main one: ${f.reason}`);
  }
  if (main === undefined) {
    main = MAIN_TABLE_ID;
    tables.set(main, { id: main, label: "the VPC's main route table (local routes only)", routes: [] });
  }
  const tableOf = new Map<string, string>();
  for (const a of index.ofType(T.routeTableAssociation)) {
    const rd = new Reader(a, problems);
    if (rd.has("gatewayId")) continue;
    const table = index.follow(a, "routeTableId", [T.routeTable, T.defaultRouteTable]);
    const subnet = index.follow(a, "subnetId", [T.subnet]);
    if (!isFound(table) || !isFound(subnet)) {
      rd.problem(`cannot tell which subnet and route table it links: ${!isFound(table) ? table.reason : ""}${!isFound(subnet) ? ` ${subnet.reason}` : ""}`);
      continue;
    }
    tableOf.set(subnet.resource.urn, table.resource.urn);
  }
  return { tables: [...tables.values()] as AwsRouteTable[], tableOf, main };
}

function readAcls(index: ResourceIndex, problems: AnalysisProblem[]) {
  const acls = new Map<string, { id: string; label: string; ingress: AwsAclEntry[]; egress: AwsAclEntry[] }>();
  const aclOf = new Map<string, string>();
  for (const a of index.ofType(...ACL_TYPES)) {
    const rd = new Reader(a, problems);
    acls.set(a.urn, { id: a.urn, label: labelOf(a), ingress: [], egress: [] });
    for (const e of readInlineAclEntries(a, rd)) (e.egress ? acls.get(a.urn)?.egress : acls.get(a.urn)?.ingress)?.push(e.entry);
    if (rd.has("subnetIds")) for (const s of followAll(index, rd, "subnetIds", [T.subnet])) aclOf.set(s.urn, a.urn);
  }
  for (const r of index.ofType(T.networkAclRule)) {
    for (const e of readAclRuleResource(index, r, new Reader(r, problems))) (e.egress ? acls.get(e.aclUrn)?.egress : acls.get(e.aclUrn)?.ingress)?.push(e.entry);
  }
  for (const assoc of index.ofType(T.networkAclAssociation)) {
    const acl = index.follow(assoc, "networkAclId", ACL_TYPES);
    const subnet = index.follow(assoc, "subnetId", [T.subnet]);
    if (isFound(acl) && isFound(subnet)) aclOf.set(subnet.resource.urn, acl.resource.urn);
    else new Reader(assoc, problems).problem(`cannot tell which subnet and network ACL it links: ${!isFound(acl) ? acl.reason : ""}${!isFound(subnet) ? ` ${subnet.reason}` : ""}`);
  }
  const fallback = index.ofType(T.defaultNetworkAcl)[0]?.urn;
  return { acls: [...acls.values()] as AwsNetworkAcl[], aclOf, fallback };
}

function roleOf(rd: Reader): string | undefined {
  const role = rd.tag(ROLE_TAG);
  if (role === undefined) return undefined;
  if (!ROLES.some((r) => r.role === role)) {
    rd.problem(`${ROLE_TAG} "${role}" is not a role of the zone model (${ROLES.map((r) => r.role).join(", ")})`);
    return undefined;
  }
  return role;
}

/** Reads an AWS stack's network into the analysis model. */
export function awsModelFromResources(resources: readonly StackResource[]): AdaptedModel<AwsModel> {
  const index = new ResourceIndex(resources);
  const problems: AnalysisProblem[] = [];
  const vpcCidrs: string[] = [];
  for (const v of index.ofType(T.vpc, T.vpcCidr)) {
    const rd = new Reader(v, problems);
    const c = rd.string("cidrBlock");
    if (c !== undefined) vpcCidrs.push(c);
    const c6 = rd.string("ipv6CidrBlock");
    if (c6 !== undefined && c6 !== "") vpcCidrs.push(c6);
    else if (rd.bool("assignGeneratedIpv6CidrBlock") === true) rd.problem("assignGeneratedIpv6CidrBlock: the IPv6 block is unknown until deployment");
  }
  if (index.ofType(T.vpc).length > 1) problems.push({ urn: index.ofType(T.vpc)[1]?.urn ?? "", message: "the stack has several VPCs: they are analyzed as one network" });

  const subnetInfo = new Map<string, { tier?: string; subnet: Omit<AwsSubnet, "routeTableId" | "networkAclId"> }>();
  for (const s of index.ofType(T.subnet)) {
    const rd = new Reader(s, problems);
    const cidr = rd.string("cidrBlock");
    if (cidr === undefined) continue;
    const v6 = rd.string("ipv6CidrBlock");
    const tier = rd.tag(TIER_TAG);
    subnetInfo.set(s.urn, {
      ...(tier !== undefined ? { tier } : {}),
      subnet: { id: s.urn, label: labelOf(s), cidr, ...(v6 !== undefined && v6 !== "" ? { ipv6Cidr: v6 } : {}), publicIp: rd.bool("mapPublicIpOnLaunch") === true },
    });
  }
  const routing = readRouting(index, problems);
  const acl = readAcls(index, problems);
  const networkAcls = [...acl.acls];
  const needsDefault = [...subnetInfo.keys()].some((u) => !acl.aclOf.has(u)) && acl.fallback === undefined;
  if (needsDefault) networkAcls.push(awsDefaultAcl());
  const subnets: AwsSubnet[] = [...subnetInfo.values()].map(({ subnet }) => ({
    ...subnet,
    routeTableId: routing.tableOf.get(subnet.id) ?? routing.main,
    networkAclId: acl.aclOf.get(subnet.id) ?? acl.fallback ?? DEFAULT_ACL_ID,
  }));

  const natGateways = index.ofType(T.natGateway).flatMap((n) => {
    const rd = new Reader(n, problems);
    const subnet = index.follow(n, "subnetId", [T.subnet]);
    if (!isFound(subnet)) {
      rd.problem(`cannot tell which subnet the NAT gateway sits in: ${subnet.reason}`);
      return [];
    }
    return [{ id: n.urn, label: labelOf(n), subnetId: subnet.resource.urn, public: (rd.string("connectivityType") ?? "public") === "public" }];
  });

  const groups = new Map<string, { id: string; label: string; ingress: AwsSecurityGroup["ingress"][number][]; egress: AwsSecurityGroup["egress"][number][] }>();
  const roles = new Map<string, string>();
  for (const g of index.ofType(...GROUP_TYPES)) {
    const rd = new Reader(g, problems);
    groups.set(g.urn, { id: g.urn, label: labelOf(g), ingress: [], egress: [] });
    const role = roleOf(rd);
    if (role !== undefined) roles.set(g.urn, role);
    for (const r of readInlineGroupRules(index, g, rd)) groups.get(g.urn)?.[r.direction].push(r.rule);
  }
  for (const r of index.ofType(T.ingressRule, T.egressRule, T.securityGroupRule)) {
    for (const read of readRuleResource(index, r, new Reader(r, problems))) groups.get(read.groupUrn)?.[read.direction].push(read.rule);
  }

  const workloads: AwsWorkload[] = [];
  for (const [urn, role] of roles) {
    const zone = zoneOf(role as Parameters<typeof zoneOf>[0]);
    if (!(TIERS as readonly string[]).includes(zone)) continue;
    const subnetIds = [...subnetInfo.entries()].filter(([, s]) => s.tier === zone).map(([id]) => id);
    workloads.push({ zone: role, label: `interfaces with ${groups.get(urn)?.label ?? urn} in the ${zone} subnets`, groupIds: [urn], subnetIds });
  }
  // Interfaces with an Elastic IP are public whatever their subnet says.
  const withEip = new Set<string>();
  for (const e of index.ofType(T.eip, T.eipAssociation)) {
    for (const key of ["networkInterface", "networkInterfaceId", "instance", "instanceId"]) {
      const deps = e.propertyDependencies[key] ?? [];
      for (const u of deps) withEip.add(u);
    }
  }
  for (const r of index.ofType(T.instance, T.networkInterface, T.loadBalancer, T.albLoadBalancer)) {
    const rd = new Reader(r, problems);
    // An instance launched on an interface of its own is analyzed through that interface.
    if (r.type === T.instance && rd.has("primaryNetworkInterface")) continue;
    const isLb = r.type === T.loadBalancer || r.type === T.albLoadBalancer;
    const groupKey = isLb ? "securityGroups" : r.type === T.networkInterface ? "securityGroups" : "vpcSecurityGroupIds";
    const groupRefs = followAll(index, rd, groupKey, GROUP_TYPES);
    const subnetRefs = isLb
      ? followAll(index, rd, "subnets", [T.subnet])
      : (() => {
          const f = index.follow(r, "subnetId", [T.subnet]);
          if (!isFound(f)) rd.problem(`cannot tell which subnet it sits in: ${f.reason}`);
          return isFound(f) ? [f.resource] : [];
        })();
    const zone = groupRefs.map((g) => roles.get(g.urn)).find((z) => z !== undefined) ?? subnetRefs.map((s) => subnetInfo.get(s.urn)?.tier).find((t) => t !== undefined);
    if (zone === undefined) {
      rd.problem(`neither its security groups (${ROLE_TAG}) nor its subnets (${TIER_TAG}) say which zone it belongs to`);
      continue;
    }
    const isPublic = isLb
      ? rd.bool("internal") !== true
      : withEip.has(r.urn) || (r.type === T.instance ? rd.bool("associatePublicIpAddress") : false);
    workloads.push({
      zone,
      label: labelOf(r),
      groupIds: groupRefs.map((g) => g.urn),
      subnetIds: subnetRefs.map((s) => s.urn).filter((u) => subnetInfo.has(u)),
      ...(isPublic !== undefined ? { public: isPublic } : {}),
    });
  }
  return {
    model: { vpcCidrs, subnets, securityGroups: [...groups.values()], networkAcls, routeTables: routing.tables, natGateways, workloads },
    problems,
  };
}
