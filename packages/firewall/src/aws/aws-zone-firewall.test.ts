import { strict as assert } from "node:assert";
import { ValidationError, type Flow } from "@pfv5/zones";
import { recorded, type RecordedResource } from "../../../../test/setup/mocks";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AwsZoneFirewall, type AwsZoneFirewallArgs } from "./aws-zone-firewall";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const OUT = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ADMINS = ["203.0.113.0/24", "198.51.100.0/28"];

async function build(name: string, args: Partial<AwsZoneFirewallArgs> = {}): Promise<AwsZoneFirewall> {
  const fw = new AwsZoneFirewall(name, { vpcId: "vpc-0123", vpcCidr: "10.0.0.0/16", adminCidrs: ADMINS, tags: { project: "pfv5" }, ...args });
  await Promise.all(Object.values(fw.ruleIds).map(valueOf));
  await settle();
  return fw;
}

/** A rule's peer and ports as one comparable line. */
function describeRule(r: RecordedResource, groupName: Map<string, string>): string {
  const i = r.inputs;
  const peer =
    typeof i["referencedSecurityGroupId"] === "string"
      ? `sg:${groupName.get(i["referencedSecurityGroupId"]) ?? "?"}`
      : String(i["cidrIpv4"] ?? i["cidrIpv6"]);
  const ports = "fromPort" in i ? `${String(i["fromPort"])}-${String(i["toPort"])}` : "none";
  return `${String(i["ipProtocol"])} ${ports} ${peer}`;
}

