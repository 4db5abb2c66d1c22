import { strict as assert } from "node:assert";
import fc from "fast-check";
import { AWS_ADDRESS_PLAN, TIERS, cidrContains, cidrsOverlap, splitCidr, type AddressPlan, type Tier } from "@pfv5/zones";
import type { AwsNatStrategy } from "./defaults";
import { planAwsNetworkAclRules } from "./network-acl";
import { planAwsNetwork, type AwsNetworkPlanInput } from "./plan";
import { checkAwsNetworkArgs } from "./validate";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

/** A random valid plan: a 10.x.0.0/16 VPC and distinct /24 blocks for each tier and zone. */
const planInput = fc
  .record({
    second: fc.integer({ min: 0, max: 255 }),
    azCount: fc.integer({ min: 1, max: 3 }),
    natStrategy: fc.constantFrom<AwsNatStrategy>("perAz", "single"),
    blocks: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ second, azCount, natStrategy, blocks }): AwsNetworkPlanInput => {
    const cidr = `10.${second}.0.0/16`;
    const all = splitCidr(cidr, 24, 256);
    const subnets = Object.fromEntries(TIERS.map((t, ti) => [t, blocks.slice(ti * 3, ti * 3 + 3).map((b) => all[b] as string)])) as Record<Tier, string[]>;
    const addressPlan: AddressPlan = { cidr, subnets };
    return { addressPlan, availabilityZones: ZONES.slice(0, azCount), natStrategy, blockedCidrs: [], adminCidrs: [] };
  });

describe("planAwsNetwork", () => {
  it("lays out two zones with a NAT gateway each as the architecture describes", () => {
    const plan = planAwsNetwork({ addressPlan: AWS_ADDRESS_PLAN, availabilityZones: ZONES.slice(0, 2), natStrategy: "perAz", blockedCidrs: [], adminCidrs: [] });
    assert.deepEqual(
      plan.subnets.map((s) => [s.key, s.az, s.cidr, s.mapPublicIpOnLaunch, s.egress, s.kubernetesRole ?? "-"]),
      [
        ["dmz-a", "us-east-1a", "10.0.1.0/24", true, "internet-gateway", "elb"],
        ["dmz-b", "us-east-1b", "10.0.2.0/24", true, "internet-gateway", "elb"],
        ["app-a", "us-east-1a", "10.0.10.0/24", false, "nat-gateway", "internal-elb"],
        ["app-b", "us-east-1b", "10.0.11.0/24", false, "nat-gateway", "internal-elb"],
        ["mgmt-a", "us-east-1a", "10.0.30.0/24", false, "nat-gateway", "-"],
        ["mgmt-b", "us-east-1b", "10.0.31.0/24", false, "nat-gateway", "-"],
        ["data-a", "us-east-1a", "10.0.20.0/24", false, "none", "-"],
        ["data-b", "us-east-1b", "10.0.21.0/24", false, "none", "-"],
      ],
    );
    assert.deepEqual(plan.natGateways, [
      { key: "nat-a", az: "us-east-1a", azIndex: 0, subnetKey: "dmz-a" },
      { key: "nat-b", az: "us-east-1b", azIndex: 1, subnetKey: "dmz-b" },
    ]);
    assert.deepEqual(
      plan.routes.map((r) => [r.routeTableKey, r.destinationCidrBlock, r.target.kind === "nat-gateway" ? r.target.natKey : "igw"]),
      [
        ["dmz-a", "0.0.0.0/0", "igw"],
        ["dmz-b", "0.0.0.0/0", "igw"],
        ["app-a", "0.0.0.0/0", "nat-a"],
        ["app-b", "0.0.0.0/0", "nat-b"],
        ["mgmt-a", "0.0.0.0/0", "nat-a"],
        ["mgmt-b", "0.0.0.0/0", "nat-b"],
      ],
    );
    assert.deepEqual(
      plan.networkAcls.map((a) => [a.tier, a.subnetKeys]),
      [
        ["dmz", ["dmz-a", "dmz-b"]],
        ["app", ["app-a", "app-b"]],
        ["mgmt", ["mgmt-a", "mgmt-b"]],
        ["data", ["data-a", "data-b"]],
      ],
    );
  });

  it("gives each tier's ACL the blocklist and that tier's zone-model entries, admin SSH only in the DMZ", () => {
    const input = { vpcCidr: "10.0.0.0/16", blockedCidrs: ["192.0.2.0/24"], adminCidrs: ["203.0.113.0/24"] };
    const plan = planAwsNetwork({ addressPlan: AWS_ADDRESS_PLAN, availabilityZones: ZONES.slice(0, 2), natStrategy: "perAz", ...input });
    for (const acl of plan.networkAcls) assert.deepEqual(acl.rules, planAwsNetworkAclRules(acl.tier, input), acl.tier);
    assert.deepEqual(
      plan.networkAcls.map((a) => [a.tier, a.rules.filter((r) => r.kind === "admin").map((r) => r.key)]),
      [
        ["dmz", ["admins-bastion-ssh-22-in-0"]],
        ["app", []],
        ["mgmt", []],
        ["data", []],
      ],
    );
  });

  it("is deterministic", () => {
    fc.assert(fc.property(planInput, (input) => assert.deepEqual(planAwsNetwork(input), planAwsNetwork(input))));
  });

  it("keeps every subnet inside the VPC and no two subnets overlapping", () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { subnets, cidr } = planAwsNetwork(input);
        assert.equal(subnets.length, 4 * input.availabilityZones.length);
        subnets.forEach((s, i) => {
          assert.ok(cidrContains(cidr, s.cidr), `${s.cidr} is outside ${cidr}`);
          for (const other of subnets.slice(i + 1)) assert.ok(!cidrsOverlap(s.cidr, other.cidr), `${s.cidr} overlaps ${other.cidr}`);
        });
        assert.equal(new Set(subnets.map((s) => s.key)).size, subnets.length);
      }),
    );
  });

  it("puts each NAT gateway in its own zone's DMZ subnet and sends each private subnet to its zone's NAT, or the one NAT", () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const plan = planAwsNetwork(input);
        const subnet = new Map(plan.subnets.map((s) => [s.key, s]));
        const nat = new Map(plan.natGateways.map((n) => [n.key, n]));
        assert.equal(plan.natGateways.length, input.natStrategy === "perAz" ? input.availabilityZones.length : 1);
        for (const n of plan.natGateways) {
          assert.equal(subnet.get(n.subnetKey)?.tier, "dmz");
          assert.equal(subnet.get(n.subnetKey)?.az, n.az);
        }
        for (const r of plan.routes) {
          const s = subnet.get(r.routeTableKey);
          assert.ok(s !== undefined);
          if (r.target.kind === "nat-gateway") {
            assert.ok(s.tier === "app" || s.tier === "mgmt", `${s.key} routes to a NAT gateway`);
            const n = nat.get(r.target.natKey);
            assert.equal(n?.az, input.natStrategy === "perAz" ? s.az : input.availabilityZones[0]);
          } else {
            assert.equal(s.tier, "dmz", `${s.key} routes to the internet gateway`);
          }
        }
      }),
    );
  });

  it("gives data subnets no route and every other subnet exactly one default route", () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const plan = planAwsNetwork(input);
        for (const s of plan.subnets) {
          const routes = plan.routes.filter((r) => r.routeTableKey === s.key);
          assert.equal(routes.length, s.tier === "data" ? 0 : 1, s.key);
        }
      }),
    );
  });

  it("accepts every generated plan in validation", () => {
    fc.assert(
      fc.property(planInput, (input) =>
        assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: input.availabilityZones, addressPlan: input.addressPlan, natStrategy: input.natStrategy }), []),
      ),
    );
  });
});

