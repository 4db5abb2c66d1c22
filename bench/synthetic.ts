/**
 * Synthetic networks for the benchmark: the shipped layout (four tiers, the DMZ split in
 * three roles, an ACL per tier, a route table per subnet, NAT in the DMZ) scaled to a
 * given number of subnets and security group rules (AWS) or NSG rules (Azure). A seeded
 * generator keeps every run the same.
 */
import {
  awsProtocol,
  azureProtocol,
  ruleTraffic,
  type AwsAclEntry,
  type AwsModel,
  type AwsSecurityGroup,
  type AwsSgRule,
  type AwsSubnet,
  type AzureModel,
  type AzureSecurityRule,
  type RuleRef,
} from "@pfv5/zones";

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = ["dmz", "app", "mgmt", "data"] as const;
const ROLES: readonly { role: string; tier: (typeof TIERS)[number] }[] = [
  { role: "edge", tier: "dmz" },
  { role: "bastion", tier: "dmz" },
  { role: "vpn-server", tier: "dmz" },
  { role: "app", tier: "app" },
  { role: "mgmt", tier: "mgmt" },
  { role: "data", tier: "data" },
];
const GROUPS_PER_ROLE = 4;

const ref = (id: string, layer: RuleRef["layer"]): RuleRef => ({ id, label: id, layer });
const ANY = ruleTraffic(awsProtocol("-1") ?? { protos: [], whole: true });

