import { strict as assert } from "node:assert";
import { AWS_ADDRESS_PLAN, ValidationError } from "@pfv5/zones";
import { recorded } from "../../../../test/setup/mocks";
import { resourcesNamed, settle } from "../../../../test/setup/helpers";
import { AwsNetwork, type AwsNetworkArgs } from "./aws-network";
import { checkAwsNetworkArgs } from "./validate";
import { T, ZONES, build, one, tagsOf } from "./aws-network.test.helpers";

describe("AwsNetwork variants", () => {
  describe("with a single NAT gateway", () => {
    const name = "awsnet-single";
    before(async () => {
      await build(name, { natStrategy: "single", availabilityZones: ZONES.slice(0, 2) });
    });

    it("creates one NAT gateway in the first zone's DMZ subnet and routes every private table to it", () => {
      const nats = resourcesNamed(`${name}-`, T.nat);
      assert.deepEqual(nats.map((n) => n.name), [`${name}-nat-a`]);
      assert.equal(nats[0]?.inputs["subnetId"], one(`${name}-dmz-a`, T.subnet).id);
      assert.equal(resourcesNamed(`${name}-`, T.eip).length, 1);
      const natRoutes = resourcesNamed(`${name}-`, T.route).filter((r) => r.inputs["natGatewayId"] !== undefined);
      assert.deepEqual(natRoutes.map((r) => r.name).sort(), [
        `${name}-app-a-default-route`,
        `${name}-app-b-default-route`,
        `${name}-mgmt-a-default-route`,
        `${name}-mgmt-b-default-route`,
      ]);
      for (const r of natRoutes) assert.equal(r.inputs["natGatewayId"], nats[0]?.id);
    });
  });

  describe("zone counts", () => {
    for (const count of [1, 2, 3]) {
      it(`lays out ${count} zone(s) as ${count * 4} subnets with the first ${count} blocks of each tier`, async () => {
        const name = `awsnet-count${count}`;
        const net = await build(name, { azCount: count });
        const subnets = resourcesNamed(`${name}-`, T.subnet);
        assert.equal(subnets.length, count * 4);
        for (const tier of ["dmz", "app", "mgmt", "data"] as const) {
          assert.deepEqual(
            subnets.filter((s) => tagsOf(s)["pfv5:tier"] === tier).map((s) => [s.inputs["availabilityZone"], s.inputs["cidrBlock"]]),
            AWS_ADDRESS_PLAN.subnets[tier].slice(0, count).map((cidr, i) => [ZONES[i], cidr]),
          );
          assert.equal(net.subnetIds[tier].length, count);
        }
        assert.equal(resourcesNamed(`${name}-`, T.nat).length, count);
      });
    }
  });

  describe("bad arguments", () => {
    async function rejects(args: Partial<AwsNetworkArgs>, expected: string[]): Promise<void> {
      const before = recorded.length;
      let error: unknown;
      try {
        new AwsNetwork("awsnet-bad", { availabilityZones: ZONES, ...args });
      } catch (e) {
        error = e;
      }
      await settle();
      assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
      assert.deepEqual(
        error.problems.map((p) => p.key),
        expected,
        error.message,
      );
      assert.equal(recorded.length, before, "something was registered");
    }

    it("refuses more zones than the plan has subnets for", async () => {
      await rejects({ availabilityZones: [...ZONES, "eu-west-1d"] }, [
        "addressPlan.subnets.dmz",
        "addressPlan.subnets.app",
        "addressPlan.subnets.mgmt",
        "addressPlan.subnets.data",
      ]);
    });

    it("refuses an empty zone list, a repeated zone and an azCount above the list", async () => {
      await rejects({ availabilityZones: [] }, ["availabilityZones"]);
      await rejects({ availabilityZones: ["eu-west-1a", "eu-west-1a"] }, ["availabilityZones[1]"]);
      await rejects({ availabilityZones: ["eu-west-1a"], azCount: 2 }, ["azCount"]);
    });

    it("names each bad blocklist entry: not a CIDR, overlapping the VPC, covering it, an admin CIDR, IPv6, repeated", async () => {
      await rejects(
        {
          adminCidrs: ["203.0.113.0/24"],
          blockedCidrs: ["banana", "10.0.20.0/24", "0.0.0.0/0", "203.0.113.128/25", "2001:db8::/32", "192.0.2.0/24", "192.0.2.0/24"],
        },
        ["blockedCidrs[0]", "blockedCidrs[1]", "blockedCidrs[2]", "blockedCidrs[2]", "blockedCidrs[3]", "blockedCidrs[4]", "blockedCidrs[6]"],
      );
    });

    it("refuses a blocklist that, with the DMZ's own entries and admin SSH entries, does not fit the network ACL rule quota", async () => {
      const blocked = Array.from({ length: 11 }, (_, i) => `192.0.${i}.0/24`);
      await rejects({ blockedCidrs: blocked, adminCidrs: ["203.0.113.0/24", "198.51.100.0/28"] }, ["blockedCidrs"]);
      await rejects({ blockedCidrs: [...blocked, "192.0.11.0/24", "192.0.12.0/24"] }, ["blockedCidrs"]);
    });

    it("accepts the most blocks that fit: 10 beside two admin CIDRs, 12 without, 30 beside two with the quota raised to 40", async () => {
      const blocked = (n: number): string[] => Array.from({ length: n }, (_, i) => `192.0.${i}.0/24`);
      const adminCidrs = ["203.0.113.0/24", "198.51.100.0/28"];
      assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: ZONES, blockedCidrs: blocked(10), adminCidrs }), []);
      assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: ZONES, blockedCidrs: blocked(12) }), []);
      assert.deepEqual(checkAwsNetworkArgs({ availabilityZones: ZONES, blockedCidrs: blocked(30), adminCidrs, networkAclRuleLimit: 40 }), []);
      await rejects({ blockedCidrs: blocked(31), adminCidrs, networkAclRuleLimit: 40 }, ["blockedCidrs"]);
    });

    it("counts invalid blocklist entries against the quota too, reporting each once", async () => {
      const blocked: unknown[] = [...Array.from({ length: 12 }, (_, i) => `192.0.${i}.0/24`), "banana"];
      await rejects({ blockedCidrs: blocked as string[] }, ["blockedCidrs[12]", "blockedCidrs"]);
    });

    it("refuses an unknown NAT strategy, a retention CloudWatch does not offer and reserved tag keys, all at once", async () => {
      await rejects(
        { natStrategy: "perZone" as never, flowLogRetentionDays: 10, tags: { Name: "x", "pfv5:tier": "app", "aws:owner": "me" } },
        ["natStrategy", "flowLogRetentionDays", "tags.Name", "tags.pfv5:tier", "tags.aws:owner"],
      );
    });

    it("says what is wrong and how to fix it, quoting the value", () => {
      assert.throws(
        () => new AwsNetwork("awsnet-bad-msg", { availabilityZones: ZONES, adminCidrs: ["203.0.113.0/24"], blockedCidrs: ["203.0.113.7/32"] }),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message ===
            'AwsNetwork "awsnet-bad-msg": 1 problem\n' +
              '  - blockedCidrs[0] = "203.0.113.7/32": overlaps the authorized admin CIDR 203.0.113.0/24 (adminCidrs): it would lock the administrators out; remove that CIDR from adminCidrs first if this is intended',
      );
    });
  });
});
