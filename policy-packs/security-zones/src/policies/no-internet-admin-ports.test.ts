import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { acl, aclRule, ADMIN_CONFIG, DENY_ALL_INBOUND, group, inbound, ingress, nsg, StackBuilder } from "../testing/fixtures";
import { noInternetAdminPorts as policy } from "./no-internet-admin-ports";

describe("no-internet-admin-ports", () => {
  it("accepts SSH to the bastion from the admin CIDRs, and admin ports from inside the VPC", async () => {
    const b = new StackBuilder();
    const bastion = group(b, "bastion-sg", "bastion");
    const app = group(b, "app-sg", "app");
    ingress(b, "bastion-ssh", bastion, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.64/26" });
    ingress(b, "app-ssh-from-vpn", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.100.0.0/24" });
    ingress(b, "app-rdp-from-vpc", app, { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "10.0.0.0/16" });
    const dmz = nsg(b, "dmz-nsg", "dmz", [inbound("admin-ssh", 100, "Allow", "203.0.113.0/24", "Tcp", "22"), DENY_ALL_INBOUND]);
    assert.equal(dmz.type, "azure-native:network:NetworkSecurityGroup");
    assert.deepEqual(await runStack(policy, b.resources, ADMIN_CONFIG), { violations: [] });
  });

  it("rejects SSH and RDP from the internet, in port ranges and with protocol all", async () => {
    const b = new StackBuilder();
    const edge = group(b, "edge-sg", "edge");
    const app = group(b, "app-sg", "app");
    ingress(b, "edge-all", edge, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    ingress(b, "app-range", app, { ipProtocol: "tcp", fromPort: 20, toPort: 25, cidrIpv6: "::/0" });
    ingress(b, "app-rdp-udp", app, { ipProtocol: "udp", fromPort: 3000, toPort: 4000, cidrIpv4: "198.51.100.7/32" });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.vpc.SecurityGroupIngressRule "edge-all" opens tcp 22, 3389; udp 22, 3389 to 0.0.0.0/0 (internet) into aws.ec2.SecurityGroup "edge-sg" (role edge in the dmz zone)',
      'aws.vpc.SecurityGroupIngressRule "app-range" opens tcp 22 to ::/0 (internet) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone)',
      'aws.vpc.SecurityGroupIngressRule "app-rdp-udp" opens udp 3389 to 198.51.100.7/32 (internet) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone)',
    ]);
  });

  it("rejects SSH from the admin CIDRs to anything but the bastion, and RDP from them anywhere", async () => {
    const b = new StackBuilder();
    const bastion = group(b, "bastion-sg", "bastion");
    const app = group(b, "app-sg", "app");
    ingress(b, "app-ssh-admins", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24" });
    ingress(b, "bastion-rdp-admins", bastion, { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "203.0.113.0/24" });
    const out = await runStack(policy, b.resources, ADMIN_CONFIG);
    assert.deepEqual(whats(out), [
      'aws.vpc.SecurityGroupIngressRule "app-ssh-admins" opens tcp 22 to 203.0.113.0/24 (internet) into aws.ec2.SecurityGroup "app-sg" (role app in the app zone)',
      'aws.vpc.SecurityGroupIngressRule "bastion-rdp-admins" opens tcp 3389 to 203.0.113.0/24 (internet) into aws.ec2.SecurityGroup "bastion-sg" (role bastion in the dmz zone)',
    ]);
    assert.match(out.violations[0]?.message ?? "", /\nFix: SSH from the authorized admin CIDRs is allowed only to the bastion on tcp 22; RDP never: narrow the rule$/);
  });

  it("rejects a network ACL's ephemeral range unless a lower-numbered deny covers the admin ports", async () => {
    const b = new StackBuilder();
    const open = acl(b, "app-acl", "app");
    aclRule(b, "app-return", open, { ruleNumber: 200, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
    const guarded = acl(b, "mgmt-acl", "mgmt");
    aclRule(b, "mgmt-deny-rdp", guarded, { ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "deny", cidrBlock: "0.0.0.0/0", fromPort: 3389, toPort: 3389 });
    aclRule(b, "mgmt-return", guarded, { ruleNumber: 200, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.ec2.NetworkAclRule "app-return" (rule 200) opens tcp 3389 to 0.0.0.0/0 (internet) into aws.ec2.NetworkAcl "app-acl" (tier app)',
    ]);
  });

  it("rejects an Azure rule from * that includes 3389", async () => {
    const b = new StackBuilder();
    nsg(b, "mgmt-nsg", "mgmt", [inbound("wide", 100, "Allow", "*", "*", "3000-4000"), DENY_ALL_INBOUND]);
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'azure-native.network.NetworkSecurityGroup "mgmt-nsg" securityRules[0] "wide" (priority 100) opens tcp 3389; udp 3389 to "*" (any address) into azure-native.network.NetworkSecurityGroup "mgmt-nsg" (tier mgmt)',
    ]);
  });

  it("rejects inline SSH from the internet on a security group", async () => {
    const args = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "bastion" }, ingress: [{ protocol: "6", fromPort: 0, toPort: 1000, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "bastion-sg" });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.SecurityGroup "bastion-sg" ingress[0] opens tcp 22 to 0.0.0.0/0 (internet) into aws.ec2.SecurityGroup "bastion-sg" (role bastion in the dmz zone)',
    ]);
  });

  it("does not apply to a resource that carries no rules", async () => {
    const out = await runResource(policy, resourceArgs(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }));
    assert.equal(out.notApplicable, "applies only to aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup, aws.ec2.NetworkAcl");
  });

  it("reports a rule whose ports are unknown in preview as not checkable", async () => {
    const b = new StackBuilder();
    const app = group(b, "app-sg", "app");
    ingress(b, "app-dynamic", app, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }, ["toPort"]);
    assert.deepEqual(whats(await runStack(policy, b.resources)), [
      'aws.vpc.SecurityGroupIngressRule "app-dynamic" could not be checked: toPort is unknown until deployment, so preview cannot show that it complies',
    ]);
  });

  it("reports bad admin CIDRs in the policy config and does not honour them", async () => {
    const b = new StackBuilder();
    const bastion = group(b, "bastion-sg", "bastion");
    ingress(b, "bastion-ssh-world", bastion, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    const out = await runStack(policy, b.resources, { adminCidrs: ["0.0.0.0/0", "10.0.0.300/32"] });
    assert.deepEqual(whats(out), [
      'policy config adminCidrs[0] = "0.0.0.0/0": opens administrator access to a large part of the internet (prefix /0); list the offices\' or VPN egress blocks, /8 or longer',
      'policy config adminCidrs[1] = "10.0.0.300/32": not a valid CIDR block ("10.0.0.300" is not an IPv4 or IPv6 address)',
      'aws.vpc.SecurityGroupIngressRule "bastion-ssh-world" opens tcp 22 to 0.0.0.0/0 (internet) into aws.ec2.SecurityGroup "bastion-sg" (role bastion in the dmz zone)',
    ]);
  });
});
