import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { isSet } from "../lib/read";
import { T } from "../lib/types";

export const noInlineVnetSubnets = definePolicy({
  name: "no-inline-vnet-subnets",
  description: "Virtual networks declare no inline subnets, not even an empty list; every subnet is its own Subnet resource.",
  why:
    "Subnets inline on a VirtualNetwork and separate Subnet resources fight: an update of the VNet removes or rewrites the " +
    "separate subnets (and the NSGs set on them).",
  fix: "remove subnets from the VirtualNetwork and declare each subnet as an azure-native network.Subnet",
  severity: "high",
  config: [],
  resource: {
    types: [T.virtualNetwork],
    check(r, ctx) {
      if (isSet(r.props, "subnets", true)) ctx.report({ what: `${label(r)} sets inline subnets` });
    },
  },
});
