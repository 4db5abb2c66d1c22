import { strict as assert } from "node:assert";
import { ed25519PublicKey, wireGuardKeyPair } from "./fixtures.test";
import { planAccessHost, type AccessHostArgs, type AccessHostPlan } from "./plan";
import { AZURE_CUSTOM_DATA, checkUserDataSize, EC2_USER_DATA, userDataSize } from "./user-data";

/** Every host address of 10.100.0.0/24 but the server's: the most peers the default range holds. */
const fullRange = Array.from({ length: 253 }, (_, i) => ({ name: `peer-${i + 2}`, publicKey: wireGuardKeyPair().publicKey, address: `10.100.0.${i + 2}` }));
const vpnHost: AccessHostArgs = { vpcCidr: "10.0.0.0/16", ssh: false, vpn: { peers: fullRange }, configKeys: { peers: "pfv5:wireguardPeers" } };
const onAws = (plan: AccessHostPlan): number => userDataSize(plan, "al2023", { logGroupName: "/pfv5/pfv5-dev-vpn" });
const sizeOf = (args: AccessHostArgs): number => onAws(planAccessHost(args));
const withPeers = (n: number): AccessHostArgs => ({ ...vpnHost, vpn: { peers: fullRange.slice(0, n) } });

/** Users whose keys carry long comments, so a few dozen fill EC2's 16 KB. */
function paddedUsers(count: number): { name: string; publicKeys: string[] }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `admin${i}`, publicKeys: [ed25519PublicKey(`admin${i}@${"workstation".repeat(20)}`)] }));
}

describe("user data size", () => {
  it("states the real limits: EC2 16 KB before base64, Azure 65535 bytes once decoded", () => {
    assert.deepEqual(EC2_USER_DATA, { bytes: 16384, name: "EC2 user data (16 KB before base64)" });
    assert.deepEqual(AZURE_CUSTOM_DATA, { bytes: 65535, name: "Azure custom data (64 KB once decoded)" });
  });

  it("says nothing about a host whose user data fits", () => {
    assert.deepEqual(checkUserDataSize(withPeers(10), onAws, EC2_USER_DATA), []);
  });

  it("blames the peer list under the caller's key, with the sizes and how many peers fit", () => {
    const problems = checkUserDataSize(vpnHost, onAws, EC2_USER_DATA);
    assert.equal(problems.length, 1);
    const [p] = problems;
    assert.equal(p?.key, "pfv5:wireguardPeers");
    assert.equal(p?.value, "253 peers");
    const m = /^the peer list makes the user data (\d+) bytes \(the peers take (\d+) of them\), over the 16384-byte limit of EC2 user data \(16 KB before base64\): at most (\d+) of the 253 peers fit on one host; list fewer, or spread them over more VPN hosts$/.exec(p?.message ?? "");
    assert.ok(m !== null, p?.message);
    const [total, share, fit] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.equal(total, sizeOf(vpnHost));
    assert.equal(share, total - sizeOf(withPeers(0)));
    assert.ok(sizeOf(withPeers(fit)) <= 16384, `${fit} peers fit`);
    assert.ok(sizeOf(withPeers(fit + 1)) > 16384, `${fit + 1} peers do not fit`);
  });

  it("names the peer list by its argument when the caller passes no key", () => {
    const { configKeys: _, ...args } = vpnHost;
    assert.deepEqual(checkUserDataSize(args, onAws, EC2_USER_DATA).map((p) => [p.key, p.value]), [["vpn.peers", "253 peers"]]);
  });

  it("lets the full VPN range through Azure's larger limit", () => {
    assert.deepEqual(checkUserDataSize(vpnHost, (plan) => userDataSize(plan, "ubuntu", {}), AZURE_CUSTOM_DATA), []);
  });

  it("blames the user list when the keys fill the user data, with how many keys fit", () => {
    const users = paddedUsers(60);
    const bastion: AccessHostArgs = { vpcCidr: "10.0.0.0/16", sshAllowedCidrs: ["203.0.113.0/24"], users, configKeys: { users: "pfv5:adminUsers" } };
    const problems = checkUserDataSize(bastion, onAws, EC2_USER_DATA);
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [["pfv5:adminUsers", "60 users, 60 keys"]]);
    const m = /^the user list makes the user data (\d+) bytes \(the users and their keys take (\d+) of them\), over the 16384-byte limit of EC2 user data \(16 KB before base64\): at most (\d+) of the 60 keys fit on one host; list fewer users, or fewer keys per user$/.exec(problems[0]?.message ?? "");
    assert.ok(m !== null, problems[0]?.message);
    const fit = Number(m[3]);
    assert.ok(sizeOf({ ...bastion, users: users.slice(0, fit) }) <= 16384);
    assert.ok(sizeOf({ ...bastion, users: users.slice(0, fit + 1) }) > 16384);
  });

  it("says when emptying the larger list is not enough and names the other one too", () => {
    const args: AccessHostArgs = { ...vpnHost, ssh: true, sshAllowedCidrs: ["203.0.113.0/24"], users: paddedUsers(60), configKeys: { users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" } };
    const problems = checkUserDataSize(args, onAws, EC2_USER_DATA);
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [["pfv5:wireguardPeers", "253 peers"]]);
    assert.match(problems[0]?.message ?? "", /: even without it the user data is \d+ bytes, so shorten pfv5:adminUsers \(60 users, 60 keys\) as well$/);
  });
});
