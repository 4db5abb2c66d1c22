export { AzureZoneFirewall, checkAzureZoneFirewall, resolveAzureFirewallInput, toSecurityRuleArgs } from "./firewall";
export type { AzureZoneFirewallArgs } from "./firewall";
export {
  AZURE_ALLOW_VNET_INBOUND_PRIORITY,
  AZURE_FIREWALL_DEFAULTS,
  AZURE_MAX_CUSTOM_PRIORITY,
  NSG_EGRESS_LOCKED_TIERS,
  NSG_PRIORITY,
  SERVICE_ENDPOINT_EGRESS,
} from "./model";
export type { AzureFlow, AzureFlowSource, NsgPlan, NsgPlanInput, NsgRule, ServiceEgress } from "./model";
export { planNsgRules } from "./plan";
export { AZURE_RESERVED_TAG_KEYS, checkAzureFirewallPolicy, checkAzureTags, checkNsgPlan } from "./validate";
export type { AzureFirewallPolicyValues } from "./validate";
