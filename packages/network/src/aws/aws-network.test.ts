import { strict as assert } from "node:assert";
import { AWS_ADDRESS_PLAN, type Tier } from "@pfv5/zones";
import type { RecordedResource } from "../../../../test/setup/mocks";
import { resourcesNamed, valueOf } from "../../../../test/setup/helpers";
import type { AwsNetwork } from "./aws-network";
import { T, ZONES, build, one, tagsOf, watchRegistrations, type Registration } from "./aws-network.test.helpers";

describe("AwsNetwork", () => {
  describe("with three zones and a NAT gateway per zone", () => {
    const name = "awsnet-3az";
    let net: AwsNetwork;
    let registrations: Registration[];
    before(async () => {
      registrations = await watchRegistrations(async () => {
        net = await build(name, { natStrategy: "perAz", blockedCidrs: ["192.0.2.0/24", "198.51.100.128/25"], adminCidrs: ["203.0.113.0/24"] }, { protect: true });
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
        // 2 blocked CIDRs in and out on every tier (16), then the zone model's entries:
        // dmz 8 in (2 of them RDP denies) + 1 admin SSH + 2 out, app and mgmt 5 in + 2 out each, data 1 in + 1 out
        [T.naclRule]: 43,
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

    it("gives every tier's ACL the blocklist denies first and then exactly the zone model's entries, RDP denies ahead of the replies", () => {
      type Entry = [string, number, boolean, string, string, string, number?, number?];
      const blocks: Entry[] = [
        ["block-in-0", 10, false, "-1", "deny", "192.0.2.0/24"],
        ["block-in-1", 11, false, "-1", "deny", "198.51.100.128/25"],
        ["block-out-0", 10, true, "-1", "deny", "192.0.2.0/24"],
        ["block-out-1", 11, true, "-1", "deny", "198.51.100.128/25"],
      ];
      const vpc: Entry[] = [
        ["vpc-in", 200, false, "-1", "allow", "10.0.0.0/16"],
        ["vpc-out", 200, true, "-1", "allow", "10.0.0.0/16"],
      ];
      const egress: Entry[] = [
        ["admin-port-tcp-3389-deny-in", 250, false, "6", "deny", "0.0.0.0/0", 3389, 3389],
        ["admin-port-udp-3389-deny-in", 260, false, "17", "deny", "0.0.0.0/0", 3389, 3389],
        ["ephemeral-tcp-in", 300, false, "6", "allow", "0.0.0.0/0", 1024, 65535],
        ["ephemeral-udp-in", 310, false, "17", "allow", "0.0.0.0/0", 1024, 65535],
        ["all-out", 400, true, "-1", "allow", "0.0.0.0/0"],
      ];
      const expected: Record<Tier, Entry[]> = {
        dmz: [
          ...blocks,
          ...vpc,
          ...egress,
          ["internet-edge-web-80-in", 400, false, "6", "allow", "0.0.0.0/0", 80, 80],
          ["internet-edge-web-443-in", 410, false, "6", "allow", "0.0.0.0/0", 443, 443],
          ["internet-vpn-wireguard-51820-in", 420, false, "17", "allow", "0.0.0.0/0", 51820, 51820],
          ["admins-bastion-ssh-22-in-0", 1000, false, "6", "allow", "203.0.113.0/24", 22, 22],
        ],
        app: [...blocks, ...vpc, ...egress],
        mgmt: [...blocks, ...vpc, ...egress],
        data: [...blocks, ...vpc],
      };
      for (const tier of ["dmz", "app", "mgmt", "data"] as const) {
        const acl = one(`${name}-${tier}-nacl`, T.nacl);
        assert.equal(acl.inputs["ingress"], undefined);
        assert.equal(acl.inputs["egress"], undefined);
        const rules = mine(T.naclRule)
          .filter((r) => r.inputs["networkAclId"] === acl.id)
          .map((r) => ({ name: r.name.slice(`${name}-${tier}-nacl-`.length), ...r.inputs }))
          .sort((a, b) => a.name.localeCompare(b.name));
        const want = expected[tier]
          .map(([key, ruleNumber, isEgress, protocol, ruleAction, cidrBlock, fromPort, toPort]) => ({
            name: key,
            networkAclId: acl.id,
            ruleNumber,
            egress: isEgress,
            protocol,
            ruleAction,
            cidrBlock,
            ...(fromPort !== undefined ? { fromPort, toPort } : {}),
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(rules, want, tier);
        const assocs = mine(T.naclAssoc).filter((a) => a.inputs["networkAclId"] === acl.id);
        assert.deepEqual(
          assocs.map((a) => a.inputs["subnetId"]).sort(),
          ["a", "b", "c"].map((l) => one(`${name}-${tier}-${l}`, T.subnet).id).sort(),
        );
      }
    });

    it("replaces network ACL entries delete-first, so no two ever hold one rule number", () => {
      const rules = registrations.filter((r) => r.type === T.naclRule);
      assert.equal(rules.length, 43);
      for (const r of rules) assert.equal(r.deleteBeforeReplace, true, r.name);
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
});
