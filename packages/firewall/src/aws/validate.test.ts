import { strict as assert } from "node:assert";
import { FLOWS, type Problem } from "@pfv5/zones";
import { checkAwsFlow, checkAwsZoneFirewallArgs } from "./validate";

const good = { id: "app-cache", from: "app", to: "data", protocol: "tcp", ports: [{ from: 11211, to: 11211 }], reason: "memcached" };
const base = { vpcCidr: "10.0.0.0/16", adminCidrs: ["203.0.113.0/24"] };

describe("checkAwsFlow", () => {
  it("accepts every flow of the zone model", () => {
    FLOWS.forEach((f, i) => assert.deepEqual(checkAwsFlow(`flows[${i}]`, f), []));
  });

  const cases: [string, Record<string, unknown>, Problem[]][] = [
    [
      "protocol all with ports",
      { ...good, protocol: "all", ports: [{ from: 22, to: 22 }] },
      [
        {
          key: "extraFlows[0].ports",
          value: [{ from: 22, to: 22 }],
          message: 'flow "app-cache": protocol "all" covers every port, and AWS rejects protocol -1 with ports at apply: give ports [] or pick tcp or udp',
        },
      ],
    ],
    [
      "a from-port above the to-port",
      { ...good, ports: [{ from: 9000, to: 8000 }] },
      [{ key: "extraFlows[0].ports[0]", value: { from: 9000, to: 8000 }, message: 'flow "app-cache": from-port 9000 is above to-port 8000: swap them' }],
    ],
    [
      "a port above 65535",
      { ...good, ports: [{ from: 70000, to: 70000 }] },
      [{ key: "extraFlows[0].ports[0]", value: { from: 70000, to: 70000 }, message: 'flow "app-cache": ports are whole numbers from 0 to 65535' }],
    ],
    [
      "a negative port",
      { ...good, ports: [{ from: -1, to: 80 }] },
      [{ key: "extraFlows[0].ports[0]", value: { from: -1, to: 80 }, message: 'flow "app-cache": ports are whole numbers from 0 to 65535' }],
    ],
    [
      "internet ingress to the app tier",
      { ...good, from: "internet", to: "app", ports: [{ from: 443, to: 443 }] },
      [
        {
          key: "extraFlows[0].to",
          value: "app",
          message: 'flow "app-cache": internet ingress may reach only the DMZ roles (edge, bastion, vpn-server): put the service behind the edge load balancer',
        },
      ],
    ],
    [
      "admin-CIDR ingress to the data tier",
      { ...good, from: "admins", to: "data", ports: [{ from: 22, to: 22 }] },
      [
        {
          key: "extraFlows[0].to",
          value: "data",
          message: 'flow "app-cache": internet ingress may reach only the DMZ roles (edge, bastion, vpn-server): put the service behind the edge load balancer',
        },
      ],
    ],
    [
      "SSH from the whole internet, even to the bastion",
      { ...good, from: "internet", to: "bastion", ports: [{ from: 20, to: 25 }] },
      [
        {
          key: "extraFlows[0].ports",
          value: [{ from: 20, to: 25 }],
          message: 'flow "app-cache": opens SSH or RDP to the whole internet: use from "admins" (the authorized CIDRs) or the VPN',
        },
      ],
    ],
    [
      "data egress to the internet",
      { ...good, from: "data", to: "internet", protocol: "all", ports: [] },
      [
        {
          key: "extraFlows[0].to",
          value: "internet",
          message: 'flow "app-cache": data egress must stay inside the VPC: the data tier has no route out, give it flows to group roles only',
        },
      ],
    ],
    [
      "two address ranges and no group",
      { ...good, from: "vpn-clients", to: "admins" },
      [
        {
          key: "extraFlows[0].to",
          value: "admins",
          message: 'flow "app-cache": vpn-clients and admins are both address ranges, so no security group carries the rule: one end must be a group role',
        },
      ],
    ],
    [
      "an unknown role and protocol",
      { ...good, to: "database", protocol: "sctp" },
      [
        { key: "extraFlows[0].to", value: "database", message: 'flow "app-cache": not a role: use one of internet, admins, edge, bastion, vpn-server, app, data, mgmt, vpn-clients' },
        { key: "extraFlows[0].protocol", value: "sctp", message: 'flow "app-cache": expected one of tcp, udp, icmp, all' },
      ],
    ],
    [
      "a reason AWS would not take as a description",
      { ...good, reason: "Bob's cache" },
      [
        {
          key: "extraFlows[0].reason",
          value: "Bob's cache",
          message: 'flow "app-cache": the description ("<id>: <reason>") must be at most 255 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
        },
      ],
    ],
    [
      "tcp without ports, and an id unfit for a name",
      { ...good, id: "App Cache", ports: [] },
      [
        { key: "extraFlows[0].id", value: "App Cache", message: 'flow "App Cache": the id names its rules, so it must be 1 to 64 lower-case letters, digits and inner hyphens, e.g. app-cache-redis' },
        { key: "extraFlows[0].ports", value: [], message: 'flow "App Cache": tcp needs at least one port range' },
      ],
    ],
  ];
  for (const [what, flow, expected] of cases) {
    it(`refuses ${what}, naming the flow`, () => assert.deepEqual(checkAwsFlow("extraFlows[0]", flow), expected));
  }

  it("accepts protocol all with no ports or with exactly 0-65535", () => {
    assert.deepEqual(checkAwsFlow("f", { ...good, protocol: "all", ports: [] }), []);
    assert.deepEqual(checkAwsFlow("f", { ...good, protocol: "all", ports: [{ from: 0, to: 65535 }] }), []);
  });
});

