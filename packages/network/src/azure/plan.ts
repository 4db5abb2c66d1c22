/**
 * The Azure subnet layout: an address plan in, one subnet spec per tier out. Pure; it
 * assumes a plan that passed validation.
 */
import { TIERS, type AddressPlan, type Tier } from "@pfv5/zones";
import { AZURE_NAT_TIERS, AZURE_SERVICE_ENDPOINT_TIERS } from "./defaults";

export interface AzureSubnetPlan {
  readonly tier: Tier;
  readonly cidr: string;
  /** Whether the subnet's internet egress goes through the NAT gateway. */
  readonly natGateway: boolean;
  readonly serviceEndpoints: readonly string[];
}

export interface AzureNetworkPlan {
  readonly vnetCidr: string;
  readonly tierCidrs: Readonly<Record<Tier, string>>;
  /** In `TIERS` order, the order the subnets are created in. */
  readonly subnets: readonly AzureSubnetPlan[];
}

export interface AzureNetworkPlanInput {
  readonly addressPlan: AddressPlan;
  readonly dataServiceEndpoints: readonly string[];
}

function firstBlock(plan: AddressPlan, tier: Tier): string {
  const cidr = plan.subnets[tier][0];
  if (cidr === undefined) throw new Error(`the address plan has no ${tier} subnet`);
  return cidr;
}

export function planAzureNetwork(input: AzureNetworkPlanInput): AzureNetworkPlan {
  const { addressPlan } = input;
  const tierCidrs: Record<Tier, string> = {
    dmz: firstBlock(addressPlan, "dmz"),
    app: firstBlock(addressPlan, "app"),
    mgmt: firstBlock(addressPlan, "mgmt"),
    data: firstBlock(addressPlan, "data"),
  };
  return {
    vnetCidr: addressPlan.cidr,
    tierCidrs,
    subnets: TIERS.map((tier) => ({
      tier,
      cidr: tierCidrs[tier],
      natGateway: AZURE_NAT_TIERS.includes(tier),
      serviceEndpoints: AZURE_SERVICE_ENDPOINT_TIERS.includes(tier) ? input.dataServiceEndpoints : [],
    })),
  };
}
