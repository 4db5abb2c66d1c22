import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import type { Proto, RuleRef } from "../grants";
import { grantPorts } from "../grants";
import { spansContain } from "../intervals";
import { awsProtocol, ruleTraffic } from "../rules";
import { ROUTES_ONLY, FIREWALLS_ONLY, REACH, type Layers } from "../zones";
import { AwsAnalyzer } from "./analyzer";
import { packetPasses, type End } from "./brute-force.test.helpers";
import type { AwsAclEntry, AwsModel, AwsNetworkAcl, AwsRouteTable, AwsSecurityGroup, AwsSgRule, AwsSubnet, AwsWorkload } from "./model";

// Small networks: a /26 VPC cut into four /28 subnets. Every block and port range a rule
// may name comes from these palettes, so the addresses and ports below are the only ones
// that can behave differently: checking them checks every address and port.
const SUBNETS = ["10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28", "10.0.0.48/28"];
const BLOCKS = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "203.0.113.0/30", "198.51.100.0/30", "10.0.0.0/26", ...SUBNETS, "10.0.0.0/30", "10.0.0.16/30", "10.0.0.33/32"];
const PORTS = [0, 22, 80, 1024, 65535];
const PROBE_PORTS = [...new Set(PORTS.flatMap((p) => [p, Math.min(p + 1, 65535)]))];
const EPHEMERAL = PROBE_PORTS.filter((p) => p >= 1024);
const INTERNET = ["8.8.8.8", "200.0.0.1", "203.0.113.0", "203.0.113.3"];
const ADMINS = ["198.51.100.0", "198.51.100.3"];
// Inside and outside the /30 and /32 blocks of BLOCKS, in each subnet.
const inSubnet = (i: number): string[] => [0, 1, 4].map((o) => `10.0.0.${i * 16 + o}`);
const ZONES = ["internet", "admins", "z0", "z1", "z2"];
const PROTOS: readonly Proto[] = ["tcp", "udp", "icmp"];

const ref = (id: string, layer: RuleRef["layer"]): RuleRef => ({ id, label: id, layer });

const trafficArb = fc
  .record({ proto: fc.constantFrom("tcp", "udp", "icmp", "-1"), a: fc.constantFrom(...PORTS), b: fc.constantFrom(...PORTS) })
  .map(({ proto, a, b }) => ruleTraffic(awsProtocol(proto) ?? { protos: [], whole: true }, [{ from: Math.min(a, b), to: Math.max(a, b) }]));

const sgRuleArb = fc.record({
  group: fc.integer({ min: 0, max: 3 }),
  direction: fc.constantFrom("ingress" as const, "egress" as const),
  traffic: trafficArb,
  peer: fc.oneof(fc.constantFrom(...BLOCKS).map((block) => ({ kind: "cidr" as const, block })), fc.integer({ min: 0, max: 3 }).map((g) => ({ kind: "group" as const, groupId: `g${g}` }))),
});

const aclEntryArb = fc.record({ acl: fc.integer({ min: 0, max: 1 }), egress: fc.boolean(), n: fc.integer({ min: 1, max: 9 }), allow: fc.boolean(), traffic: trafficArb, block: fc.constantFrom(...BLOCKS) });

