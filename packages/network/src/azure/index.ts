export { AzureNetwork, type AzureNetworkArgs } from "./azure-network";
export {
  AZURE_AVAILABILITY_ZONES,
  AZURE_DEFAULT_ADDRESS_PLAN,
  AZURE_DEFAULT_NAT_IDLE_TIMEOUT_MINUTES,
  AZURE_NAT_IDLE_TIMEOUT_RANGE,
  AZURE_NAT_TIERS,
  AZURE_SERVICE_ENDPOINT_TIERS,
} from "./defaults";
export { planAzureNetwork, type AzureNetworkPlan, type AzureNetworkPlanInput, type AzureSubnetPlan } from "./plan";
export { checkAzureNetworkArgs, type AzureNetworkArgsToCheck } from "./validate";