describe("checkAwsNetworkArgs", () => {
  it("accepts the defaults for one to three zones", () => {
    for (const n of [1, 2, 3]) assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: ZONES.slice(0, n) }), []);
  });

  it("names the problems of an address plan: a subnet outside the VPC and an overlap", () => {
    const addressPlan: AddressPlan = {
      ...AWS_ADDRESS_PLAN,
      subnets: { ...AWS_ADDRESS_PLAN.subnets, data: ["10.1.20.0/24"], mgmt: ["10.0.10.128/25"] },
    };
    assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: ZONES.slice(0, 1), addressPlan }), [
      { key: "addressPlan.subnets.mgmt[0]", value: "10.0.10.128/25", message: "overlaps addressPlan.subnets.app[0] (10.0.10.0/24): choose disjoint blocks" },
      { key: "addressPlan.subnets.data[0]", value: "10.1.20.0/24", message: "lies outside the network block 10.0.0.0/16: choose a block inside it" },
    ]);
  });

  it("refuses a VPC block AWS would not accept", () => {
    const addressPlan: AddressPlan = { ...AWS_ADDRESS_PLAN, cidr: "10.0.0.0/8" };
    assert.deepEqual(
      checkAwsNetworkArgs({ availabilityZones: ZONES.slice(0, 1), addressPlan }).map((p) => p.key),
      ["addressPlan.cidr"],
    );
  });

  it("refuses arguments of the wrong shape, as config read from YAML can be", () => {
    assert.deepEqual(
      checkAwsNetworkArgs({ availabilityZones: "eu-west-1a", addressPlan: { cidr: 10 }, networkAclRuleLimit: 100, tags: ["x"], nameTagPrefix: "" }).map((p) => p.key),
      ["availabilityZones", "addressPlan.cidr", "addressPlan.subnets", "networkAclRuleLimit", "nameTagPrefix", "tags"],
    );
  });
});
