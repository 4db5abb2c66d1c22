import { strict as assert } from "node:assert";
import { AZURE_ADDRESS_PLAN, ZONES } from "@pfv5/zones";
import { AZURE_NAT_TIERS } from "./defaults";
import { planAzureNetwork } from "./plan";

describe("planAzureNetwork", () => {
  it("lays out the default plan: one subnet per tier, NAT for app and mgmt, endpoints on data", () => {
    const plan = planAzureNetwork({ addressPlan: AZURE_ADDRESS_PLAN, dataServiceEndpoints: ["Microsoft.Sql", "Microsoft.Storage"] });
    assert.equal(plan.vnetCidr, "10.0.0.0/16");
    assert.deepEqual(plan.subnets, [
      { tier: "dmz", cidr: "10.0.1.0/24", natGateway: false, serviceEndpoints: [] },
      { tier: "app", cidr: "10.0.10.0/24", natGateway: true, serviceEndpoints: [] },
      { tier: "mgmt", cidr: "10.0.30.0/24", natGateway: true, serviceEndpoints: [] },
      { tier: "data", cidr: "10.0.20.0/24", natGateway: false, serviceEndpoints: ["Microsoft.Sql", "Microsoft.Storage"] },
    ]);
  });

  it("routes through the NAT only tiers whose zone may reach the internet", () => {
    for (const tier of AZURE_NAT_TIERS) {
      assert.equal(ZONES.find((z) => z.name === tier)?.egressToInternet, true, tier);
    }
  });
});