const routeArb = fc.record({ table: fc.integer({ min: 0, max: 1 }), destination: fc.constantFrom("0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "203.0.113.0/30", "10.0.0.16/28"), target: fc.constantFrom("igw", "nat") });

const networkArb = fc.record({
  subnets: fc.array(fc.record({ acl: fc.integer({ min: 0, max: 1 }), table: fc.integer({ min: 0, max: 1 }), publicIp: fc.boolean() }), { minLength: 4, maxLength: 4 }),
  rules: fc.array(sgRuleArb, { maxLength: 16 }),
  entries: fc.array(aclEntryArb, { maxLength: 12 }),
  routes: fc.array(routeArb, { maxLength: 4 }),
  natSubnet: fc.integer({ min: 0, max: 3 }),
  /** Entries numbered 100 that allow everything both ways, as most ACLs end. */
  openAcls: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  /** Groups that may send anything anywhere, as most groups do. */
  egressAll: fc.subarray([0, 1, 2, 3]),
  workloads: fc.array(fc.record({ zone: fc.integer({ min: 0, max: 2 }), groups: fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 2 }), subnets: fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 2 }), public: fc.option(fc.boolean(), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
});

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function modelOf(n: Network): AwsModel {
  const subnets: AwsSubnet[] = n.subnets.map((s, i) => ({ id: `s${i}`, label: `s${i}`, cidr: SUBNETS[i] ?? "", networkAclId: `acl${s.acl}`, routeTableId: `rt${s.table}`, publicIp: s.publicIp }));
  const securityGroups: AwsSecurityGroup[] = [0, 1, 2, 3].map((g) => {
    const mine = n.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.group === g);
    const rules = (d: "ingress" | "egress"): AwsSgRule[] => mine.filter(({ r }) => r.direction === d).map(({ r, i }) => ({ ref: ref(`sg${i}`, "security-group"), traffic: r.traffic, peer: r.peer }));
    const all: AwsSgRule[] = n.egressAll.includes(g) ? [{ ref: ref(`g${g}-all`, "security-group"), traffic: ruleTraffic(awsProtocol("-1") ?? { protos: [], whole: true }), peer: { kind: "cidr", block: "0.0.0.0/0" } }] : [];
    return { id: `g${g}`, label: `g${g}`, ingress: rules("ingress"), egress: [...rules("egress"), ...all] };
  });
  const networkAcls: AwsNetworkAcl[] = [0, 1].map((a) => {
    const seen = new Set<string>();
    const mine: AwsAclEntry[] = [];
    n.entries.forEach((e, i) => {
      // AWS numbers entries uniquely per ACL and direction.
      const key = `${e.egress}:${e.n}`;
      if (e.acl !== a || seen.has(key)) return;
      seen.add(key);
      mine.push({ ref: { ...ref(`acl${i}`, "network-acl"), direction: e.egress ? "out" : "in" }, ruleNumber: e.n, allow: e.allow, traffic: e.traffic, block: e.block });
    });
    if (n.openAcls) {
      for (const direction of ["in", "out"] as const) {
        mine.push({ ref: { ...ref(`acl${a}-open-${direction}`, "network-acl"), direction }, ruleNumber: 100, allow: true, traffic: ruleTraffic(awsProtocol("-1") ?? { protos: [], whole: true }), block: "0.0.0.0/0" });
      }
    }
    return { id: `acl${a}`, label: `acl${a}`, ingress: mine.filter((e) => e.ref.direction === "in"), egress: mine.filter((e) => e.ref.direction === "out") };
  });
  const routeTables: AwsRouteTable[] = [0, 1].map((t) => ({
    id: `rt${t}`,
    label: `rt${t}`,
    routes: n.routes
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.table === t)
      .map(({ r, i }) => ({ ref: ref(`route${i}`, "route"), destination: r.destination, target: r.target === "igw" ? { kind: "internet-gateway" as const } : { kind: "nat-gateway" as const, natId: "nat" } })),
  }));
  const workloads: AwsWorkload[] = n.workloads.map((w, i) => ({ zone: `z${w.zone}`, label: `w${i}`, groupIds: w.groups.map((g) => `g${g}`), subnetIds: w.subnets.map((s) => `s${s}`), ...(w.public !== undefined ? { public: w.public } : {}) }));
  return { vpcCidrs: ["10.0.0.0/26"], subnets, securityGroups, networkAcls, routeTables, natGateways: [{ id: "nat", label: "nat", subnetId: `s${n.natSubnet}`, public: true }], workloads };
}

/** Every end of a zone the brute force tries: each interface kind at each probe address. */
function ends(model: AwsModel, zone: string): End[] {
  if (zone === "internet") return INTERNET.map((address) => ({ address, groupIds: [] }));
  if (zone === "admins") return ADMINS.map((address) => ({ address, groupIds: [] }));
  return model.workloads
    .filter((w) => w.zone === zone)
    .flatMap((w) => w.subnetIds.flatMap((id) => {
      const subnet = model.subnets.find((s) => s.id === id);
      const i = Number(id.slice(1));
      return subnet === undefined ? [] : inSubnet(i).map((address) => ({ address, subnet, groupIds: w.groupIds, ...(w.public !== undefined ? { public: w.public } : {}) }));
    }));
}

function bruteForce(model: AwsModel, from: string, to: string, proto: Proto, layers: Layers): number[] {
  if (layers !== REACH) throw new Error("the brute force checks every layer together");
  return PROBE_PORTS.filter((port) =>
    ends(model, from).some((a) => ends(model, to).some((b) => packetPasses(model, a, b, { src: a.address, dst: b.address, proto, port }, EPHEMERAL))),
  );
}

describe("AwsAnalyzer against a brute-force reference", () => {
  it("opens exactly the ports the packet-by-packet reference lets through, for every zone pair", () => {
    const stats = { runs: 0, open: 0 };
    fc.assert(
      fc.property(networkArb, (n) => {
        const model = modelOf(n);
        let open = 0;
        const analyzer = new AwsAnalyzer(model, { adminCidrs: ["198.51.100.0/30"], vpnCidr: "10.100.0.0/30", ephemeralPorts: [{ from: 1024, to: 65535 }] }, ZONES);
        for (const from of ZONES) {
          for (const to of ZONES) {
            const t = analyzer.evaluate(from, to, REACH);
            for (const proto of PROTOS) {
              const spans = grantPorts(t[proto]);
              const got = PROBE_PORTS.filter((p) => spansContain(spans, p));
              assert.deepEqual(got, bruteForce(model, from, to, proto, REACH), `${from} -> ${to} ${proto}`);
              open += got.length;
            }
          }
        }
        stats.runs += 1;
        if (open > 0) stats.open += 1;
      }),
      { numRuns: 300 },
    );
    // The generator must reach open paths often, or the comparison proves little.
    assert.ok(stats.open > stats.runs / 4, `only ${stats.open} of ${stats.runs} networks had an open path`);
  });

  it("never finds less with one layer left out than with every layer", () => {
    fc.assert(
      fc.property(networkArb, (n) => {
        const analyzer = new AwsAnalyzer(modelOf(n), { adminCidrs: ["198.51.100.0/30"], vpnCidr: "10.100.0.0/30" }, ZONES);
        for (const from of ZONES) {
          for (const to of ZONES) {
            const all = analyzer.evaluate(from, to, REACH);
            for (const layers of [FIREWALLS_ONLY, ROUTES_ONLY]) {
              const part = analyzer.evaluate(from, to, layers);
              for (const proto of PROTOS) for (const s of grantPorts(all[proto])) assert.ok(spansContain(grantPorts(part[proto]), s.from));
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
