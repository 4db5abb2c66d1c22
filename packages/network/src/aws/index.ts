export { AwsNetwork, type AwsNetworkArgs, type AwsSubnetInfo } from "./aws-network";
export {
  AWS_BLOCKLIST_FIRST_RULE_NUMBER,
  AWS_DEFAULT_ADDRESS_PLAN,
  AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS,
  AWS_DEFAULT_NAT_STRATEGY,
  AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT,
  AWS_EPHEMERAL_PORTS,
  AWS_LOG_RETENTION_DAYS,
  AWS_MAX_NETWORK_ACL_RULE_LIMIT,
  AWS_NAT_GATEWAY_TIER,
  AWS_NAT_STRATEGIES,
  AWS_NETWORK_ACL_RULE_NUMBERS,
  AWS_NETWORK_ACL_RULE_STEP,
  AWS_RESERVED_TAG_KEYS,
  AWS_TIER_EGRESS,
  type AwsEgressPath,
  type AwsNatStrategy,
} from "./defaults";
export {
  planAwsNetwork,
  type AwsNatGatewayPlan,
  type AwsNetworkAclPlan,
  type AwsNetworkPlan,
  type AwsNetworkPlanInput,
  type AwsRoutePlan,
  type AwsRouteTarget,
  type AwsSubnetPlan,
} from "./plan";
export { checkAwsBlockedCidrs, planAwsBlocklistRules, type AwsBlocklistContext } from "./blocklist";
export {
  checkAwsNetworkAclQuota,
  planAwsNetworkAclRules,
  planAwsZoneAclAllows,
  type AwsAclProtocol,
  type AwsNetworkAclInput,
  type AwsNetworkAclQuotaKeys,
  type AwsNetworkAclRuleKind,
  type AwsNetworkAclRulePlan,
} from "./network-acl";
export { checkAwsNetworkArgs, type AwsNetworkArgsToCheck } from "./validate";
