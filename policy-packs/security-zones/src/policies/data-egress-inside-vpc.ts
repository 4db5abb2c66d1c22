import type { PolicyResource } from "@pulumi/policy";
import { describePeer, isInsideSite, type Peer } from "../lib/addresses";
import { inlineRuleGroup, stackRuleGroups, type RuleGroup } from "../lib/collect";
import { isFound, type StackGraph } from "../lib/graph";
import { definePolicy, type Context } from "../lib/policy";
import { effectiveTraffic, type Rule } from "../lib/rules";
import { ROLE_TAG, TIER_TAG, type Target } from "../lib/targets";
import { describe, EVERYTHING, isEmpty, subtract } from "../lib/traffic";
import { T } from "../lib/types";

/** The data tier, or a target whose zone the policy cannot tell (judged only where it would matter). */
const dataOrUnknown = (t: Target): boolean => t.scope === undefined || t.scope.zone === "data";

/**
 * The Azure service tag each service endpoint reaches. With the endpoint on the subnet the
 * traffic to the service stays on the Azure backbone, so the data tier may use it (backups
 * to Storage, Azure SQL); without it, the same rule would need a path to the internet.
 */
export const SERVICE_ENDPOINT_TAGS: Readonly<Record<string, string>> = {
  "Microsoft.Storage": "Storage",
  "Microsoft.Sql": "Sql",
  "Microsoft.KeyVault": "AzureKeyVault",
  "Microsoft.AzureCosmosDB": "AzureCosmosDB",
  "Microsoft.EventHub": "EventHub",
  "Microsoft.ServiceBus": "ServiceBus",
};

/** Whether a destination outside the VPC is still reached privately (an endpoint of the VPC or subnet). */
type PrivatePath = (rule: Rule, peer: Peer, group: RuleGroup) => boolean;

const noPrivatePath: PrivatePath = () => false;

/**
 * The private paths the stack provides: an AWS prefix list that comes from a (gateway) VPC
 * endpoint of the stack, and an Azure service tag whose service endpoint is on a subnet
 * that uses the NSG.
 */
function privatePaths(graph: StackGraph, ctx: Context): PrivatePath {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const endpointTags = new Map<string, Set<string>>();
  for (const { resource: subnet, props } of graph.ofType(T.azureSubnet)) {
    const nsg = graph.follow(subnet, "networkSecurityGroup", [T.nsg]);
    if (!isFound(nsg)) continue;
    ctx.guard(subnet, () => {
      const tags = endpointTags.get(nsg.resource.urn) ?? new Set<string>();
      for (const e of props.serviceEndpoints ?? []) {
        const tag = e.service === undefined ? undefined : SERVICE_ENDPOINT_TAGS[e.service];
        if (tag !== undefined) tags.add(tag.toLowerCase());
      }
      endpointTags.set(nsg.resource.urn, tags);
    });
  }
  const fromEndpoint = (r: PolicyResource | undefined, property: string) => {
    const deps = r?.propertyDependencies[property] ?? [];
    return deps.length > 0 && deps.every((d) => d.type === T.vpcEndpoint);
  };
  return (rule, peer, group) => {
    if (peer.kind === "prefix-list") {
      const r = byUrn.get(rule.subject.urn);
      return fromEndpoint(r, rule.subject.type === T.egressRule ? "prefixListId" : "prefixListIds");
    }
    if (peer.kind === "tag" && group.nsg !== undefined) {
      const base = peer.text.split(".")[0]?.toLowerCase() ?? "";
      return endpointTags.get(group.nsg.urn)?.has(base) ?? false;
    }
    return false;
  };
}

function judge(group: RuleGroup, ctx: Context, privatePath: PrivatePath = noPrivatePath): void {
  const { target } = group;
  for (const rule of group.rules) {
    if (rule.direction !== "egress" || rule.action !== "allow") continue;
    for (const peer of rule.peers) {
      if (isInsideSite(peer, ctx.site) || privatePath(rule, peer, group)) continue;
      const leaks = effectiveTraffic(rule, peer, group.rules);
      if (isEmpty(leaks)) continue;
      const sends = `${rule.label} lets ${target.label} send ${describe(leaks)} to ${describePeer(peer)}, outside the VPC (${ctx.site.vpcCidr.text})`;
      ctx.report({
        urn: rule.subject.urn,
        what: target.scope === undefined ? `${sends}, and the policy cannot tell whether that group is in the data tier: ${target.problem ?? "unknown target"}` : sends,
        fix:
          target.scope === undefined
            ? `tag the group ${ROLE_TAG} (security groups) or ${TIER_TAG} (network ACLs, NSGs) and reference it by its resource`
            : `target a block inside ${ctx.site.vpcCidr.text} (policy config vpcCidr) or a security group; for AWS services use a gateway VPC endpoint's prefix list, for Azure services a service tag whose service endpoint the data subnet has`,
      });
    }
  }
}

/** Azure's default rules allow outbound Internet at priority 65001: a data NSG must deny it first. */
function deniesInternetOutbound(rules: readonly Rule[]): boolean {
  return rules.some(
    (r) =>
      r.direction === "egress" &&
      r.action === "deny" &&
      isEmpty(subtract(EVERYTHING, r.traffic)) &&
      r.peers.some((p) => p.kind === "any" || (p.kind === "tag" && p.text.toLowerCase() === "internet") || (p.kind === "cidr" && p.block.prefix === 0)),
  );
}

export const dataEgressInsideVpc = definePolicy({
  name: "data-egress-inside-vpc",
  description:
    "The data tier sends traffic only inside the VPC: its egress rules name blocks inside the VPC CIDR, security groups, or services reached through an endpoint of the VPC, and Azure data NSGs deny Internet outbound.",
  why:
    "Databases answer clients; they never start connections to the internet. An egress rule to 0.0.0.0/0 (or ::/0, or a " +
    "public block) on the data tier is an exfiltration path, and on Azure the default AllowInternetOutBound rule opens one " +
    "unless the NSG denies it.",
  fix: "remove the rule or point it at a block inside the VPC CIDR, a security group, a gateway VPC endpoint's prefix list, or an Azure service tag the data subnet has a service endpoint for",
  severity: "high",
  config: ["vpcCidr", "vpnCidr"],
  resource: {
    types: [T.securityGroup, T.networkAcl],
    check(r, ctx) {
      const group = inlineRuleGroup(r, "egress");
      if (group !== undefined && dataOrUnknown(group.target)) judge(group, ctx);
    },
  },
  stack: {
    types: [T.egressRule, T.securityGroupRule, T.networkAclRule, T.nsg, T.securityRule],
    // Subnets and VPC endpoints only widen what counts as private; they are read, not judged.
    check(graph, ctx) {
      const privatePath = privatePaths(graph, ctx);
      for (const group of stackRuleGroups(graph, ctx, "egress", dataOrUnknown)) {
        judge(group, ctx, privatePath);
        const { nsg, target, rules, complete } = group;
        if (nsg === undefined || complete !== true || target.scope?.zone !== "data" || deniesInternetOutbound(rules)) continue;
        ctx.report({
          urn: nsg.urn,
          what: `${target.label} (${TIER_TAG} data) has no outbound rule denying the internet, so Azure's default AllowInternetOutBound (priority 65001) lets the data tier reach it`,
          fix: 'add an outbound rule: access Deny, destination "Internet" (or "*"), protocol "*", port "*", priority at most 4096',
        });
      }
    },
  },
});