/** `10.a.b.0/24` for subnet i (the VPC is 10.0.0.0/8). */
const subnetCidr = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}.0/24`;

export function awsNetwork(subnetCount: number, ruleCount: number, seed = 1): AwsModel {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const subnets: AwsSubnet[] = [];
  for (let i = 0; i < subnetCount; i += 1) {
    const tier = TIERS[i % TIERS.length] ?? "app";
    subnets.push({ id: `s${i}`, label: `subnet ${i}`, cidr: subnetCidr(i), networkAclId: `acl-${tier}`, routeTableId: `rt${i}`, publicIp: tier === "dmz" });
  }
  const dmz = subnets.filter((s) => s.networkAclId === "acl-dmz");
  const natGateways = dmz.slice(0, 3).map((s, i) => ({ id: `nat${i}`, label: `nat ${i}`, subnetId: s.id, public: true }));
  const routeTables = subnets.map((s, i) => {
    const tier = s.networkAclId.slice(4);
    const routes =
      tier === "dmz"
        ? [{ ref: ref(`route${i}`, "route"), destination: "0.0.0.0/0", target: { kind: "internet-gateway" as const } }]
        : tier === "data"
          ? []
          : [{ ref: ref(`route${i}`, "route"), destination: "0.0.0.0/0", target: { kind: "nat-gateway" as const, natId: `nat${i % natGateways.length}` } }];
    return { id: s.routeTableId, label: s.routeTableId, routes };
  });
  const entry = (id: string, n: number, allow: boolean, block: string, traffic = ANY): AwsAclEntry => ({ ref: ref(id, "network-acl"), ruleNumber: n, allow, traffic, block });
  const tcp = (from: number, to = from) => ruleTraffic(awsProtocol("tcp") ?? { protos: [], whole: true }, [{ from, to }]);
  const networkAcls = TIERS.map((t) => {
    const block = Array.from({ length: 8 }, (_, k) => entry(`${t}-block${k}`, 10 + k, false, `198.18.${k}.0/24`));
    return {
      id: `acl-${t}`,
      label: `acl-${t}`,
      ingress: [...block, entry(`${t}-vpc-in`, 200, true, "10.0.0.0/8"), entry(`${t}-eph-in`, 300, true, "0.0.0.0/0", tcp(1024, 65535)), entry(`${t}-web-in`, 400, true, "0.0.0.0/0", tcp(443))],
      egress: [...block, entry(`${t}-vpc-out`, 200, true, "10.0.0.0/8"), entry(`${t}-all-out`, 400, true, "0.0.0.0/0")],
    };
  });
  const groupIds = ROLES.flatMap((r) => Array.from({ length: GROUPS_PER_ROLE }, (_, k) => `${r.role}-${k}`));
  const rules = new Map<string, { ingress: AwsSgRule[]; egress: AwsSgRule[] }>(groupIds.map((g) => [g, { ingress: [], egress: [] }]));
  for (let i = 0; i < ruleCount; i += 1) {
    const group = pick(groupIds);
    const p = rnd();
    const port = 1 + Math.floor(rnd() * 65000);
    const traffic = p < 0.05 ? ANY : tcp(port, rnd() < 0.2 ? Math.min(65535, port + Math.floor(rnd() * 1000)) : port);
    const q = rnd();
    const peer: AwsSgRule["peer"] =
      q < 0.5 ? { kind: "group", groupId: pick(groupIds) } : q < 0.8 ? { kind: "cidr", block: subnetCidr(Math.floor(rnd() * subnetCount)) } : { kind: "cidr", block: `${1 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.0.0/16` };
    const dir = rnd() < 0.5 ? "ingress" : "egress";
    rules.get(group)?.[dir].push({ ref: ref(`rule${i}`, "security-group"), traffic, peer });
  }
  const securityGroups: AwsSecurityGroup[] = groupIds.map((g) => ({ id: g, label: g, ingress: rules.get(g)?.ingress ?? [], egress: rules.get(g)?.egress ?? [] }));
  const workloads = groupIds.map((g) => {
    const role = ROLES.find((r) => g.startsWith(`${r.role}-`)) ?? { role: "app", tier: "app" };
    return { zone: role.role, label: g, groupIds: [g], subnetIds: subnets.filter((s) => s.networkAclId === `acl-${role.tier}`).map((s) => s.id) };
  });
  return { vpcCidrs: ["10.0.0.0/8"], subnets, securityGroups, networkAcls, routeTables, natGateways, workloads };
}

/**
 * Azure: one NSG per tier shared by its subnets, `ruleCount` custom rules spread over them.
 * Sources come from a pool of 64 prefixes (subnet blocks, supernets, service tags): NSG
 * rules name zones and a few hosts' subnets, not a thousand different sources.
 */
export function azureNetwork(subnetCount: number, ruleCount: number, seed = 1): AzureModel {
  const rnd = random(seed);
  const pool = [
    ...Array.from({ length: 56 }, () => subnetCidr(Math.floor(rnd() * subnetCount))),
    "10.0.0.0/16",
    "10.1.0.0/16",
    "10.2.0.0/16",
    "10.3.0.0/16",
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "10.0.0.0/8",
  ];
  const nsgRules = new Map<string, AzureSecurityRule[]>(TIERS.map((t) => [t, []]));
  for (let i = 0; i < ruleCount; i += 1) {
    const tier = TIERS[Math.floor(rnd() * TIERS.length)] ?? "app";
    const port = 1 + Math.floor(rnd() * 65000);
    const source = pool[Math.floor(rnd() * pool.length)] ?? "VirtualNetwork";
    nsgRules.get(tier)?.push({
      ref: ref(`nsg-rule${i}`, "nsg"),
      priority: 100 + (i % 3900),
      direction: rnd() < 0.8 ? "Inbound" : "Outbound",
      allow: rnd() < 0.85,
      traffic: ruleTraffic(azureProtocol("Tcp") ?? { protos: [], whole: true }, [{ from: port, to: port }]),
      sources: [source.startsWith("10.") ? { kind: "cidr", block: source } : { kind: "tag", tag: source }],
      destinations: [{ kind: "any" }],
      sourcePorts: [{ from: 0, to: 65535 }],
    });
  }
  const subnets = Array.from({ length: subnetCount }, (_, i) => {
    const tier = TIERS[i % TIERS.length] ?? "app";
    return { id: `s${i}`, label: `subnet ${i}`, prefixes: [subnetCidr(i)], nsgId: `nsg-${tier}`, natGateway: tier === "app" || tier === "mgmt", defaultOutboundAccess: false, serviceEndpoints: [] };
  });
  return {
    vnetPrefixes: ["10.0.0.0/8"],
    subnets,
    nsgs: TIERS.map((t) => ({ id: `nsg-${t}`, label: `nsg-${t}`, rules: nsgRules.get(t) ?? [] })),
    workloads: subnets.map((s, i) => ({ zone: TIERS[i % TIERS.length] ?? "app", label: s.label, subnetId: s.id, public: i % TIERS.length === 0 })),
  };
}
