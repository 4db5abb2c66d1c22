/**
 * Small stacks for the policy tests, built the way the components build them: groups and
 * NSGs tagged with their place in the zone model, rule resources whose group ids are
 * unknown (as in a first preview) but whose property dependencies name the group.
 */
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import type { PolicyResource } from "@pulumi/policy";
import type { SecurityGroupEgressRuleArgs } from "@pulumi/aws/vpc/securityGroupEgressRule";
import type { SecurityGroupIngressRuleArgs } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { NetworkAclRuleArgs } from "@pulumi/aws/ec2/networkAclRule";
import type { SecurityRuleArgs } from "@pulumi/azure-native/network/securityRule";
import type { Props } from "../lib/types";
import { StackBuilder, UNKNOWN } from "./harness";

/** A placeholder for ids that the fixtures mark unknown. */
export const PENDING = "pending-id";

export const ADMIN_CONFIG = { adminCidrs: ["203.0.113.0/24"] } as const;

export function vpc(b: StackBuilder, name = "main"): PolicyResource {
  return b.add(aws.ec2.Vpc, name, { cidrBlock: "10.0.0.0/16" });
}

/** A security group tagged with its role (or with no role tag when `role` is undefined). */
export function group(b: StackBuilder, name: string, role: string | undefined, inVpc?: PolicyResource): PolicyResource {
  return b.add(
    aws.ec2.SecurityGroup,
    name,
    { vpcId: PENDING, description: `${name} group`, ...(role !== undefined ? { tags: { "pfv5:role": role } } : {}) },
    { unknowns: ["vpcId"], ...(inVpc !== undefined ? { dependsOn: { vpcId: [inVpc] } } : {}) },
  );
}

type IngressProps = Omit<Props<SecurityGroupIngressRuleArgs>, "securityGroupId">;
type EgressProps = Omit<Props<SecurityGroupEgressRuleArgs>, "securityGroupId">;

export function ingress(b: StackBuilder, name: string, of: PolicyResource | undefined, rule: IngressProps, unknowns: readonly string[] = []): PolicyResource {
  return b.add(
    aws.vpc.SecurityGroupIngressRule,
    name,
    { securityGroupId: PENDING, ...rule },
    { unknowns: ["securityGroupId", ...unknowns], ...(of !== undefined ? { dependsOn: { securityGroupId: [of] } } : {}) },
  );
}

export function egress(b: StackBuilder, name: string, of: PolicyResource, rule: EgressProps, unknowns: readonly string[] = []): PolicyResource {
  return b.add(aws.vpc.SecurityGroupEgressRule, name, { securityGroupId: PENDING, ...rule }, { unknowns: ["securityGroupId", ...unknowns], dependsOn: { securityGroupId: [of] } });
}

export function acl(b: StackBuilder, name: string, tier: string): PolicyResource {
  return b.add(aws.ec2.NetworkAcl, name, { vpcId: PENDING, tags: { "pfv5:tier": tier } }, { unknowns: ["vpcId"] });
}

export function aclRule(b: StackBuilder, name: string, of: PolicyResource, rule: Omit<Props<NetworkAclRuleArgs>, "networkAclId">): PolicyResource {
  return b.add(aws.ec2.NetworkAclRule, name, { networkAclId: PENDING, ...rule }, { unknowns: ["networkAclId"], dependsOn: { networkAclId: [of] } });
}

type InlineRule = NonNullable<Props<network.NetworkSecurityGroupArgs>["securityRules"]>[number];

/** An NSG tagged with its tier and carrying `rules` inline. */
export function nsg(b: StackBuilder, name: string, tier: string | undefined, rules: readonly InlineRule[] = []): PolicyResource {
  return b.add(network.NetworkSecurityGroup, name, {
    resourceGroupName: "rg",
    networkSecurityGroupName: name,
    securityRules: [...rules],
    ...(tier !== undefined ? { tags: { "pfv5:tier": tier } } : {}),
  });
}

export function securityRule(b: StackBuilder, name: string, of: PolicyResource | undefined, rule: Omit<Props<SecurityRuleArgs>, "networkSecurityGroupName" | "resourceGroupName">): PolicyResource {
  return b.add(
    network.SecurityRule,
    name,
    { networkSecurityGroupName: PENDING, resourceGroupName: "rg", securityRuleName: name, ...rule },
    { unknowns: ["networkSecurityGroupName"], ...(of !== undefined ? { dependsOn: { networkSecurityGroupName: [of] } } : {}) },
  );
}

/** The deny-all every NSG ends with. */
export const DENY_ALL_INBOUND: InlineRule = {
  name: "deny-all-inbound",
  priority: 4096,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
};

export function inbound(name: string, priority: number, access: "Allow" | "Deny", source: string, protocol: string, ports: string): InlineRule {
  return {
    name,
    priority,
    direction: "Inbound",
    access,
    protocol,
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: ports,
  };
}

export function outbound(name: string, priority: number, access: "Allow" | "Deny", destination: string, protocol: string, ports: string): InlineRule {
  return {
    name,
    priority,
    direction: "Outbound",
    access,
    protocol,
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: destination,
    destinationPortRange: ports,
  };
}

export { StackBuilder, UNKNOWN };
