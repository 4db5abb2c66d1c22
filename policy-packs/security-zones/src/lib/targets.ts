/**
 * Which zone a rule protects. Ids are unknown in preview, so the components tag what they
 * create with its place in the zone model and the policies read the tags:
 *
 * - AWS security groups: `pfv5:role` = edge | bastion | vpn-server | app | data | mgmt
 * - Network ACLs, route tables, subnets (AWS) and NSGs (Azure): `pfv5:tier` = dmz | app | data | mgmt
 *
 * A rule resource reaches its group (or ACL, or NSG) through the resource graph.
 */
import type { PolicyResource } from "@pulumi/policy";
import { ROLES, TIERS, ZONES, type Role, type Tier, type ZoneName } from "@pfv5/zones";
import { isFound, label, type StackGraph } from "./graph";
import { isUnknownValueError } from "./sdk";
import { tag } from "./read";
import type { TypeToken } from "./types";

/** The tag naming a security group's role. */
export const ROLE_TAG = "pfv5:role";
/** The tag naming the tier of a network ACL, route table, subnet or NSG. */
export const TIER_TAG = "pfv5:tier";

/** The roles a security group can play (the roles of the zone model that hold resources). */
export const GROUP_ROLES: readonly Role[] = ["edge", "bastion", "vpn-server", "app", "data", "mgmt"];

/** A place in the zone model a rule applies to. */
export interface Scope {
  readonly zone: ZoneName;
  /** The roles the rule's target may hold: one for a security group, every role of the zone for a tier. */
  readonly roles: readonly Role[];
  /** Network ACLs are stateless: return traffic needs its own rules. */
  readonly stateless: boolean;
  /** How the scope reads in messages, e.g. `role edge (dmz zone)`. */
  readonly name: string;
}

export interface Target {
  /** The group, ACL or NSG, as named in messages. */
  readonly label: string;
  readonly scope?: Scope;
  /** Why the scope is unknown. */
  readonly problem?: string;
}

type Tags = Readonly<Record<string, string>> | undefined;

function readTag(tags: () => Tags, key: string): { value?: string; unknown?: true } {
  try {
    const value = tag(tags(), key);
    return value === undefined ? {} : { value };
  } catch (e) {
    if (isUnknownValueError(e)) return { unknown: true };
    throw e;
  }
}

/** The target a security group is, from its `pfv5:role` tag. */
export function roleTarget(groupLabel: string, tags: () => Tags): Target {
  const t = readTag(tags, ROLE_TAG);
  if (t.unknown === true) return { label: groupLabel, problem: `the tags of ${groupLabel} are unknown in preview` };
  if (t.value === undefined) return { label: groupLabel, problem: `${groupLabel} has no ${ROLE_TAG} tag` };
  const role = GROUP_ROLES.find((r) => r === t.value);
  if (role === undefined) {
    return { label: groupLabel, problem: `${groupLabel} has ${ROLE_TAG} "${t.value}", which is not one of ${GROUP_ROLES.join(", ")}` };
  }
  const zone = ROLES.find((r) => r.role === role)?.zone ?? "dmz";
  return { label: groupLabel, scope: { zone, roles: [role], stateless: false, name: `role ${role} in the ${zone} zone` } };
}

/** The tier named by a `pfv5:tier` tag, or why there is none. */
export function readTier(what: string, tags: () => Tags): { tier: Tier } | { problem: string; unknown?: true } {
  const t = readTag(tags, TIER_TAG);
  if (t.unknown === true) return { problem: `the tags of ${what} are unknown in preview`, unknown: true };
  if (t.value === undefined) return { problem: `${what} has no ${TIER_TAG} tag` };
  const tier = TIERS.find((x) => x === t.value);
  if (tier === undefined) return { problem: `${what} has ${TIER_TAG} "${t.value}", which is not one of ${TIERS.join(", ")}` };
  return { tier };
}

/** The target an ACL or NSG is, from its `pfv5:tier` tag. */
export function tierTarget(containerLabel: string, tags: () => Tags, stateless: boolean): Target {
  const t = readTier(containerLabel, tags);
  if ("problem" in t) return { label: containerLabel, problem: t.problem };
  const roles = ROLES.filter((r) => r.zone === t.tier && GROUP_ROLES.includes(r.role)).map((r) => r.role);
  return { label: containerLabel, scope: { zone: t.tier, roles, stateless, name: `tier ${t.tier}` } };
}

/** Whether a zone's workloads may reach the internet (and so receive return traffic from it). */
export function egressToInternet(zone: ZoneName): boolean {
  return ZONES.find((z) => z.name === zone)?.egressToInternet ?? false;
}

function isTagMap(v: unknown): v is Readonly<Record<string, string>> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function tagsOf(r: PolicyResource): () => Tags {
  return () => {
    const props: Readonly<Record<string, unknown>> = r.props;
    const tags = props["tags"];
    return isTagMap(tags) ? tags : undefined;
  };
}

/** The security group a rule resource belongs to (through `securityGroupId`). */
export function groupOfRule(graph: StackGraph, rule: PolicyResource): Target {
  const types: TypeToken[] = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
  const found = graph.follow(rule, "securityGroupId", types);
  if (!isFound(found)) return { label: `the security group of ${label(rule)}`, problem: found.reason };
  return roleTarget(label(found.resource), tagsOf(found.resource));
}

/** The network ACL a rule resource belongs to (through `networkAclId`). */
export function aclOfRule(graph: StackGraph, rule: PolicyResource): Target {
  const found = graph.follow(rule, "networkAclId", ["aws:ec2/networkAcl:NetworkAcl"]);
  if (!isFound(found)) return { label: `the network ACL of ${label(rule)}`, problem: found.reason };
  return tierTarget(label(found.resource), tagsOf(found.resource), true);
}

/** The target an NSG in the stack is. */
export function nsgTarget(nsg: PolicyResource): Target {
  return tierTarget(label(nsg), tagsOf(nsg), false);
}

/** The tier of a resource in the stack from its tags, or why it has none. */
export function tierOf(r: PolicyResource): ReturnType<typeof readTier> {
  return readTier(label(r), tagsOf(r));
}
