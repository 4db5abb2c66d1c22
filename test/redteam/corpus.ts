/**
 * The red-team corpus: misconfigurations of the shipped stacks, each a small change to the
 * recorded resources of one preview (or a config override), with the policy that must
 * catch it and the words it must say. AWS cases change aws-dev, Azure cases azure-dev.
 */
import type { Json } from "@pfv5/preview";
import type { Mutable } from "./mutate";

export interface Expectation {
  readonly policy: string;
  readonly message: RegExp;
}

export interface Case {
  readonly id: string;
  /** The misconfiguration, as a reviewer would describe it. */
  readonly title: string;
  readonly stack: "aws-dev" | "azure-dev";
  readonly mutate?: (m: Mutable) => Mutable;
  /** Stack config overrides: the case gets a preview of its own. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Every one of these must be reported, by a violation the unchanged stack does not have. */
  readonly expect: readonly Expectation[];
}

const fw = (role: string): string => `-fw-${role}`;
const IN = "-fw-app-data-db-in-5432";
const OUT = "-fw-app-data-db-out-5432";
const ALL = { ipProtocol: "-1" };
const tcp = (from: number, to = from) => ({ ipProtocol: "tcp", fromPort: from, toPort: to });
const udp = (from: number, to = from) => ({ ipProtocol: "udp", fromPort: from, toPort: to });

/** An ingress rule on `role`'s group: from a block, or (`ref`) from another group. */
const ingress = (m: Mutable, name: string, role: string, rule: Record<string, Json>, ref?: string): Mutable =>
  m.add(IN, `pfv5-dev-fw-${name}`, rule, { securityGroupId: [fw(role)], ...(ref !== undefined ? { referencedSecurityGroupId: [fw(ref)] } : {}) });
const egress = (m: Mutable, name: string, role: string, rule: Record<string, Json>, ref?: string): Mutable =>
  m.add(OUT, `pfv5-dev-fw-${name}`, rule, { securityGroupId: [fw(role)], ...(ref !== undefined ? { referencedSecurityGroupId: [fw(ref)] } : {}) });

const zm = (message: RegExp): Expectation => ({ policy: "zone-matrix", message });
const missing = (message: RegExp): Expectation => ({ policy: "zone-matrix-missing", message });

/** The SG opening of the DMZ-to-data cases: data takes 5432 from the DMZ blocks, the edge sends there. */
const dmzToData = (m: Mutable): Mutable =>
  egress(ingress(m, "data-from-dmz-in", "data", { ...tcp(5432), cidrIpv4: "10.0.1.0/24" }), "edge-to-data-out", "edge", { ...tcp(5432), cidrIpv4: "10.0.20.0/24" });

const nsgRule = (name: string, priority: number, direction: "Inbound" | "Outbound", access: "Allow" | "Deny", source: string, destination: string, protocol: string, ports: string): Record<string, Json> => ({
  name,
  priority,
  direction,
  access,
  protocol,
  sourceAddressPrefix: source,
  sourcePortRange: "*",
  destinationAddressPrefix: destination,
  destinationPortRange: ports,
});

