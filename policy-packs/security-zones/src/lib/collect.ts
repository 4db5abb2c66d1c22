/**
 * Gathers the rules of one direction, each group with the target it protects: inline rules
 * from one resource's inputs, rule resources and NSGs from the stack.
 *
 * The target is resolved before a rule's values are read, so a policy that cares only
 * about some targets (the data tier) does not report unknown values of rules it would not
 * judge anyway.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { isFound, label, type StackGraph } from "./graph";
import type { Context } from "./policy";
import {
  azureDirection,
  azureRule,
  inlineNetworkAclRules,
  inlineSecurityGroupRules,
  networkAclRule,
  networkAclRuleDirection,
  securityGroupRule,
  securityGroupRuleDirection,
  vpcRule,
  type Direction,
  type Rule,
} from "./rules";
import { aclOfRule, groupOfRule, nsgTarget, roleTarget, tierTarget, type Target } from "./targets";
import { propsOf, T } from "./types";

export interface RuleGroup {
  readonly target: Target;
  /** Rules evaluated together: one group, one ACL or one NSG. */
  readonly rules: readonly Rule[];
  /** The NSG whose rules these are, when they are. */
  readonly nsg?: PolicyResource;
  /** False when some rule of the group could not be read (already reported). */
  readonly complete?: boolean;
}

/** Which targets a policy wants to judge; the default is every target. */
export type TargetFilter = (target: Target) => boolean;

const everyTarget: TargetFilter = () => true;

/** The inline rules of `direction` on a security group, default security group or network ACL (inputs). */
export function inlineRuleGroup(r: ResourceValidationArgs, direction: Direction): RuleGroup | undefined {
  const sg = propsOf(r, T.securityGroup) ?? propsOf(r, T.defaultSecurityGroup);
  if (sg !== undefined) {
    const target = roleTarget(label(r), () => sg.tags);
    return { target, rules: inlineSecurityGroupRules(r, sg[direction] ?? [], direction) };
  }
  const acl = propsOf(r, T.networkAcl);
  if (acl !== undefined) {
    const target = tierTarget(label(r), () => acl.tags, true);
    return { target, rules: inlineNetworkAclRules(r, acl[direction] ?? [], direction) };
  }
  return undefined;
}

function azureRuleName(p: { readonly securityRuleName?: string; readonly name?: string }): string | undefined {
  return p.securityRuleName ?? p.name;
}

/** The rules of one NSG: its own `securityRules` (outputs: after deployment they list every rule) and its SecurityRule resources. */
export interface NsgRules {
  readonly nsg: PolicyResource;
  readonly target: Target;
  readonly rules: readonly Rule[];
  /** False when some rule could not be read (already reported): judgments about the whole set must wait. */
  readonly complete: boolean;
}

/**
 * Every NSG with its rules, and the SecurityRule resources whose NSG is not in the stack
 * (each as its own group with an unresolved target). Rules of other directions are left out.
 */
export function nsgRuleGroups(graph: StackGraph, ctx: Context, direction: Direction | "both", wants: TargetFilter = everyTarget): { nsgs: NsgRules[]; orphans: RuleGroup[] } {
  const matches = (d: Direction) => direction === "both" || d === direction;
  const separate = graph.ofType(T.securityRule).map((item) => ({
    ...item,
    nsg: graph.follow(item.resource, "networkSecurityGroupName", [T.nsg], ["name", "networkSecurityGroupName"]),
  }));
  const nsgs: NsgRules[] = [];
  for (const { resource: nsg, props } of graph.ofType(T.nsg)) {
    const target = nsgTarget(nsg);
    if (!wants(target)) continue;
    const own = separate.filter((s) => isFound(s.nsg) && s.nsg.resource.urn === nsg.urn);
    const rules: Rule[] = [];
    const ownNames = new Set<string>();
    let complete = true;
    for (const s of own) {
      const read = ctx.guard(s.resource, () => {
        const name = azureRuleName(s.props);
        if (name !== undefined) ownNames.add(name);
        if (matches(azureDirection(s.props))) rules.push(azureRule(s.resource, s.props));
      });
      complete = complete && read;
    }
    const readInline = ctx.guard(nsg, () => {
      (props.securityRules ?? []).forEach((r, i) => {
        // After deployment the NSG's outputs list its SecurityRule resources too: count each once.
        if (r.name !== undefined && ownNames.has(r.name)) return;
        if (matches(azureDirection(r))) rules.push(azureRule(nsg, r, `securityRules[${i}]${r.name !== undefined ? ` "${r.name}"` : ""}`));
      });
    });
    nsgs.push({ nsg, target, rules, complete: complete && readInline });
  }
  const orphans: RuleGroup[] = [];
  for (const s of separate) {
    if (isFound(s.nsg)) continue;
    const target: Target = { label: `the NSG of ${label(s.resource)}`, problem: s.nsg.reason };
    if (!wants(target)) continue;
    ctx.guard(s.resource, () => {
      if (matches(azureDirection(s.props))) orphans.push({ target, rules: [azureRule(s.resource, s.props)] });
    });
  }
  return { nsgs, orphans };
}

/** Every rule resource and NSG rule of `direction` in the stack, grouped by what it protects. */
export function stackRuleGroups(graph: StackGraph, ctx: Context, direction: Direction, wants: TargetFilter = everyTarget): RuleGroup[] {
  const groups: RuleGroup[] = [];
  const vpcType = direction === "ingress" ? T.ingressRule : T.egressRule;
  for (const { resource, props } of graph.ofType(vpcType)) {
    const target = groupOfRule(graph, resource);
    if (wants(target)) ctx.guard(resource, () => groups.push({ target, rules: [vpcRule(resource, props, direction)] }));
  }
  for (const { resource, props } of graph.ofType(T.securityGroupRule)) {
    ctx.guard(resource, () => {
      if (securityGroupRuleDirection(props) !== direction) return;
      const target = groupOfRule(graph, resource);
      if (wants(target)) groups.push({ target, rules: [securityGroupRule(resource, props)] });
    });
  }
  // Network ACL rules are evaluated in rule-number order per ACL: group them so deny rules
  // can take traffic away from the allow rules after them.
  const acls = new Map<string, { target: Target; rules: Rule[] }>();
  for (const { resource, props } of graph.ofType(T.networkAclRule)) {
    ctx.guard(resource, () => {
      if (networkAclRuleDirection(props) !== direction) return;
      const found = graph.follow(resource, "networkAclId", [T.networkAcl]);
      const target = aclOfRule(graph, resource);
      if (!wants(target)) return;
      const key = isFound(found) ? found.resource.urn : resource.urn;
      const entry = acls.get(key) ?? { target, rules: [] };
      entry.rules.push(networkAclRule(resource, props));
      acls.set(key, entry);
    });
  }
  groups.push(...acls.values());
  const { nsgs, orphans } = nsgRuleGroups(graph, ctx, direction, wants);
  groups.push(...nsgs, ...orphans);
  return groups;
}
