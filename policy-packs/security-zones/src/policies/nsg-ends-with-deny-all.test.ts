import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import { runStack, whats } from "../testing/harness";
import { DENY_ALL_INBOUND, inbound, nsg, securityRule, StackBuilder } from "../testing/fixtures";
import { nsgEndsWithDenyAll as policy } from "./nsg-ends-with-deny-all";

describe("nsg-ends-with-deny-all", () => {
  it("accepts NSGs whose last inbound rule denies everything, inline or as a SecurityRule resource", async () => {
    const b = new StackBuilder();
    nsg(b, "dmz-nsg", "dmz", [inbound("https", 100, "Allow", "Internet", "Tcp", "443"), DENY_ALL_INBOUND]);
    const app = nsg(b, "app-nsg", "app", [inbound("from-dmz", 100, "Allow", "10.0.1.0/24", "Tcp", "3000")]);
    securityRule(b, "app-deny-all", app, { priority: 4096, direction: "Inbound", access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRange: "*" });
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects an NSG with no inbound rules and one whose last rule is not a deny-all", async () => {
    const b = new StackBuilder();
    nsg(b, "empty-nsg", "mgmt");
    nsg(b, "app-nsg", "app", [
      inbound("deny-some", 100, "Deny", "VirtualNetwork", "*", "*"),
      inbound("from-dmz", 200, "Allow", "10.0.1.0/24", "*", "*"),
    ]);
    nsg(b, "narrow-deny", "data", [inbound("deny-tcp", 4096, "Deny", "*", "Tcp", "*")]);
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      'azure-native.network.NetworkSecurityGroup "empty-nsg" has no inbound rules, so AllowVnetInBound (65000) admits the whole VNet',
      'azure-native.network.NetworkSecurityGroup "app-nsg" ends its inbound rules with azure-native.network.NetworkSecurityGroup "app-nsg" securityRules[1] "from-dmz" (priority 200) (allow all traffic), not a deny-all, so AllowVnetInBound (65000) admits the rest of the VNet',
      'azure-native.network.NetworkSecurityGroup "narrow-deny" ends its inbound rules with azure-native.network.NetworkSecurityGroup "narrow-deny" securityRules[0] "deny-tcp" (priority 4096) (deny tcp every port), not a deny-all, so AllowVnetInBound (65000) admits the rest of the VNet',
    ]);
  });

  it("reports an NSG whose rules are unknown in preview as not checkable", async () => {
    const b = new StackBuilder();
    b.add(network.NetworkSecurityGroup, "dynamic-nsg", { resourceGroupName: "rg", securityRules: [DENY_ALL_INBOUND] }, { unknowns: ["securityRules"] });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'azure-native.network.NetworkSecurityGroup "dynamic-nsg" could not be checked: securityRules is unknown until deployment, so preview cannot show that it complies',
    ]);
  });

  it("does not apply to a stack without NSGs", async () => {
    const b = new StackBuilder();
    b.add(aws.ec2.Vpc, "main", { cidrBlock: "10.0.0.0/16" });
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to azure-native.network.NetworkSecurityGroup");
  });
});
