export { AwsZoneFirewall, type AwsZoneFirewallArgs } from "./aws-zone-firewall";
export {
  AWS_CIDR_ROLES,
  AWS_DEFAULT_BASTION_SSH,
  AWS_DESCRIPTION_PATTERN,
  AWS_DMZ_ROLES,
  AWS_FIREWALL_RESERVED_TAG_KEYS,
  AWS_GROUP_ROLES,
  AWS_INTERNET_CIDR,
  type AwsCidrRole,
  type AwsGroupRole,
} from "./defaults";
export { planAwsFirewallRules, type AwsFirewallPlanInput, type AwsRulePeer, type AwsRuleSpec } from "./plan";
export { checkAwsFlow, checkAwsZoneFirewallArgs, type AwsZoneFirewallArgsToCheck } from "./validate";
