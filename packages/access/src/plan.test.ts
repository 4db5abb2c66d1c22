import { strict as assert } from "node:assert";
import { ed25519PublicKey, wireGuardKeyPair } from "./fixtures.test";
import { checkAccessHostArgs, planAccessHost, type AccessHostArgs } from "./plan";
import { userDataSize } from "./user-data";

const alice = { name: "alice", publicKeys: [ed25519PublicKey()] };
const peer = { name: "laptop", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.10" };
const good: AccessHostArgs = { vpcCidr: "10.0.0.0/16", sshAllowedCidrs: ["203.0.113.0/24"], users: [alice] };

describe("access host arguments", () => {
  it("accepts an SSH bastion, a VPN server without SSH, and a host with neither", () => {
    assert.deepEqual(checkAccessHostArgs(good), []);
    assert.deepEqual(checkAccessHostArgs({ vpcCidr: "10.0.0.0/16", ssh: false, vpn: { peers: [peer] } }), []);
    assert.deepEqual(checkAccessHostArgs({ vpcCidr: "10.0.0.0/16", ssh: false }), []);
  });

  it("lists every problem in one pass, each named as the user writes it", () => {
    const problems = checkAccessHostArgs({
      vpcCidr: "10.0.0.0/16",
      sshAllowedCidrs: ["0.0.0.0/0", "203.0.113.7/24"],
      users: [{ name: "root", publicKeys: [] }],
      zoneCidrs: { app: ["10.1.10.0/24"] },
      vpn: { peers: [peer, { ...peer, name: "dup" }], vpnCidr: "10.0.200.0/24", dns: ["dns.example"], allowedIps: ["0.0.0.0/0"] },
      sshConnectionsPerMinute: 0,
    });
    assert.deepEqual(
      problems.map((p) => p.key),
      [
        "sshAllowedCidrs[0]",
        "sshAllowedCidrs[1]",
        "users[0].name",
        "users[0].publicKeys",
        "zoneCidrs.app[0]",
        "vpn.peers[0].address",
        "vpn.peers[1].publicKey",
        "vpn.peers[1].address",
        "vpn.vpnCidr",
        "vpn.dns[0]",
        "vpn.allowedIps",
        "sshConnectionsPerMinute",
      ],
    );
  });

  it("refuses SSH with nobody allowed to reach it or nobody to log in", () => {
    const problems = checkAccessHostArgs({ vpcCidr: "10.0.0.0/16", sshAllowedCidrs: [] });
    assert.deepEqual(problems.map((p) => p.key), ["sshAllowedCidrs", "users"]);
    assert.match(problems[0]?.message ?? "", /set ssh to false and use Session Manager/);
  });

  it("names a pasted private key without echoing it", () => {
    const problems = checkAccessHostArgs({ ...good, users: [{ name: "alice", publicKeys: ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"] }] });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.value, "<private key, not shown>");
  });
});

describe("access host plan", () => {
  it("gives a bastion the bastion role and the users' names as AllowUsers", () => {
    const plan = planAccessHost(good);
    assert.deepEqual(plan.roles, ["bastion"]);
    assert.deepEqual(plan.sshd.allowUsers, ["alice"]);
    assert.equal(plan.vpn, undefined);
  });

  it("defaults the VPN to the zone model: 10.100.0.1/24, port 51820, the VPC resolver, the VPC block", () => {
    const plan = planAccessHost({ ...good, vpn: { peers: [{ ...peer, address: "10.100.0.10/32" }] } });
    assert.deepEqual(plan.roles, ["bastion", "vpn-server"]);
    assert.deepEqual(plan.vpn, {
      interfaceName: "wg0",
      server: { vpnCidr: "10.100.0.0/24", serverAddress: "10.100.0.1", listenPort: 51820, peers: [{ ...peer, address: "10.100.0.10" }] },
      allowedIps: ["10.0.0.0/16"],
      dns: ["10.0.0.2"],
      persistentKeepalive: 25,
    });
  });

  it("renders no SSH port for a VPN server with SSH off, and forwards to the given tiers", () => {
    const plan = planAccessHost({ vpcCidr: "10.0.0.0/16", ssh: false, zoneCidrs: { app: ["10.0.10.0/24"], data: ["10.0.20.0/24"], mgmt: ["10.0.30.0/24"] }, vpn: { peers: [peer] } });
    assert.deepEqual(plan.roles, ["vpn-server"]);
    assert.deepEqual([...plan.nftables.matchAll(/^\s+(.*dport 22.*)$/gm)].map((m) => m[1]), [
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.10.0/24 } tcp dport 22 accept',
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.20.0/24 } tcp dport 22 accept',
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.30.0/24 } tcp dport 22 accept',
    ]);
  });

  it("measures the user data before any key exists, well under EC2's limit for a typical host", () => {
    const plan = planAccessHost({ ...good, vpn: { peers: [peer] } });
    const size = userDataSize(plan, "al2023", { logGroupName: "/pfv5/bastion" });
    assert.ok(size > 4000 && size < 16384, `size ${size}`);
  });
});
