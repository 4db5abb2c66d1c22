import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { AWS_ADDRESS_PLAN, ValidationError, type Tier } from "@pfv5/zones";
import { recorded, type RecordedResource } from "../../../../test/setup/mocks";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AwsNetwork, type AwsNetworkArgs } from "./aws-network";

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const T = {
  vpc: "aws:ec2/vpc:Vpc",
  igw: "aws:ec2/internetGateway:InternetGateway",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  subnet: "aws:ec2/subnet:Subnet",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  route: "aws:ec2/route:Route",
  nacl: "aws:ec2/networkAcl:NetworkAcl",
  naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
  naclAssoc: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  flowLog: "aws:ec2/flowLog:FlowLog",
} as const;

/** Builds a network and waits until every child is registered. */
async function build(name: string, args: Partial<AwsNetworkArgs> = {}, opts?: pulumi.ComponentResourceOptions): Promise<AwsNetwork> {
  const net = new AwsNetwork(name, { availabilityZones: ZONES, tags: { project: "pfv5" }, ...args }, opts);
  await valueOf(net.vpcId);
  await valueOf(net.flowLogId);
  await settle();
  return net;
}

function one(name: string, type: string): RecordedResource {
  const found = recorded.filter((r) => r.name === name && r.type === type);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as RecordedResource;
}

const tagsOf = (r: RecordedResource): Record<string, string> => (r.inputs["tags"] ?? {}) as Record<string, string>;

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly protect: boolean | undefined;
  readonly dependencies: readonly string[];
}

/**
 * Watches the resource monitor while `run` builds resources: the mock layer's records
 * carry no resource options, but the registration requests do (protect, dependsOn).
 */
async function watchRegistrations(run: () => Promise<unknown>): Promise<Registration[]> {
  const monitor = pulumi.runtime.getMonitor();
  if (monitor === undefined) throw new Error("no resource monitor: the shared mocks (test/setup/mocks.ts) are not loaded");
  const original = monitor.registerResource.bind(monitor);
  const forward = original as (...a: unknown[]) => ReturnType<typeof original>;
  const seen: Registration[] = [];
  monitor.registerResource = (req: Parameters<typeof original>[0], ...rest: unknown[]) => {
    seen.push({ type: req.getType(), name: req.getName(), protect: req.getProtect(), dependencies: req.getDependenciesList() });
    return forward(req, ...rest);
  };
  try {
    await run();
  } finally {
    monitor.registerResource = original;
  }
  return seen;
}

