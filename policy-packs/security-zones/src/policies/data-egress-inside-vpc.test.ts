import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { acl, aclRule, DENY_ALL_INBOUND, egress, group, nsg, outbound, PENDING, securityRule, StackBuilder } from "../testing/fixtures";
import { dataEgressInsideVpc as policy } from "./data-egress-inside-vpc";

const DATA = 'aws.ec2.SecurityGroup "data-sg"';

describe("data-egress-inside-vpc", () => {
  it("accepts data egress to VPC blocks and groups, and app egress to the internet", async () => {
    const b = new StackBuilder();
    const data = group(b, "data-sg", "data");
    const app = group(b, "app-sg", "app");
    egress(b, "data-to-vpc", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
    egress(b, "data-to-app", data, { ipProtocol: "-1", referencedSecurityGroupId: "pending" }, ["referencedSecurityGroupId"]);
    egress(b, "app-out", app, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects data egress to 0.0.0.0/0, ::/0, a private block outside the VPC and a prefix list", async () => {
    const b = new StackBuilder();
    const data = group(b, "data-sg", "data");
    egress(b, "data-v4", data, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    egress(b, "data-v6", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" });
    egress(b, "data-peer", data, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "192.168.0.0/16" });
    egress(b, "data-pl", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-63a5400a" });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      `aws.vpc.SecurityGroupEgressRule "data-v4" lets ${DATA} send all traffic to 0.0.0.0/0, outside the VPC (10.0.0.0/16)`,
      `aws.vpc.SecurityGroupEgressRule "data-v6" lets ${DATA} send tcp 443 to ::/0, outside the VPC (10.0.0.0/16)`,
      `aws.vpc.SecurityGroupEgressRule "data-peer" lets ${DATA} send tcp 5432 to 192.168.0.0/16, outside the VPC (10.0.0.0/16)`,
      `aws.vpc.SecurityGroupEgressRule "data-pl" lets ${DATA} send tcp 443 to prefix list pl-63a5400a, outside the VPC (10.0.0.0/16)`,
    ]);
  });

  it("accepts a prefix list that comes from a VPC endpoint of the stack, and rejects the same rule without one", async () => {
    const b = new StackBuilder();
    const data = group(b, "data-sg", "data");
    const s3 = b.add(aws.ec2.VpcEndpoint, "s3", { vpcId: PENDING, serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" }, { unknowns: ["vpcId"] });
    b.add(
      aws.vpc.SecurityGroupEgressRule,
      "data-to-s3",
      { securityGroupId: PENDING, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: PENDING },
      { dependsOn: { securityGroupId: [data], prefixListId: [s3] }, unknowns: ["securityGroupId", "prefixListId"] },
    );
    egress(b, "data-to-pl", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-6da54004" });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      `aws.vpc.SecurityGroupEgressRule "data-to-pl" lets ${DATA} send tcp 443 to prefix list pl-6da54004, outside the VPC (10.0.0.0/16)`,
    ]);
  });

  it("accepts an Azure service tag when the data subnet has that service endpoint", async () => {
    const b = new StackBuilder();
    const rules = [DENY_ALL_INBOUND, outbound("to-storage", 610, "Allow", "Storage", "Tcp", "443"), outbound("to-sql", 620, "Allow", "Sql.WestEurope", "Tcp", "1433"), outbound("deny-internet", 4000, "Deny", "Internet", "*", "*")];
    const withEndpoint = nsg(b, "data-nsg", "data", rules);
    b.add(
      network.Subnet,
      "data",
      { resourceGroupName: "rg", virtualNetworkName: "vnet", networkSecurityGroup: { id: PENDING }, serviceEndpoints: [{ service: "Microsoft.Storage" }] },
      { dependsOn: { networkSecurityGroup: [withEndpoint] }, unknowns: ["networkSecurityGroup.id"] },
    );
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'azure-native.network.NetworkSecurityGroup "data-nsg" securityRules[2] "to-sql" (priority 620) lets azure-native.network.NetworkSecurityGroup "data-nsg" send tcp 1433 to service tag Sql.WestEurope, outside the VPC (10.0.0.0/16)',
    ]);
  });

  it("judges the VPC block from the policy config", async () => {
    const b = new StackBuilder();
    const data = group(b, "data-sg", "data");
    egress(b, "data-to-vpc", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
    assert.deepEqual(whats(await runStack(policy, b.resources, { vpcCidr: "10.8.0.0/16" })), [
      `aws.vpc.SecurityGroupEgressRule "data-to-vpc" lets ${DATA} send tcp 443 to 10.0.0.0/16, outside the VPC (10.8.0.0/16)`,
    ]);
  });

  it("rejects internet egress from a group whose tier it cannot tell", async () => {
    const b = new StackBuilder();
    const untagged = group(b, "db-sg", undefined);
    egress(b, "db-out", untagged, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.vpc.SecurityGroupEgressRule "db-out" lets aws.ec2.SecurityGroup "db-sg" send all traffic to 0.0.0.0/0, outside the VPC (10.0.0.0/16), and the policy cannot tell whether that group is in the data tier: aws.ec2.SecurityGroup "db-sg" has no pfv5:role tag',
    ]);
  });

  it("rejects data network ACL egress outside the VPC that no earlier deny covers", async () => {
    const b = new StackBuilder();
    const data = acl(b, "data-acl", "data");
    aclRule(b, "data-out-vpc", data, { ruleNumber: 100, egress: true, protocol: "-1", ruleAction: "allow", cidrBlock: "10.0.0.0/16" });
    aclRule(b, "data-out-world", data, { ruleNumber: 200, egress: true, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.NetworkAclRule "data-out-world" (rule 200) lets aws.ec2.NetworkAcl "data-acl" send tcp 1024-65535 to 0.0.0.0/0, outside the VPC (10.0.0.0/16)',
    ]);
  });

  it("requires an Azure data NSG to deny Internet outbound and allow only the VNet", async () => {
    const b = new StackBuilder();
    nsg(b, "data-ok", "data", [DENY_ALL_INBOUND, outbound("to-vnet", 100, "Allow", "VirtualNetwork", "*", "*"), outbound("deny-internet", 4000, "Deny", "Internet", "*", "*")]);
    const open = nsg(b, "data-open", "data", [DENY_ALL_INBOUND]);
    securityRule(b, "data-open-https", open, { priority: 200, direction: "Outbound", access: "Allow", protocol: "Tcp", destinationAddressPrefix: "0.0.0.0/0", destinationPortRange: "443" });
    nsg(b, "app-nsg", "app", [DENY_ALL_INBOUND, outbound("to-internet", 100, "Allow", "Internet", "*", "*")]);
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), [
      'azure-native.network.SecurityRule "data-open-https" (priority 200) lets azure-native.network.NetworkSecurityGroup "data-open" send tcp 443 to 0.0.0.0/0, outside the VPC (10.0.0.0/16)',
      'azure-native.network.NetworkSecurityGroup "data-open" (pfv5:tier data) has no outbound rule denying the internet, so Azure\'s default AllowInternetOutBound (priority 65001) lets the data tier reach it',
    ]);
    assert.deepEqual(out.violations.map((v) => v.urn?.split("::").pop()), ["data-open-https", "data-open"]);
  });

  it("rejects inline egress to the internet on a data group and ignores other roles", async () => {
    const inline = { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] };
    const data = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "data" }, ...inline }, { name: "data-sg" });
    assert.deepEqual(whats(await runResource(policy, data)), [`${DATA} egress[0] lets ${DATA} send all traffic to 0.0.0.0/0, outside the VPC (10.0.0.0/16)`]);
    const app = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "app" }, ...inline }, { name: "app-sg" });
    assert.deepEqual(await runResource(policy, app), { violations: [] });
  });

  it("does not apply to a stack without egress rules or NSGs", async () => {
    const b = new StackBuilder();
    group(b, "data-sg", "data");
    assert.equal((await runStack(policy, b.resources)).notApplicable?.startsWith("applies only to aws.vpc.SecurityGroupEgressRule"), true);
  });

  it("reports a data egress rule whose destination is unknown as not checkable, but not an app rule", async () => {
    const b = new StackBuilder();
    const data = group(b, "data-sg", "data");
    const app = group(b, "app-sg", "app");
    egress(b, "data-dynamic", data, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }, ["cidrIpv4"]);
    egress(b, "app-dynamic", app, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }, ["cidrIpv4"]);
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.vpc.SecurityGroupEgressRule "data-dynamic" could not be checked: cidrIpv4 is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