export const AWS_CASES: readonly Case[] = [
  { id: "aws-dmz-data-direct", title: "The DMZ reaches the data tier directly: data takes tcp 5432 from the DMZ blocks and the edge may send there", stack: "aws-dev", mutate: dmzToData, expect: [zm(/aws zone matrix: edge -> data: tcp 5432 can pass/)] },
  {
    id: "aws-dmz-data-group-ref",
    title: "A security group reference lets the DMZ reach the data tier: data takes 5432 from the vpn-server group, which may send there",
    stack: "aws-dev",
    mutate: (m) => egress(ingress(m, "data-from-vpn-in", "data", tcp(5432), "vpn-server"), "vpn-to-data-out", "vpn-server", tcp(5432), "data"),
    expect: [zm(/aws zone matrix: vpn-server -> data: tcp 5432 can pass/), zm(/aws zone matrix: vpn -> data: tcp 5432 can pass/)],
  },
  {
    id: "aws-app-split-internet",
    title: "The app group takes tcp 3000 from 0.0.0.0/1 and 128.0.0.0/1, the whole internet in two halves",
    stack: "aws-dev",
    mutate: (m) => ingress(ingress(m, "app-low-in", "app", { ...tcp(3000), cidrIpv4: "0.0.0.0/1" }), "app-high-in", "app", { ...tcp(3000), cidrIpv4: "128.0.0.0/1" }),
    expect: [zm(/aws zone matrix: internet -> app: tcp 3000 is let through by the firewall rules/), { policy: "internet-ingress-dmz-only", message: /0\.0\.0\.0\/1/ }],
  },
  {
    id: "aws-ipv6-any",
    title: "The app group takes SSH from ::/0 (the ACLs, IPv4-only, still drop every IPv6 packet)",
    stack: "aws-dev",
    mutate: (m) => ingress(m, "app-v6-in", "app", { ...tcp(22), cidrIpv6: "::/0" }),
    expect: [{ policy: "no-internet-admin-ports", message: /::\/0/ }],
  },
  {
    id: "aws-ipv6-dual-stack",
    title: "A dual-stack app subnet (IPv6 block, ::/0 ACL entries, ::/0 route to the internet gateway) whose group takes SSH from ::/0",
    stack: "aws-dev",
    mutate: (m) =>
      ingress(
        m
          .set("-dev-vpc", { ipv6CidrBlock: "2600:1f18:1::/56" })
          .set("-app-a", { ipv6CidrBlock: "2600:1f18:1:a::/64" })
          .add("-app-nacl-vpc-in", "pfv5-dev-app-nacl-v6-in", { ipv6CidrBlock: "::/0", egress: false, protocol: "-1", ruleAction: "allow", ruleNumber: 500 }, { networkAclId: ["-app-nacl"] })
          .add("-app-nacl-vpc-out", "pfv5-dev-app-nacl-v6-out", { ipv6CidrBlock: "::/0", egress: true, protocol: "-1", ruleAction: "allow", ruleNumber: 500 }, { networkAclId: ["-app-nacl"] })
          .add("-app-a-default-route", "pfv5-dev-app-a-v6-route", { destinationIpv6CidrBlock: "::/0" }, { routeTableId: ["-app-a-rt"], gatewayId: ["-igw"] }),
        "app-v6-in",
        "app",
        { ...tcp(22), cidrIpv6: "::/0" },
      ),
    expect: [zm(/aws zone matrix: internet -> app: tcp 22 can pass/)],
  },
  {
    id: "aws-nacl-deny-after-allow",
    title: "A network ACL deny meant to keep the DMZ out of the data tier is numbered 300, after the allow (200) it was meant to override",
    stack: "aws-dev",
    mutate: (m) => dmzToData(m).add("-data-nacl-vpc-in", "pfv5-dev-data-nacl-deny-dmz-in", { cidrBlock: "10.0.1.0/24", egress: false, protocol: "-1", ruleAction: "deny", ruleNumber: 300 }, { networkAclId: ["-data-nacl"] }),
    expect: [zm(/aws zone matrix: edge -> data: tcp 5432 can pass.*data-nacl-vpc-in/s)],
  },
  {
    id: "aws-data-nat-route",
    title: "The data route table gains a default route to the NAT gateway",
    stack: "aws-dev",
    mutate: (m) => m.add("-app-a-default-route", "pfv5-dev-data-a-default-route", { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: ["-data-a-rt"], natGatewayId: ["-nat-a"] }),
    expect: [zm(/aws zone matrix: data -> internet: traffic is routable/), { policy: "no-internet-route-from-data", message: /NAT gateway/ }],
  },
  {
    id: "aws-app-full-range-from-dmz",
    title: "The app group takes tcp 0-65535 from the DMZ blocks",
    stack: "aws-dev",
    mutate: (m) => ingress(ingress(m, "app-dmz-a-in", "app", { ...tcp(0, 65535), cidrIpv4: "10.0.1.0/24" }), "app-dmz-b-in", "app", { ...tcp(0, 65535), cidrIpv4: "10.0.2.0/24" }),
    expect: [zm(/aws zone matrix: bastion -> app: tcp 443 can pass/), zm(/aws zone matrix: vpn-server -> app: tcp 443 can pass/)],
  },
  {
    id: "aws-edge-app-all-ports",
    title: "The edge-to-app rule pair is widened from 3000 to 0-65535",
    stack: "aws-dev",
    mutate: (m) => m.set("-fw-edge-app-http-in-3000", tcp(0, 65535)).set("-fw-edge-app-http-out-3000", tcp(0, 65535)),
    expect: [zm(/aws zone matrix: edge -> app: tcp 0-2999,3001-65535 can pass/)],
  },
  { id: "aws-app-data-all-protocols", title: "The data group takes every protocol from the app group", stack: "aws-dev", mutate: (m) => ingress(m, "data-from-app-all", "data", ALL, "app"), expect: [zm(/aws zone matrix: app -> data: tcp 0-5431,5433-6378,6380-27016,27018-65535; udp all; icmp; icmpv6; other can pass/)] },
  { id: "aws-mgmt-data-all", title: "The data group takes every protocol from the mgmt group", stack: "aws-dev", mutate: (m) => ingress(m, "data-from-mgmt-all", "data", ALL, "mgmt"), expect: [zm(/aws zone matrix: mgmt -> data: tcp 0-9120,9122-9186,9188-9215,9217-65535/)] },
  { id: "aws-app-data-ssh", title: "The data group takes SSH from the app group", stack: "aws-dev", mutate: (m) => ingress(m, "data-from-app-ssh", "data", tcp(22), "app"), expect: [zm(/aws zone matrix: app -> data: tcp 22 can pass/)] },
  {
    id: "aws-data-egress-internet",
    title: "The data group may send anything to 0.0.0.0/0 (the data ACL keeps it in the VPC, where 0.0.0.0/0 covers the DMZ)",
    stack: "aws-dev",
    mutate: (m) => egress(m, "data-out-all", "data", { ...ALL, cidrIpv4: "0.0.0.0/0" }),
    expect: [zm(/aws zone matrix: data -> edge: tcp 80,443 can pass/), { policy: "data-egress-inside-vpc", message: /0\.0\.0\.0\/0/ }],
  },
  {
    id: "aws-bastion-ssh-world-sg-only",
    title: "The bastion's SSH rule is widened to 0.0.0.0/0 (the DMZ ACL still admits SSH from the admin block only)",
    stack: "aws-dev",
    mutate: (m) => m.set("-fw-admins-bastion-ssh-in-22-192-0-2-0-24", { cidrIpv4: "0.0.0.0/0" }),
    expect: [{ policy: "no-internet-admin-ports", message: /opens tcp 22 to 0\.0\.0\.0\/0/ }],
  },
  {
    id: "aws-bastion-ssh-world",
    title: "The bastion's SSH rule and the DMZ ACL's SSH entry are both widened to 0.0.0.0/0",
    stack: "aws-dev",
    mutate: (m) => m.set("-fw-admins-bastion-ssh-in-22-192-0-2-0-24", { cidrIpv4: "0.0.0.0/0" }).set("-dmz-nacl-admins-bastion-ssh-22-in-0", { cidrBlock: "0.0.0.0/0" }),
    expect: [zm(/aws zone matrix: internet -> bastion: tcp 22 can pass/)],
  },
  { id: "aws-edge-8080", title: "The edge group takes tcp 8080 from the internet (the DMZ ACL's reply entry admits tcp 1024-65535)", stack: "aws-dev", mutate: (m) => ingress(m, "edge-8080-in", "edge", { ...tcp(8080), cidrIpv4: "0.0.0.0/0" }), expect: [zm(/aws zone matrix: internet -> edge: tcp 8080 can pass.*dmz-nacl-ephemeral-tcp-in/s)] },
  { id: "aws-vpn-udp-range", title: "The VPN server takes every UDP port from the internet", stack: "aws-dev", mutate: (m) => ingress(m, "vpn-udp-in", "vpn-server", { ...udp(0, 65535), cidrIpv4: "0.0.0.0/0" }), expect: [zm(/aws zone matrix: internet -> vpn-server: udp 1024-3388,3390-51819,51821-65535 can pass/)] },
  { id: "aws-edge-all-protocols", title: "The edge group takes every protocol from the internet", stack: "aws-dev", mutate: (m) => ingress(m, "edge-all-in", "edge", { ...ALL, cidrIpv4: "0.0.0.0/0" }), expect: [zm(/aws zone matrix: internet -> edge: tcp 1024-3388,3390-65535; udp 1024-3388,3390-65535 can pass/)] },
  {
    id: "aws-app-public-subnet",
    title: "An app subnet hands out public addresses and routes to the internet gateway",
    stack: "aws-dev",
    mutate: (m) => m.set("-app-a", { mapPublicIpOnLaunch: true }).set("-app-a-default-route", { natGatewayId: undefined }).refer("-app-a-default-route", "gatewayId", ["-igw"]),
    expect: [zm(/aws zone matrix: internet -> app: traffic is routable/)],
  },
  {
    id: "aws-app-route-igw-private",
    title: "The app subnets route to the internet gateway though they have no public addresses, so the app tier loses its way out",
    stack: "aws-dev",
    mutate: (m) => {
      for (const s of ["a", "b"]) m.set(`-app-${s}-default-route`, { natGatewayId: undefined }).refer(`-app-${s}-default-route`, "gatewayId", ["-igw"]);
      return m;
    },
    expect: [missing(/aws zone matrix: app -> internet: tcp all; udp all is required by the zone model but cannot pass\. It stops at routing/)],
  },
  { id: "aws-app-nacl-no-return", title: "The app ACL loses its entry for TCP replies from the internet (the ACL is stateless)", stack: "aws-dev", mutate: (m) => m.remove("-app-nacl-ephemeral-tcp-in"), expect: [missing(/aws zone matrix: app -> internet: tcp all is required by the zone model but cannot pass\. It stops at network ACLs/)] },
  {
    id: "aws-data-open-to-internet-latent",
    title: "The data ACL admits everything from 0.0.0.0/0 first (rule 50) and the data group takes tcp 5432 from 0.0.0.0/0",
    stack: "aws-dev",
    mutate: (m) => ingress(m.add("-data-nacl-vpc-in", "pfv5-dev-data-nacl-all-in", { cidrBlock: "0.0.0.0/0", egress: false, protocol: "-1", ruleAction: "allow", ruleNumber: 50 }, { networkAclId: ["-data-nacl"] }).add("-data-nacl-vpc-out", "pfv5-dev-data-nacl-all-out", { cidrBlock: "0.0.0.0/0", egress: true, protocol: "-1", ruleAction: "allow", ruleNumber: 50 }, { networkAclId: ["-data-nacl"] }), "data-world-in", "data", { ...tcp(5432), cidrIpv4: "0.0.0.0/0" }),
    expect: [zm(/aws zone matrix: internet -> data: tcp 5432 is let through by the firewall rules/)],
  },
  { id: "aws-data-self-all", title: "The data group lets its own members reach each other on every protocol", stack: "aws-dev", mutate: (m) => egress(ingress(m, "data-self-in", "data", ALL, "data"), "data-self-out", "data", ALL, "data"), expect: [zm(/aws zone matrix: data -> data: all can pass/)] },
  { id: "aws-app-self-all", title: "The app group lets its own members reach each other on every protocol", stack: "aws-dev", mutate: (m) => ingress(m, "app-self-in", "app", ALL, "app"), expect: [zm(/aws zone matrix: app -> app: tcp 0-7999,9001-65535; udp all; icmp; icmpv6; other can pass/)] },
  { id: "aws-mgmt-app-all", title: "The app group takes every protocol from the mgmt group", stack: "aws-dev", mutate: (m) => ingress(m, "app-from-mgmt-all", "app", ALL, "mgmt"), expect: [zm(/aws zone matrix: mgmt -> app: tcp 0-9089,9091-9099,9101-65535/)] },
  { id: "aws-app-mgmt-ssh", title: "The mgmt group takes SSH from the app group", stack: "aws-dev", mutate: (m) => ingress(m, "mgmt-from-app-ssh", "mgmt", tcp(22), "app"), expect: [zm(/aws zone matrix: app -> mgmt: tcp 22 can pass/)] },
  { id: "aws-data-app-lateral", title: "The data tier may open tcp 8080 on the app tier", stack: "aws-dev", mutate: (m) => egress(ingress(m, "app-from-data-in", "app", tcp(8080), "data"), "data-to-app-out", "data", tcp(8080), "app"), expect: [zm(/aws zone matrix: data -> app: tcp 8080 can pass/)] },
  {
    id: "aws-rule-group-unknown",
    title: "A rule whose security group cannot be told in preview (its id comes from outside the stack)",
    stack: "aws-dev",
    mutate: (m) => m.add(IN, "pfv5-dev-fw-orphan-in", { ...tcp(5432), cidrIpv4: "10.0.1.0/24", securityGroupId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
    expect: [zm(/could not be decided in full: .*cannot tell which security group the rule belongs to/)],
  },
  { id: "aws-prefix-list", title: "The app group takes tcp 443 from a managed prefix list", stack: "aws-dev", mutate: (m) => ingress(m, "app-pl-in", "app", { ...tcp(443), prefixListId: "pl-0123456789abcdef0" }), expect: [zm(/could not be decided in full: .*prefix list are not visible/)] },
  {
    id: "aws-unauthorized-admin-cidr",
    title: "The stack config lists an admin block the security team did not authorize (pfv5:sshAllowedCidrs override)",
    stack: "aws-dev",
    config: { "pfv5:sshAllowedCidrs": ["192.0.2.0/24", "198.51.100.0/24"] },
    expect: [zm(/aws zone matrix: internet -> bastion: tcp 22 can pass/), { policy: "no-internet-admin-ports", message: /198\.51\.100\.0\/24/ }],
  },
  {
    id: "aws-default-sg-rules",
    title: "The VPC's default security group is given an allow-all ingress rule",
    stack: "aws-dev",
    mutate: (m) => m.set("-default-sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
    expect: [{ policy: "default-security-group-closed", message: /ingress/ }],
  },
];

export const AZURE_CASES: readonly Case[] = [
  {
    id: "azure-vnet-any-to-data",
    title: "The data NSG allows VirtualNetwork on every port at priority 100, ahead of its rules and its final deny",
    stack: "azure-dev",
    mutate: (m) => m.addListEntry("-nsg-data", "securityRules", nsgRule("allow-vnet-any", 100, "Inbound", "Allow", "VirtualNetwork", "*", "*", "*")),
    expect: [zm(/azure zone matrix: app -> data: tcp 0-5431.* can pass/), zm(/azure zone matrix: mgmt -> data: tcp 0-9120/)],
  },
  {
    id: "azure-no-final-deny",
    title: "The app NSG loses its final deny, so Azure's AllowVnetInBound (65000) admits the VNet",
    stack: "azure-dev",
    mutate: (m) => m.editListEntry("-nsg-app", "securityRules", "deny-in-all", "remove"),
    expect: [zm(/azure zone matrix: mgmt -> app: .* can pass.*AllowVnetInBound/s), { policy: "nsg-ends-with-deny-all", message: /pfv5-dev-nsg-app/ }],
  },
  {
    id: "azure-dmz-any-app",
    title: "The app NSG allows every port from the DMZ block and the DMZ NSG loses its outbound deny-all (the seed's defect: the DMZ left to Azure's defaults)",
    stack: "azure-dev",
    mutate: (m) => m.addListEntry("-nsg-app", "securityRules", nsgRule("allow-dmz-any", 990, "Inbound", "Allow", "10.0.1.0/24", "*", "*", "*")).editListEntry("-nsg-dmz", "securityRules", "deny-out-all", "remove"),
    expect: [zm(/azure zone matrix: dmz -> app: tcp 0-21,23-2999,3001-65535.*AllowVnetOutBound/s)],
  },
  {
    id: "azure-data-nat",
    title: "The data subnet gains the NAT gateway",
    stack: "azure-dev",
    mutate: (m) => m.set("-dev-data", { natGateway: { id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }).refer("-dev-data", "natGateway", ["-dev-nat"]),
    expect: [zm(/azure zone matrix: data -> internet: traffic is routable/), { policy: "no-internet-route-from-data", message: /NAT gateway/ }],
  },
  {
    id: "azure-data-outbound-open",
    title: "The data NSG loses its outbound denies, so AllowInternetOutBound (65001) applies",
    stack: "azure-dev",
    mutate: (m) => m.editListEntry("-nsg-data", "securityRules", "deny-out-internet", "remove").editListEntry("-nsg-data", "securityRules", "deny-out-all", "remove"),
    expect: [zm(/azure zone matrix: data -> internet: .* is let through by the firewall rules.*AllowInternetOutBound/s)],
  },
  { id: "azure-mgmt-ssh-internet", title: "The mgmt NSG allows SSH from Internet", stack: "azure-dev", mutate: (m) => m.addListEntry("-nsg-mgmt", "securityRules", nsgRule("allow-ssh-internet", 900, "Inbound", "Allow", "Internet", "*", "Tcp", "22")), expect: [zm(/azure zone matrix: internet -> mgmt: tcp 22 is let through by the firewall rules/)] },
  { id: "azure-dmz-rdp", title: "The DMZ NSG allows RDP from Internet", stack: "azure-dev", mutate: (m) => m.addListEntry("-nsg-dmz", "securityRules", nsgRule("allow-rdp", 1100, "Inbound", "Allow", "Internet", "*", "Tcp", "3389")), expect: [zm(/azure zone matrix: internet -> dmz: tcp 3389 can pass/)] },
  { id: "azure-data-any-5432", title: "The data NSG allows tcp 5432 from any source (*)", stack: "azure-dev", mutate: (m) => m.addListEntry("-nsg-data", "securityRules", nsgRule("allow-db-any", 200, "Inbound", "Allow", "*", "*", "Tcp", "5432")), expect: [zm(/azure zone matrix: mgmt -> data: tcp 5432 can pass/), zm(/azure zone matrix: internet -> data: tcp 5432 is let through/)] },
  {
    id: "azure-security-rule-resource",
    title: "A SecurityRule resource of its own lets the app subnet SSH into the data subnet",
    stack: "azure-dev",
    mutate: (m) => m.add("-nsg-data", "pfv5-dev-data-ssh-from-app", { resourceGroupName: "rg", securityRuleName: "allow-app-ssh", ...nsgRule("allow-app-ssh", 150, "Inbound", "Allow", "10.0.10.0/24", "*", "Tcp", "22") }, { networkSecurityGroupName: ["-nsg-data"] }, "azure-native:network:SecurityRule"),
    expect: [zm(/azure zone matrix: app -> data: tcp 22 can pass.*SecurityRule "pfv5-dev-data-ssh-from-app"/s)],
  },
  { id: "azure-app-data-all", title: "The data NSG allows everything from the app block", stack: "azure-dev", mutate: (m) => m.addListEntry("-nsg-data", "securityRules", nsgRule("allow-app-all", 1500, "Inbound", "Allow", "10.0.10.0/24", "*", "*", "*")), expect: [zm(/azure zone matrix: app -> data: tcp 0-5431,5433-6378,6380-27016,27018-65535; udp all; icmp; icmpv6; other can pass/)] },
];

export const CORPUS: readonly Case[] = [...AWS_CASES, ...AZURE_CASES];