describe("AwsNetwork", () => {
  describe("with three zones and a NAT gateway per zone", () => {
    const name = "awsnet-3az";
    let net: AwsNetwork;
    let registrations: Registration[];
    before(async () => {
      registrations = await watchRegistrations(async () => {
        net = await build(name, { natStrategy: "perAz", blockedCidrs: ["192.0.2.0/24", "198.51.100.128/25"] }, { protect: true });
      });
    });
    const mine = (type?: string): RecordedResource[] => resourcesNamed(`${name}-`, type);

    it("registers exactly the expected resources per type", () => {
      const counts: Record<string, number> = {};
      for (const r of mine()) counts[r.type] = (counts[r.type] ?? 0) + 1;
      assert.deepEqual(counts, {
        [T.vpc]: 1,
        [T.igw]: 1,
        [T.defaultSg]: 1,
        [T.subnet]: 12,
        [T.eip]: 3,
        [T.nat]: 3,
        [T.routeTable]: 12,
        [T.rta]: 12,
        [T.route]: 9,
        [T.nacl]: 4,
        // per tier: 2 blocked CIDRs in and out, then allow-all in and out
        [T.naclRule]: 24,
        [T.naclAssoc]: 12,
        [T.logGroup]: 1,
        [T.role]: 1,
        [T.rolePolicy]: 1,
        [T.flowLog]: 1,
      });
    });

    it("creates the VPC with DNS support and hostnames on the plan's block", () => {
      const vpc = one(`${name}-vpc`, T.vpc);
      assert.equal(vpc.inputs["cidrBlock"], "10.0.0.0/16");
      assert.equal(vpc.inputs["enableDnsSupport"], true);
      assert.equal(vpc.inputs["enableDnsHostnames"], true);
    });

    it("puts one subnet per tier in each zone with the plan's CIDRs, public only in the DMZ", () => {
      const expected: [string, string, string, boolean, Tier][] = [];
      for (const tier of ["dmz", "app", "mgmt", "data"] as const) {
        AWS_ADDRESS_PLAN.subnets[tier].forEach((cidr, i) => {
          expected.push([`${name}-${tier}-${"abc"[i]}`, cidr, ZONES[i] as string, tier === "dmz", tier]);
        });
      }
      for (const [subnetName, cidr, az, isPublic, tier] of expected) {
        const s = one(subnetName, T.subnet);
        assert.equal(s.inputs["cidrBlock"], cidr, subnetName);
        assert.equal(s.inputs["availabilityZone"], az, subnetName);
        assert.equal(s.inputs["mapPublicIpOnLaunch"], isPublic, subnetName);
        assert.equal(s.inputs["vpcId"], one(`${name}-vpc`, T.vpc).id, subnetName);
        assert.equal(tagsOf(s)["pfv5:tier"], tier, subnetName);
      }
    });

    it("places each NAT gateway in its own zone's DMZ subnet with a VPC-domain EIP", () => {
      for (const letter of ["a", "b", "c"]) {
        const nat = one(`${name}-nat-${letter}`, T.nat);
        assert.equal(nat.inputs["subnetId"], one(`${name}-dmz-${letter}`, T.subnet).id);
        assert.equal(nat.inputs["connectivityType"], "public");
        const eip = one(`${name}-nat-${letter}-eip`, T.eip);
        assert.equal(eip.inputs["domain"], "vpc");
        assert.equal(nat.inputs["allocationId"], "eipalloc-0123");
      }
    });

    it("makes every NAT gateway depend on the internet gateway", () => {
      const nats = registrations.filter((r) => r.type === T.nat);
      assert.equal(nats.length, 3);
      for (const n of nats) {
        assert.ok(
          n.dependencies.some((urn) => urn.endsWith(`::${name}-igw`)),
          `${n.name} does not depend on the internet gateway: ${n.dependencies.join(", ")}`,
        );
      }
    });

    it("passes protect from the component to every child", () => {
      const children = registrations.filter((r) => r.name.startsWith(`${name}-`));
      assert.equal(children.length, mine().length);
      assert.deepEqual(
        children.filter((r) => r.protect !== true).map((r) => r.name),
        [],
      );
    });

    it("gives each subnet its own route table through an association", () => {
      for (const s of mine(T.subnet)) {
        const rt = one(`${s.name}-rt`, T.routeTable);
        const rta = one(`${s.name}-rta`, T.rta);
        assert.equal(rta.inputs["subnetId"], s.id);
        assert.equal(rta.inputs["routeTableId"], rt.id);
        assert.equal(tagsOf(rt)["pfv5:tier"], tagsOf(s)["pfv5:tier"]);
      }
    });

    it("keeps every route out of the route tables' inline routes", () => {
      for (const rt of mine(T.routeTable)) assert.equal(rt.inputs["routes"], undefined, rt.name);
    });

    it("routes the DMZ to the internet gateway and each private subnet to its own zone's NAT", () => {
      const igw = one(`${name}-igw`, T.igw);
      const routes = mine(T.route).map((r) => ({ name: r.name, ...r.inputs }));
      const expected: Record<string, unknown>[] = [];
      for (const letter of ["a", "b", "c"]) {
        expected.push({ name: `${name}-dmz-${letter}-default-route`, routeTableId: one(`${name}-dmz-${letter}-rt`, T.routeTable).id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
        for (const tier of ["app", "mgmt"]) {
          expected.push({
            name: `${name}-${tier}-${letter}-default-route`,
            routeTableId: one(`${name}-${tier}-${letter}-rt`, T.routeTable).id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: one(`${name}-nat-${letter}`, T.nat).id,
          });
        }
      }
      const byName = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a["name"]).localeCompare(String(b["name"]));
      assert.deepEqual(routes.sort(byName), expected.sort(byName));
    });

    it("gives the data route tables no route at all, so no 0.0.0.0/0 and nothing out of the VPC", () => {
      const dataTables = mine(T.routeTable).filter((rt) => tagsOf(rt)["pfv5:tier"] === "data");
      assert.equal(dataTables.length, 3);
      const dataIds = new Set(dataTables.map((rt) => rt.id));
      assert.deepEqual(mine(T.route).filter((r) => dataIds.has(r.inputs["routeTableId"] as string)), []);
      for (const rt of dataTables) assert.equal(tagsOf(rt)["pfv5:egress"], "none");
    });

    it("adopts the default security group without any rules", () => {
      const sg = one(`${name}-default-sg`, T.defaultSg);
      assert.equal(sg.inputs["vpcId"], one(`${name}-vpc`, T.vpc).id);
      assert.ok(!("ingress" in sg.inputs), "the default group has an ingress input");
      assert.ok(!("egress" in sg.inputs), "the default group has an egress input");
    });

    it("sends all of the VPC's traffic records to the flow log group through the flow-log role", () => {
      const flowLog = one(`${name}-flow-log`, T.flowLog);
      const group = one(`${name}-flow-logs`, T.logGroup);
      const role = one(`${name}-flow-logs-role`, T.role);
      assert.equal(flowLog.inputs["vpcId"], one(`${name}-vpc`, T.vpc).id);
      assert.equal(flowLog.inputs["trafficType"], "ALL");
      assert.equal(flowLog.inputs["logDestinationType"], "cloud-watch-logs");
      assert.equal(flowLog.inputs["logDestination"], `arn:aws:logs:eu-west-1:123456789012:log-group:${name}-flow-logs`);
      assert.equal(flowLog.inputs["iamRoleArn"], `arn:aws:iam::123456789012:role/${name}-flow-logs-role`);
      assert.equal(group.inputs["retentionInDays"], 365);
      assert.equal(role.inputs["inlinePolicies"], undefined);
      assert.equal(role.inputs["managedPolicyArns"], undefined);
      const flowLogReg = registrations.find((r) => r.type === T.flowLog);
      assert.ok(flowLogReg?.dependencies.some((u) => u.endsWith(`::${name}-flow-logs-policy`)), "the flow log is not ordered after its policy");
    });

    it("lets only the flow-logs service of the VPC's account assume the role, and write only its log group", () => {
      const trust = JSON.parse(one(`${name}-flow-logs-role`, T.role).inputs["assumeRolePolicy"] as string) as unknown;
      assert.deepEqual(trust, {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "FlowLogsServiceForThisAccount",
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": "123456789012" },
              ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
            },
          },
        ],
      });
      const policy = one(`${name}-flow-logs-policy`, T.rolePolicy);
      assert.equal(policy.inputs["role"], one(`${name}-flow-logs-role`, T.role).id);
      const arn = `arn:aws:logs:eu-west-1:123456789012:log-group:${name}-flow-logs`;
      assert.deepEqual(JSON.parse(policy.inputs["policy"] as string), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [arn, `${arn}:*`],
          },
        ],
      });
    });

    it("tags DMZ subnets for internet-facing and app subnets for internal load balancers only", () => {
      for (const s of mine(T.subnet)) {
        const tier = tagsOf(s)["pfv5:tier"];
        assert.equal(tagsOf(s)["kubernetes.io/role/elb"], tier === "dmz" ? "1" : undefined, s.name);
        assert.equal(tagsOf(s)["kubernetes.io/role/internal-elb"], tier === "app" ? "1" : undefined, s.name);
      }
    });

    it("merges the given tags onto every resource that takes tags, with a Name tag of its own", () => {
      const untagged = new Set<string>([T.rta, T.route, T.naclRule, T.naclAssoc, T.rolePolicy]);
      for (const r of mine()) {
        if (untagged.has(r.type)) {
          assert.equal(r.inputs["tags"], undefined, r.name);
          continue;
        }
        assert.equal(tagsOf(r)["project"], "pfv5", r.name);
        assert.equal(tagsOf(r)["Name"], r.name, r.name);
      }
    });

    it("denies each blocked CIDR in and out on every tier's ACL ahead of the allow-all", () => {
      for (const tier of ["dmz", "app", "mgmt", "data"]) {
        const acl = one(`${name}-${tier}-nacl`, T.nacl);
        assert.equal(acl.inputs["ingress"], undefined);
        assert.equal(acl.inputs["egress"], undefined);
        const rules = mine(T.naclRule)
          .filter((r) => r.inputs["networkAclId"] === acl.id)
          .map((r) => ({ name: r.name.slice(`${name}-${tier}-nacl-`.length), ...r.inputs }))
          .sort((a, b) => a.name.localeCompare(b.name));
        const rule = (key: string, ruleNumber: number, egress: boolean, ruleAction: string, cidrBlock: string): Record<string, unknown> => ({
          name: key,
          networkAclId: acl.id,
          ruleNumber,
          egress,
          protocol: "-1",
          ruleAction,
          cidrBlock,
        });
        assert.deepEqual(rules, [
          rule("allow-all-in", 100, false, "allow", "0.0.0.0/0"),
          rule("allow-all-out", 100, true, "allow", "0.0.0.0/0"),
          rule("block-in-0", 10, false, "deny", "192.0.2.0/24"),
          rule("block-in-1", 11, false, "deny", "198.51.100.128/25"),
          rule("block-out-0", 10, true, "deny", "192.0.2.0/24"),
          rule("block-out-1", 11, true, "deny", "198.51.100.128/25"),
        ]);
        const assocs = mine(T.naclAssoc).filter((a) => a.inputs["networkAclId"] === acl.id);
        assert.deepEqual(
          assocs.map((a) => a.inputs["subnetId"]).sort(),
          ["a", "b", "c"].map((l) => one(`${name}-${tier}-${l}`, T.subnet).id).sort(),
        );
      }
    });

    it("exposes ids and plain zone and CIDR values per tier in zone order", async () => {
      assert.equal(net.vpcCidr, "10.0.0.0/16");
      assert.deepEqual(net.availabilityZones, ZONES);
      assert.deepEqual(
        net.subnets.app.map((s) => [s.az, s.cidr]),
        [
          ["eu-west-1a", "10.0.10.0/24"],
          ["eu-west-1b", "10.0.11.0/24"],
          ["eu-west-1c", "10.0.12.0/24"],
        ],
      );
      assert.deepEqual(await Promise.all(net.subnetIds.data.map(valueOf)), ["a", "b", "c"].map((l) => one(`${name}-data-${l}`, T.subnet).id));
      assert.deepEqual(await Promise.all(net.routeTableIds.mgmt.map(valueOf)), ["a", "b", "c"].map((l) => one(`${name}-mgmt-${l}-rt`, T.routeTable).id));
      assert.deepEqual(await Promise.all(net.natGatewayIds.map(valueOf)), ["a", "b", "c"].map((l) => one(`${name}-nat-${l}`, T.nat).id));
      assert.deepEqual(await Promise.all(net.natPublicIps.map(valueOf)), ["198.51.100.10", "198.51.100.10", "198.51.100.10"]);
      assert.equal(await valueOf(net.internetGatewayId), one(`${name}-igw`, T.igw).id);
      assert.equal(await valueOf(net.defaultSecurityGroupId), one(`${name}-default-sg`, T.defaultSg).id);
      assert.equal(await valueOf(net.networkAclIds.dmz), one(`${name}-dmz-nacl`, T.nacl).id);
      assert.equal(await valueOf(net.flowLogId), one(`${name}-flow-log`, T.flowLog).id);
      assert.deepEqual(net.blockedCidrs, ["192.0.2.0/24", "198.51.100.128/25"]);
    });
  });

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

    it("refuses a blocklist that does not fit the network ACL rule quota", async () => {
      const blocked = Array.from({ length: 20 }, (_, i) => `192.0.${i}.0/24`);
      await rejects({ blockedCidrs: blocked }, ["blockedCidrs"]);
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
