import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { isSet, textOr } from "../lib/read";
import { propsOf, T } from "../lib/types";

/** Subnets Azure reserves for its own services, which do not take an NSG (or need none of ours). */
export const NSG_EXEMPT_SUBNETS: readonly string[] = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"];

export const azureSubnetsHaveNsg = definePolicy({
  name: "azure-subnets-have-nsg",
  description: "Every Azure subnet has a network security group (set on the Subnet resource itself).",
  why:
    "A subnet without an NSG has no filtering at all between it and the rest of the VNet. azure-native has no association " +
    "resource: the NSG is the subnet's networkSecurityGroup property.",
  fix: "set networkSecurityGroup: { id: nsg.id } on the subnet, using its tier's NSG",
  severity: "high",
  config: [],
  resource: {
    types: [T.azureSubnet],
    check(r, ctx) {
      const subnet = propsOf(r, T.azureSubnet);
      if (subnet === undefined) return;
      const subnetName = isSet(subnet, "subnetName") ? textOr(subnet, "subnetName") : isSet(subnet, "name") ? textOr(subnet, "name") : r.name;
      if (NSG_EXEMPT_SUBNETS.includes(subnetName)) r.notApplicable(`${subnetName} is reserved for an Azure service and takes no NSG`);
      if (!isSet(subnet, "networkSecurityGroup")) {
        ctx.report({ what: `${label(r)} has no networkSecurityGroup` });
        return;
      }
      // Read through the proxy: a reference unknown as a whole (not just its id) cannot be verified.
      const nsg = subnet.networkSecurityGroup;
      if (!isSet(nsg, "id")) ctx.report({ what: `${label(r)} sets networkSecurityGroup without an id` });
    },
  },
});
