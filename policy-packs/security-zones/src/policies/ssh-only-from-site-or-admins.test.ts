import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { acl, aclRule, ADMIN_CONFIG, DENY_ALL_INBOUND, group, inbound, ingress, nsg, StackBuilder } from "../testing/fixtures";
import { noInternetAdminPorts } from "./no-internet-admin-ports";
import { sshOnlyFromSiteOrAdmins as policy } from "./ssh-only-from-site-or-admins";

/** A private administrators' network (an office over Direct Connect) next to the public one. */
const PRIVATE_ADMINS = { adminCidrs: [...ADMIN_CONFIG.adminCidrs, "192.168.50.0/24"] };

describe("ssh-only-from-site-or-admins", () => {
  it("accepts SSH from the VPC, the VPN range, a security group, VirtualNetwork and, on the bastion, a private admin CIDR", async () => {
    const b = new StackBuilder();
    const bastion = group(b, "bastion-sg", "bastion");
    const app = group(b, "app-sg", "app");
    ingress(b, "bastion-ssh-office", bastion, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "192.168.50.0/24" });
    ingress(b, "app-ssh-bastion", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: "sg-bastion" });
    ingress(b, "app-ssh-vpn", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.100.0.0/24" });
    const data = acl(b, "data-acl", "data");
    aclRule(b, "data-from-vpc", data, { ruleNumber: 100, egress: false, protocol: "-1", ruleAction: "allow", cidrBlock: "10.0.0.0/16" });
    nsg(b, "mgmt-nsg", "mgmt", [inbound("ssh-vnet", 100, "Allow", "VirtualNetwork", "Tcp", "22"), DENY_ALL_INBOUND]);
    assert.deepEqual(await runStack(policy, b.resources, PRIVATE_ADMINS), { violations: [] });
  });

  it("rejects SSH from private ranges outside the site, in port ranges, with protocol all and from Azure service tags", async () => {
    const b = new StackBuilder();
    const app = group(b, "app-sg", "app");
    ingress(b, "app-ssh-peer", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "172.16.0.0/12" });
    const mgmt = acl(b, "mgmt-acl", "mgmt");
    aclRule(b, "mgmt-wide", mgmt, { ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "10.0.0.0/8", fromPort: 0, toPort: 1023 });
    nsg(b, "app-nsg", "app", [inbound("probe-all", 100, "Allow", "AzureLoadBalancer", "*", "*"), DENY_ALL_INBOUND]);
    const out = await runStack(policy, b.resources, ADMIN_CONFIG);
    assert.deepEqual(whats(out), [
      'aws.vpc.SecurityGroupIngressRule "app-ssh-peer" opens tcp 22 to 172.16.0.0/12 (outside the VPC and the VPN range, and not an admin CIDR) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone)',
      'aws.ec2.NetworkAclRule "mgmt-wide" (rule 100) opens tcp 22 to 10.0.0.0/8 (outside the VPC and the VPN range, and not an admin CIDR) into aws.ec2.NetworkAcl "mgmt-acl" (tier mgmt)',
      'azure-native.network.NetworkSecurityGroup "app-nsg" securityRules[0] "probe-all" (priority 100) opens tcp 22 to service tag AzureLoadBalancer (outside the VPC and the VPN range, and not an admin CIDR) into azure-native.network.NetworkSecurityGroup "app-nsg" (tier app)',
    ]);
    assert.deepEqual(out.violations.map((v) => v.urn?.split("::").pop()), ["app-ssh-peer", "mgmt-wide", "app-nsg"]);
  });

  it("rejects SSH from a private admin CIDR to anything but the bastion", async () => {
    const b = new StackBuilder();
    const app = group(b, "app-sg", "app");
    ingress(b, "app-ssh-office", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "192.168.50.0/25" });
    const out = await runStack(policy, b.resources, PRIVATE_ADMINS);
    assert.deepEqual(whats(out), [
      'aws.vpc.SecurityGroupIngressRule "app-ssh-office" opens tcp 22 to 192.168.50.0/25 (an admin CIDR) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone), which is not the bastion',
    ]);
    assert.match(out.violations[0]?.message ?? "", /\nFix: administrators reach other hosts through the bastion or the VPN: .*$/);
  });

  it("leaves public sources to no-internet-admin-ports, so each opening is reported once", async () => {
    const b = new StackBuilder();
    const app = group(b, "app-sg", "app");
    ingress(b, "app-ssh-world", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    assert.deepEqual(await runStack(policy, b.resources, ADMIN_CONFIG), { violations: [] });
    assert.deepEqual(whats(await runStack(noInternetAdminPorts, b.resources, ADMIN_CONFIG)), [
      'aws.vpc.SecurityGroupIngressRule "app-ssh-world" opens tcp 22 to 0.0.0.0/0 (internet) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone)',
    ]);
  });

  it("accepts a network ACL allow whose SSH a lower-numbered deny takes away", async () => {
    const b = new StackBuilder();
    const app = acl(b, "app-acl", "app");
    aclRule(b, "app-deny-ssh", app, { ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "deny", cidrBlock: "192.168.0.0/16", fromPort: 22, toPort: 22 });
    aclRule(b, "app-onprem", app, { ruleNumber: 200, egress: false, protocol: "-1", ruleAction: "allow", cidrBlock: "192.168.0.0/16" });
    assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
  });

  it("rejects inline SSH from a private range outside the site on a security group", async () => {
    const args = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "mgmt" }, ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["100.64.0.0/10"] }] }, { name: "mgmt-sg" });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.SecurityGroup "mgmt-sg" ingress[0] opens tcp 22 to 100.64.0.0/10 (outside the VPC and the VPN range, and not an admin CIDR) into aws.ec2.SecurityGroup "mgmt-sg" (role mgmt in the mgmt zone)',
    ]);
  });

  it("does not apply to a resource that carries no rules, or to a stack without any", async () => {
    assert.equal((await runResource(policy, resourceArgs(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }))).notApplicable, "applies only to aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup, aws.ec2.NetworkAcl");
    const b = new StackBuilder();
    b.add(aws.ec2.Vpc, "main", { cidrBlock: "10.0.0.0/16" });
    assert.equal(
      (await runStack(policy, b.resources)).notApplicable,
      "applies only to aws.vpc.SecurityGroupIngressRule, aws.ec2.SecurityGroupRule, aws.ec2.NetworkAclRule, azure-native.network.NetworkSecurityGroup, azure-native.network.SecurityRule",
    );
  });

  it("reports a rule whose source is unknown in preview as not checkable", async () => {
    const b = new StackBuilder();
    const app = group(b, "app-sg", "app");
    ingress(b, "app-dynamic", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "192.168.0.0/16" }, ["cidrIpv4"]);
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.vpc.SecurityGroupIngressRule "app-dynamic" could not be checked: cidrIpv4 is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