describe("checkAwsZoneFirewallArgs", () => {
  it("accepts the zone model's flows with admin CIDRs", () => {
    assert.deepEqual(checkAwsZoneFirewallArgs(base), []);
  });

  it("names bad CIDRs: the VPC, an admin block, the whole internet as admins, and the VPN range", () => {
    assert.deepEqual(
      checkAwsZoneFirewallArgs({ vpcCidr: "10.0.0.0/33", adminCidrs: ["nope", "0.0.0.0/0"], vpnCidr: "10.100.0.1/24" }).map((p) => p.key),
      ["vpcCidr", "adminCidrs[0]", "adminCidrs[1]", "vpnCidr"],
    );
  });

  it("refuses a VPN range inside the VPC", () => {
    assert.deepEqual(checkAwsZoneFirewallArgs({ ...base, vpnCidr: "10.0.200.0/24" }), [
      { key: "vpnCidr", value: "10.0.200.0/24", message: "overlaps the VPC block 10.0.0.0/16: VPN clients need a range of their own, e.g. 10.100.0.0/24" },
    ]);
  });

  it("wants admin CIDRs while bastion SSH is on, and none once it is off", () => {
    assert.deepEqual(checkAwsZoneFirewallArgs({ ...base, adminCidrs: [] }).map((p) => p.key), ["adminCidrs"]);
    assert.deepEqual(checkAwsZoneFirewallArgs({ ...base, adminCidrs: [], enableBastionSsh: false }), []);
  });

  it("refuses a flow id used twice across flows and extra flows", () => {
    assert.deepEqual(checkAwsZoneFirewallArgs({ ...base, extraFlows: [{ ...good, id: "app-data-db" }] }), [
      { key: "extraFlows[0].id", value: "app-data-db", message: 'flow "app-data-db": flows[5] has the same id; ids name the rules, so each must be unique' },
    ]);
  });

  it("refuses the tag keys the firewall sets itself", () => {
    assert.deepEqual(checkAwsZoneFirewallArgs({ ...base, tags: { "pfv5:role": "x", team: "net" } }).map((p) => p.key), ["tags.pfv5:role"]);
  });
});
