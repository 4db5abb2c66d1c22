export { AwsNetwork, type AwsNetworkArgs, type AwsSubnetInfo } from "./aws-network";
export {
  AWS_BLOCKLIST_FIRST_RULE_NUMBER,
  AWS_DEFAULT_ADDRESS_PLAN,
  AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS,
  AWS_DEFAULT_NAT_STRATEGY,
  AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT,
  AWS_LOG_RETENTION_DAYS,
  AWS_MAX_NETWORK_ACL_RULE_LIMIT,
  AWS_NAT_STRATEGIES,
  AWS_NETWORK_ACL_ALLOW_RULE_NUMBER,
  AWS_RESERVED_TAG_KEYS,
  type AwsNatStrategy,
} from "./defaults";
export {
  planAwsNetwork,
  type AwsEgressPath,
  type AwsNatGatewayPlan,
  type AwsNetworkAclPlan,
  type AwsNetworkPlan,
  type AwsNetworkPlanInput,
  type AwsRoutePlan,
  type AwsRouteTarget,
  type AwsSubnetPlan,
} from "./plan";
export { checkAwsBlockedCidrs, planAwsNetworkAclRules, type AwsNetworkAclRulePlan, type AwsBlocklistContext } from "./blocklist";
export { checkAwsNetworkArgs, type AwsNetworkArgsToCheck } from "./validate";
