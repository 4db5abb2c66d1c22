import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { grantPorts, type Proto } from "../grants";
import { ALL_PORT_SPANS, spansContain, type Span } from "../intervals";
import { azureProtocol, ruleTraffic } from "../rules";
import { REACH } from "../zones";
import { AzureAnalyzer } from "./analyzer";
import { packetPasses, type End } from "./brute-force.test.helpers";
import type { AzureModel, AzureNsg, AzurePrefix, AzureSecurityRule, AzureSubnet, AzureWorkload } from "./model";

// A /26 VNet with three /28 subnets. Prefixes and ports come from small palettes, so the
// probe addresses and ports below cover every case the analyzer can tell apart.
const SUBNETS = ["10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28"];
const PREFIXES = ["*", "VirtualNetwork", "Internet", "AzureLoadBalancer", "0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "203.0.113.0/30", "198.51.100.0/30", "10.0.0.0/26", ...SUBNETS, "10.0.0.0/30"];
const PORTS = [0, 22, 80, 1024, 65535];
const PROBE_PORTS = [...new Set(PORTS.flatMap((p) => [p, Math.min(p + 1, 65535)]))];
const OUTSIDE: Readonly<Record<string, readonly string[]>> = { internet: ["8.8.8.8", "200.0.0.1", "203.0.113.0", "203.0.113.3"], admins: ["198.51.100.0", "198.51.100.3"] };
const inSubnet = (i: number): string[] => [0, 1, 4].map((o) => `10.0.0.${i * 16 + o}`);
const ZONES = ["internet", "admins", "z0", "z1", "z2"];
const PROTOS: readonly Proto[] = ["tcp", "udp", "icmp"];
const SOURCE_PORTS = [0, 1024, 2000, 65535];

const prefix = (t: string): AzurePrefix => (t === "*" ? { kind: "any" } : /^\d/.test(t) ? { kind: "cidr", block: t } : { kind: "tag", tag: t });

const ruleArb = (withSourcePorts: boolean) =>
  fc.record({
    nsg: fc.integer({ min: 0, max: 3 }),
    priority: fc.integer({ min: 100, max: 120 }),
    direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
    allow: fc.boolean(),
    proto: fc.constantFrom("Tcp", "Udp", "Icmp", "*"),
    a: fc.constantFrom(...PORTS),
    b: fc.constantFrom(...PORTS),
    sources: fc.subarray(PREFIXES, { minLength: 1, maxLength: 2 }),
    destinations: fc.subarray(PREFIXES, { minLength: 1, maxLength: 2 }),
    sourcePorts: withSourcePorts ? fc.constantFrom<readonly Span[]>(ALL_PORT_SPANS, [{ from: 0, to: 1023 }], [{ from: 1024, to: 65535 }]) : fc.constant(ALL_PORT_SPANS),
  });

const networkArb = (withSourcePorts: boolean) =>
  fc.record({
    rules: fc.array(ruleArb(withSourcePorts), { maxLength: 16 }),
    subnets: fc.array(fc.record({ nsg: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), nat: fc.boolean(), defaultOutbound: fc.boolean() }), { minLength: 3, maxLength: 3 }),
    workloads: fc.array(fc.record({ zone: fc.integer({ min: 0, max: 2 }), subnet: fc.integer({ min: 0, max: 2 }), nic: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), public: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  });

type Network = ReturnType<typeof networkArb> extends fc.Arbitrary<infer T> ? T : never;

function modelOf(n: Network): AzureModel {
  const nsgs: AzureNsg[] = [0, 1, 2, 3].map((k) => ({
    id: `n${k}`,
    label: `n${k}`,
    rules: n.rules
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.nsg === k)
      // Azure requires distinct priorities per direction within an NSG.
      .filter(({ r }, j, all) => all.findIndex((x) => x.r.priority === r.priority && x.r.direction === r.direction) === j)
      .map(({ r, i }): AzureSecurityRule => ({
        ref: { id: `r${i}`, label: `r${i}`, layer: "nsg" },
        priority: r.priority,
        direction: r.direction,
        allow: r.allow,
        traffic: ruleTraffic(azureProtocol(r.proto) ?? { protos: [], whole: true }, [{ from: Math.min(r.a, r.b), to: Math.max(r.a, r.b) }]),
        sources: r.sources.map(prefix),
        destinations: r.destinations.map(prefix),
        sourcePorts: r.sourcePorts,
      })),
  }));
  const subnets: AzureSubnet[] = n.subnets.map((s, i) => ({
    id: `s${i}`,
    label: `s${i}`,
    prefixes: [SUBNETS[i] ?? ""],
    ...(s.nsg !== undefined ? { nsgId: `n${s.nsg}` } : {}),
    natGateway: s.nat,
    defaultOutboundAccess: s.defaultOutbound,
    serviceEndpoints: [],
  }));
  const workloads: AzureWorkload[] = n.workloads.map((w, i) => ({ zone: `z${w.zone}`, label: `w${i}`, subnetId: `s${w.subnet}`, ...(w.nic !== undefined ? { nicNsgId: `n${w.nic}` } : {}), public: w.public }));
  return { vnetPrefixes: ["10.0.0.0/26"], subnets, nsgs, workloads };
}

function ends(model: AzureModel, zone: string): End[] {
  const outside = OUTSIDE[zone];
  if (outside !== undefined) return outside.map((address) => ({ address }));
  return model.workloads
    .filter((w) => w.zone === zone)
    .flatMap((w) => {
      const subnet = model.subnets.find((s) => s.id === w.subnetId);
      return subnet === undefined ? [] : inSubnet(Number(w.subnetId.slice(1))).map((address) => ({ address, subnet, public: w.public, ...(w.nicNsgId !== undefined ? { nicNsgId: w.nicNsgId } : {}) }));
    });
}

/** The probe ports some packet passes on, the client choosing its source port. */
function bruteForce(model: AzureModel, from: string, to: string, proto: Proto): number[] {
  return PROBE_PORTS.filter((port) =>
    ends(model, from).some((a) => ends(model, to).some((b) => SOURCE_PORTS.some((srcPort) => packetPasses(model, a, b, { src: a.address, dst: b.address, proto, port, srcPort })))),
  );
}

/** The probe ports the analyzer opens, per pair and protocol. */
function analyzed(model: AzureModel): (from: string, to: string, proto: Proto) => number[] {
  const analyzer = new AzureAnalyzer(model, { adminCidrs: ["198.51.100.0/30"], vpnCidr: "10.100.0.0/30" }, ZONES);
  return (from, to, proto) => {
    const spans = grantPorts(analyzer.evaluate(from, to, REACH)[proto]);
    return PROBE_PORTS.filter((p) => spansContain(spans, p));
  };
}

describe("AzureAnalyzer against a brute-force reference", () => {
  it("opens exactly the ports the packet-by-packet reference lets through, for every zone pair", () => {
    const stats = { runs: 0, open: 0 };
    fc.assert(
      fc.property(networkArb(false), (n) => {
        const model = modelOf(n);
        const ports = analyzed(model);
        let open = 0;
        for (const from of ZONES) {
          for (const to of ZONES) {
            for (const proto of PROTOS) {
              const got = ports(from, to, proto);
              assert.deepEqual(got, bruteForce(model, from, to, proto), `${from} -> ${to} ${proto}`);
              open += got.length;
            }
          }
        }
        stats.runs += 1;
        if (open > 0) stats.open += 1;
      }),
      { numRuns: 200 },
    );
    assert.ok(stats.open > stats.runs / 4, `only ${stats.open} of ${stats.runs} networks had an open path`);
  });

  it("never misses a packet the reference lets through when rules name source ports", () => {
    // Rules that match only some source ports can allow but never close a port (the
    // client picks its port), so the analyzer may find more, never less.
    fc.assert(
      fc.property(networkArb(true), (n) => {
        const model = modelOf(n);
        const ports = analyzed(model);
        for (const from of ZONES) {
          for (const to of ZONES) {
            for (const proto of PROTOS) {
              const got = new Set(ports(from, to, proto));
              for (const port of bruteForce(model, from, to, proto)) assert.ok(got.has(port), `${from} -> ${to} ${proto} ${port}`);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