describe("AwsZoneFirewall", () => {
  describe("from the zone model's flows", () => {
    const name = "awsfw-main";
    let fw: AwsZoneFirewall;
    before(async () => {
      fw = await build(name);
    });
    const groups = (): RecordedResource[] => resourcesNamed(`${name}-`, SG);
    const groupName = (): Map<string, string> => new Map(groups().map((g) => [g.id, g.name.slice(name.length + 1)]));
    const rulesOf = (role: string, type: string): string[] => {
      const sg = groups().find((g) => g.name === `${name}-${role}`);
      assert.ok(sg !== undefined, `no group for ${role}`);
      return resourcesNamed(`${name}-`, type)
        .filter((r) => r.inputs["securityGroupId"] === sg.id)
        .map((r) => describeRule(r, groupName()))
        .sort();
    };

    it("creates one group per role, tagged with its role and zone, in the VPC", () => {
      assert.deepEqual(
        groups().map((g) => [g.name, g.inputs["vpcId"], (g.inputs["tags"] as Record<string, string>)["pfv5:role"], (g.inputs["tags"] as Record<string, string>)["pfv5:zone"]]),
        [
          [`${name}-edge`, "vpc-0123", "edge", "dmz"],
          [`${name}-bastion`, "vpc-0123", "bastion", "dmz"],
          [`${name}-vpn-server`, "vpc-0123", "vpn-server", "dmz"],
          [`${name}-app`, "vpc-0123", "app", "app"],
          [`${name}-mgmt`, "vpc-0123", "mgmt", "mgmt"],
          [`${name}-data`, "vpc-0123", "data", "data"],
        ],
      );
    });

    it("gives no security group inline rules, not even empty lists, and revokes rules on delete", () => {
      for (const g of groups()) {
        assert.ok(!("ingress" in g.inputs), `${g.name} has an ingress input`);
        assert.ok(!("egress" in g.inputs), `${g.name} has an egress input`);
        assert.equal(g.inputs["revokeRulesOnDelete"], true, g.name);
      }
    });

    it("creates 21 ingress and 20 egress rule resources", () => {
      assert.equal(resourcesNamed(`${name}-`, IN).length, 21);
      assert.equal(resourcesNamed(`${name}-`, OUT).length, 20);
      assert.equal(Object.keys(fw.ruleIds).length, 41);
      assert.equal(fw.rules.length, 41);
    });

    it("lets into data exactly app on 5432, 6379 and 27017, mgmt on the exporters, and SSH from the bastion and the (masquerading) VPN server", () => {
      assert.deepEqual(rulesOf("data", IN), [
        "tcp 22-22 sg:bastion",
        "tcp 22-22 sg:vpn-server",
        "tcp 27017-27017 sg:app",
        "tcp 5432-5432 sg:app",
        "tcp 6379-6379 sg:app",
        "tcp 9121-9121 sg:mgmt",
        "tcp 9187-9187 sg:mgmt",
        "tcp 9216-9216 sg:mgmt",
      ]);
    });

    it("gives data no egress rule at all", () => {
      assert.deepEqual(rulesOf("data", OUT), []);
    });

    it("lets app out to data, to its own agents and to the internet on every protocol without ports", () => {
      assert.deepEqual(rulesOf("app", OUT), [
        "-1 none 0.0.0.0/0",
        "tcp 27017-27017 sg:data",
        "tcp 5432-5432 sg:data",
        "tcp 6379-6379 sg:data",
        "tcp 8000-9000 sg:app",
      ]);
    });

    it("opens the internet only to the edge on 80 and 443 and the VPN endpoint on udp 51820", () => {
      const open = [...resourcesNamed(`${name}-`, IN)]
        .filter((r) => r.inputs["cidrIpv4"] === "0.0.0.0/0")
        .map((r) => `${groupName().get(r.inputs["securityGroupId"] as string) ?? "?"} ${describeRule(r, groupName())}`)
        .sort();
      assert.deepEqual(open, ["edge tcp 443-443 0.0.0.0/0", "edge tcp 80-80 0.0.0.0/0", "vpn-server udp 51820-51820 0.0.0.0/0"]);
    });

    it("lets each admin CIDR reach the bastion on SSH, one rule each", () => {
      assert.deepEqual(rulesOf("bastion", IN), ["tcp 22-22 198.51.100.0/28", "tcp 22-22 203.0.113.0/24"]);
    });

    it("lets the bastion out to SSH in the VPC's groups and to HTTPS for packages and AWS endpoints", () => {
      assert.deepEqual(rulesOf("bastion", OUT), ["tcp 22-22 sg:app", "tcp 22-22 sg:data", "tcp 22-22 sg:mgmt", "tcp 443-443 0.0.0.0/0"]);
    });

    it("describes every rule with its flow and reason and names it after the flow", () => {
      for (const r of [...resourcesNamed(`${name}-`, IN), ...resourcesNamed(`${name}-`, OUT)]) {
        const flowId = (r.inputs["tags"] as Record<string, string>)["pfv5:flow"] ?? "";
        assert.ok(r.name.startsWith(`${name}-${flowId}-`), r.name);
        assert.match(String(r.inputs["description"]), new RegExp(`^${flowId}: .+`), r.name);
        assert.equal((r.inputs["tags"] as Record<string, string>)["project"], "pfv5", r.name);
      }
    });

    it("exposes the group id of each role and the id of each rule", async () => {
      const ids = groupName();
      for (const [role, id] of Object.entries(fw.securityGroupIds)) assert.equal(ids.get(await valueOf(id)), role);
      assert.equal(await valueOf(fw.ruleIds["app-data-db-in-5432"] ?? ""), resourcesNamed(`${name}-app-data-db-in-5432`, IN)[0]?.id);
    });
  });

  it("drops the admin SSH rules when bastion SSH is off, and accepts no admin CIDRs then", async () => {
    const name = "awsfw-nossh";
    await build(name, { enableBastionSsh: false, adminCidrs: [] });
    assert.deepEqual(resourcesNamed(`${name}-admins-`).map((r) => r.name), []);
    assert.equal(resourcesNamed(`${name}-`, IN).length, 19);
  });

  it("writes an IPv6 admin block as cidrIpv6", async () => {
    const name = "awsfw-v6";
    await build(name, { adminCidrs: ["2001:db8:1::/48"] });
    const rules = resourcesNamed(`${name}-admins-bastion-ssh-`, IN);
    assert.deepEqual(
      rules.map((r) => [r.inputs["cidrIpv6"], r.inputs["cidrIpv4"]]),
      [["2001:db8:1::/48", undefined]],
    );
  });

  it("adds extra flows as rule pairs between the groups", async () => {
    const name = "awsfw-extra";
    const extra: Flow = { id: "app-mgmt-logs", from: "app", to: "mgmt", protocol: "tcp", ports: [{ from: 3100, to: 3100 }], reason: "log shipping to Loki" };
    const fw = await build(name, { extraFlows: [extra] });
    const [ingress] = resourcesNamed(`${name}-app-mgmt-logs-in-3100`, IN);
    const [egress] = resourcesNamed(`${name}-app-mgmt-logs-out-3100`, OUT);
    assert.equal(ingress?.inputs["securityGroupId"], await valueOf(fw.securityGroupIds.mgmt));
    assert.equal(ingress?.inputs["referencedSecurityGroupId"], await valueOf(fw.securityGroupIds.app));
    assert.equal(egress?.inputs["securityGroupId"], await valueOf(fw.securityGroupIds.app));
    assert.equal(egress?.inputs["referencedSecurityGroupId"], await valueOf(fw.securityGroupIds.mgmt));
    assert.equal(ingress?.inputs["description"], "app-mgmt-logs: log shipping to Loki");
  });

  describe("bad rule specs", () => {
    const bad: [string, Partial<Flow> & Record<string, unknown>, string][] = [
      ["protocol all with ports", { protocol: "all", ports: [{ from: 22, to: 22 }] }, 'extraFlows[0].ports = [{"from":22,"to":22}]: flow "bad-rule": protocol "all" covers every port'],
      ["from-port above to-port", { ports: [{ from: 444, to: 443 }] }, 'extraFlows[0].ports[0] = {"from":444,"to":443}: flow "bad-rule": from-port 444 is above to-port 443'],
      ["a port outside 0-65535", { ports: [{ from: 443, to: 65536 }] }, 'extraFlows[0].ports[0] = {"from":443,"to":65536}: flow "bad-rule": ports are whole numbers from 0 to 65535'],
      ["internet ingress beyond the DMZ", { from: "internet", to: "mgmt" }, 'extraFlows[0].to = "mgmt": flow "bad-rule": internet ingress may reach only the DMZ roles'],
    ];
    for (const [what, change, message] of bad) {
      it(`refuses ${what} before registering anything`, async () => {
        const before = recorded.length;
        const flow = { id: "bad-rule", from: "app", to: "data", protocol: "tcp", ports: [{ from: 443, to: 443 }], reason: "test", ...change } as Flow;
        assert.throws(
          () => new AwsZoneFirewall("awsfw-bad", { vpcId: "vpc-0123", vpcCidr: "10.0.0.0/16", adminCidrs: ADMINS, extraFlows: [flow] }),
          (e: unknown) => e instanceof ValidationError && e.message.includes(message),
        );
        await settle();
        assert.equal(recorded.length, before, "something was registered");
      });
    }

    it("refuses a bad admin CIDR naming the argument", async () => {
      const before = recorded.length;
      assert.throws(
        () => new AwsZoneFirewall("awsfw-bad", { vpcId: "vpc-0123", vpcCidr: "10.0.0.0/16", adminCidrs: ["203.0.113.300/24"] }),
        (e: unknown) => e instanceof ValidationError && e.problems.length === 1 && e.problems[0]?.key === "adminCidrs[0]",
      );
      await settle();
      assert.equal(recorded.length, before);
    });
  });
});
