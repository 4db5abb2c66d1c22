import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, runStack, whats } from "../testing/harness";
import { acl, aclRule, ADMIN_CONFIG, DENY_ALL_INBOUND, group, inbound, ingress, nsg, securityRule, StackBuilder } from "../testing/fixtures";
import { internetIngressDmzOnly as policy } from "./internet-ingress-dmz-only";

const APP = 'aws.ec2.SecurityGroup "app-sg" (role app in the app zone)';
const EDGE = 'aws.ec2.SecurityGroup "edge-sg" (role edge in the dmz zone)';

describe("internet-ingress-dmz-only", () => {
  describe("security group rule resources", () => {
    it("accepts the web ports to the edge, WireGuard to the VPN endpoint, SSH from the admin CIDRs to the bastion and group references", async () => {
      const b = new StackBuilder();
      const edge = group(b, "edge-sg", "edge");
      const vpn = group(b, "vpn-sg", "vpn-server");
      const bastion = group(b, "bastion-sg", "bastion");
      const app = group(b, "app-sg", "app");
      ingress(b, "edge-https", edge, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      ingress(b, "edge-http-v6", edge, { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" });
      ingress(b, "vpn-wireguard", vpn, { ipProtocol: "udp", fromPort: 51820, toPort: 51820, cidrIpv4: "0.0.0.0/0" });
      ingress(b, "bastion-ssh", bastion, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.0/24" });
      ingress(b, "app-from-edge", app, { ipProtocol: "tcp", fromPort: 3000, toPort: 3000, referencedSecurityGroupId: "pending" }, ["referencedSecurityGroupId"]);
      ingress(b, "app-from-vpc", app, { ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" });
      assert.deepEqual(await runStack(policy, b.resources, ADMIN_CONFIG), { violations: [] });
    });

    it("rejects internet ingress to the app tier from any block that covers public space", async () => {
      const b = new StackBuilder();
      const app = group(b, "app-sg", "app");
      ingress(b, "app-half-internet", app, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "128.0.0.0/1" });
      ingress(b, "app-doc-range", app, { ipProtocol: "tcp", fromPort: 3000, toPort: 3000, cidrIpv4: "203.0.113.0/24" });
      const out = await runStack(policy, b.resources);
      assert.deepEqual(whats(out), [
        `aws.vpc.SecurityGroupIngressRule "app-half-internet" allows tcp 443 from 128.0.0.0/1 into ${APP}: only the DMZ may be reached from the internet`,
        `aws.vpc.SecurityGroupIngressRule "app-doc-range" allows tcp 3000 from 203.0.113.0/24 into ${APP}: only the DMZ may be reached from the internet`,
      ]);
      assert.deepEqual(
        out.violations.map((v) => v.urn),
        [
          "urn:pulumi:test::pfv5::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::app-half-internet",
          "urn:pulumi:test::pfv5::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::app-doc-range",
        ],
      );
    });

    it("rejects edge rules that open more than the web ports, including protocol all and wide ranges", async () => {
      const b = new StackBuilder();
      const edge = group(b, "edge-sg", "edge");
      ingress(b, "edge-all", edge, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
      ingress(b, "edge-range", edge, { ipProtocol: "tcp", fromPort: 1, toPort: 1024, cidrIpv6: "::/0" });
      const out = await runStack(policy, b.resources);
      assert.deepEqual(whats(out), [
        `aws.vpc.SecurityGroupIngressRule "edge-all" allows tcp 0-79, 81-442, 444-65535; udp every port; icmp; icmpv6; every other IP protocol from 0.0.0.0/0 into ${EDGE}, where the zone model allows only tcp 80, 443 from the internet`,
        `aws.vpc.SecurityGroupIngressRule "edge-range" allows tcp 1-79, 81-442, 444-1024 from ::/0 into ${EDGE}, where the zone model allows only tcp 80, 443 from the internet`,
      ]);
      assert.match(out.violations[0]?.message ?? "", /\nWhy: Only the DMZ is built to face the internet.*\nFix: narrow the rule to tcp 80, 443$/s);
    });

    it("rejects SSH to the bastion from a source outside the configured admin CIDRs", async () => {
      const b = new StackBuilder();
      const bastion = group(b, "bastion-sg", "bastion");
      ingress(b, "bastion-ssh-world", bastion, { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
      const out = await runStack(policy, b.resources, ADMIN_CONFIG);
      assert.match(out.violations[0]?.message ?? "", /\nFix: only the authorized admin CIDRs \(adminCidrs in Pulumi.<stack>.policy.json, kept equal to pfv5:sshAllowedCidrs\) may reach aws.ec2.SecurityGroup "bastion-sg", on tcp 22: narrow the source$/);
      assert.deepEqual(whats(out), [
        'aws.vpc.SecurityGroupIngressRule "bastion-ssh-world" allows tcp 22 from 0.0.0.0/0 into aws.ec2.SecurityGroup "bastion-sg" (role bastion in the dmz zone), where the zone model allows no traffic from the internet',
      ]);
    });

    it("rejects internet ingress through ec2.SecurityGroupRule and ignores its egress rules", async () => {
      const b = new StackBuilder();
      const data = group(b, "data-sg", "data");
      const opts = { dependsOn: { securityGroupId: [data] }, unknowns: ["securityGroupId"] };
      b.add(aws.ec2.SecurityGroupRule, "data-pg", { type: "ingress", securityGroupId: "x", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }, opts);
      b.add(aws.ec2.SecurityGroupRule, "data-out", { type: "egress", securityGroupId: "x", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }, opts);
      assert.deepEqual(whats(await runStack(policy, b.resources)), [
        'aws.ec2.SecurityGroupRule "data-pg" allows tcp 5432 from 0.0.0.0/0 into aws.ec2.SecurityGroup "data-sg" (role data in the data zone): only the DMZ may be reached from the internet',
      ]);
    });

    it("rejects internet ingress to a group whose zone it cannot tell", async () => {
      const b = new StackBuilder();
      const untagged = group(b, "legacy-sg", undefined);
      ingress(b, "legacy-https", untagged, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      ingress(b, "external-https", undefined, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
      assert.deepEqual(whats(await runStack(policy, b.resources)), [
        'aws.vpc.SecurityGroupIngressRule "legacy-https" allows tcp 443 from 0.0.0.0/0, and the policy cannot tell which zone that reaches: aws.ec2.SecurityGroup "legacy-sg" has no pfv5:role tag',
        'aws.vpc.SecurityGroupIngressRule "external-https" allows tcp 443 from 0.0.0.0/0, and the policy cannot tell which zone that reaches: securityGroupId neither depends on a aws.ec2.SecurityGroup or aws.ec2.DefaultSecurityGroup in this stack nor has a value known during preview',
      ]);
    });

    it("reports a rule whose source is unknown in preview as not checkable", async () => {
      const b = new StackBuilder();
      const edge = group(b, "edge-sg", "edge");
      ingress(b, "edge-dynamic", edge, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, ["cidrIpv4"]);
      assert.deepEqual(whats(await runStack(policy, b.resources)), [
        'aws.vpc.SecurityGroupIngressRule "edge-dynamic" could not be checked: cidrIpv4 is unknown until deployment, so preview cannot show that it complies',
      ]);
    });

    it("does not apply to a stack without firewall rules", async () => {
      const b = new StackBuilder();
      group(b, "edge-sg", "edge");
      const out = await runStack(policy, b.resources);
      assert.equal(out.notApplicable?.startsWith("applies only to aws.vpc.SecurityGroupIngressRule"), true);
      assert.deepEqual(out.violations, []);
    });
  });

  describe("network ACLs", () => {
    it("accepts return traffic on ephemeral ports into tiers that reach the internet", async () => {
      const b = new StackBuilder();
      const dmz = acl(b, "dmz-acl", "dmz");
      aclRule(b, "dmz-https", dmz, { ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 443, toPort: 443 });
      aclRule(b, "dmz-return", dmz, { ruleNumber: 200, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
      const app = acl(b, "app-acl", "app");
      aclRule(b, "app-return-udp", app, { ruleNumber: 310, egress: false, protocol: "udp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
      assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
    });

    it("rejects internet traffic into the app tier's ACL beyond the return ports", async () => {
      const b = new StackBuilder();
      const app = acl(b, "app-acl", "app");
      aclRule(b, "app-all-tcp", app, { ruleNumber: 300, egress: false, protocol: "6", ruleAction: "allow", ipv6CidrBlock: "::/0", fromPort: 0, toPort: 65535 });
      assert.deepEqual(whats(await runStack(policy, b.resources)), [
        'aws.ec2.NetworkAclRule "app-all-tcp" (rule 300) allows tcp 0-1023 from ::/0 into aws.ec2.NetworkAcl "app-acl" (tier app) (beyond the return traffic a stateless ACL needs, tcp 1024-65535; udp 1024-65535): only the DMZ may be reached from the internet',
      ]);
    });

    it("rejects internet traffic into the data tier unless an earlier deny takes it away", async () => {
      const b = new StackBuilder();
      const data = acl(b, "data-acl", "data");
      aclRule(b, "data-deny-world", data, { ruleNumber: 50, egress: false, protocol: "-1", ruleAction: "deny", cidrBlock: "0.0.0.0/0" });
      aclRule(b, "data-shadowed", data, { ruleNumber: 100, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "198.51.100.0/24", fromPort: 5432, toPort: 5432 });
      aclRule(b, "data-return", data, { ruleNumber: 40, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "0.0.0.0/0", fromPort: 1024, toPort: 65535 });
      assert.deepEqual(whats(await runStack(policy, b.resources)), [
        'aws.ec2.NetworkAclRule "data-return" (rule 40) allows tcp 1024-65535 from 0.0.0.0/0 into aws.ec2.NetworkAcl "data-acl" (tier data): only the DMZ may be reached from the internet',
      ]);
    });
  });

  describe("Azure NSGs", () => {
    it("accepts Internet on 443 into the DMZ NSG and VirtualNetwork into the app NSG", async () => {
      const b = new StackBuilder();
      nsg(b, "dmz-nsg", "dmz", [inbound("https", 100, "Allow", "Internet", "Tcp", "443"), DENY_ALL_INBOUND]);
      nsg(b, "app-nsg", "app", [inbound("from-vnet", 100, "Allow", "VirtualNetwork", "Tcp", "3000"), DENY_ALL_INBOUND]);
      assert.deepEqual(await runStack(policy, b.resources), { violations: [] });
    });

    it("rejects * and Internet sources into the app tier, inline and as SecurityRule resources", async () => {
      const b = new StackBuilder();
      const app = nsg(b, "app-nsg", "app", [inbound("any", 100, "Allow", "*", "Tcp", "3000"), DENY_ALL_INBOUND]);
      securityRule(b, "app-web", app, { priority: 110, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefixes: ["Internet"], destinationAddressPrefix: "*", destinationPortRange: "8000-9000" });
      const out = await runStack(policy, b.resources);
      assert.deepEqual(whats(out), [
        'azure-native.network.SecurityRule "app-web" (priority 110) allows tcp 8000-9000; udp 8000-9000 from service tag Internet into azure-native.network.NetworkSecurityGroup "app-nsg" (tier app): only the DMZ may be reached from the internet',
        'azure-native.network.NetworkSecurityGroup "app-nsg" securityRules[0] "any" (priority 100) allows tcp 3000 from "*" (any address) into azure-native.network.NetworkSecurityGroup "app-nsg" (tier app): only the DMZ may be reached from the internet',
      ]);
    });
  });

  describe("inline rules (resource inputs)", () => {
    it("rejects inline internet ingress on an app security group", async () => {
      const args = resourceArgs(aws.ec2.SecurityGroup, {
        tags: { "pfv5:role": "app" },
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
      }, { name: "app-sg" });
      assert.deepEqual(whats(await runResource(policy, args)), [
        `aws.ec2.SecurityGroup "app-sg" ingress[0] allows tcp 22 from 0.0.0.0/0 into ${APP}: only the DMZ may be reached from the internet`,
      ]);
    });

    it("accepts a group without inline rules", async () => {
      const args = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "app" } });
      assert.deepEqual(await runResource(policy, args), { violations: [] });
    });

    it("does not apply to other resource types", async () => {
      const out = await runResource(policy, resourceArgs(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }));
      assert.equal(out.notApplicable, "applies only to aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup, aws.ec2.NetworkAcl");
    });

    it("reports inline rules it cannot read in preview as not checkable", async () => {
      const args = resourceArgs(aws.ec2.SecurityGroup, { tags: { "pfv5:role": "edge" }, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "edge-sg", unknowns: ["ingress.0.cidrBlocks"] });
      assert.deepEqual(whats(await runResource(policy, args)), [
        'aws.ec2.SecurityGroup "edge-sg" could not be checked: ingress[0].cidrBlocks is unknown until deployment, so preview cannot show that it complies',
      ]);
    });
  });
});
