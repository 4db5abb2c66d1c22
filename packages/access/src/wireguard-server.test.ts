import { strict as assert } from "node:assert";
import { recorded } from "../../../test/setup/mocks";
import { isSecret, resourcesNamed, valueOf } from "../../../test/setup/helpers";
import { wireGuardKeyPair } from "./fixtures.test";
import { WireGuardServer } from "./wireguard-server";
import { isWireGuardKey, publicKeyOf } from "./wireguard-keys";

const peers = [
  { name: "alice", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.10" },
  { name: "bob", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.11/32" },
];

describe("WireGuardServer", () => {
  let vpn: WireGuardServer;
  before(async () => {
    vpn = new WireGuardServer("acc-wg", { peers, endpoint: "vpn.example.org", vpcCidr: "10.0.0.0/16" });
    await valueOf(vpn.clientConfigs);
  });

  it("keeps 32 random bytes in state as the key seed, and nothing else", () => {
    assert.deepEqual(
      resourcesNamed("acc-wg").map((r) => [r.type, r.name, r.inputs]),
      [
        ["pfv5:access:WireGuardServer", "acc-wg", {}],
        ["random:index/randomBytes:RandomBytes", "acc-wg-server-key", { length: 32 }],
      ],
    );
  });

  it("marks the private key, the server file and the client files secret, and the public key not", async () => {
    assert.equal(await isSecret(vpn.privateKey), true);
    assert.equal(await isSecret(vpn.serverConfig), true);
    assert.equal(await isSecret(vpn.clientConfigs), true);
    assert.equal(await isSecret(vpn.publicKey), false);
  });

  it("derives the public key from the clamped private key", async () => {
    const privateKey = await valueOf(vpn.privateKey);
    assert.ok(isWireGuardKey(privateKey));
    const raw = Buffer.from(privateKey, "base64");
    assert.equal((raw[0] ?? 1) & 7, 0);
    assert.equal((raw[31] ?? 0) & 0xc0, 0x40);
    assert.equal(await valueOf(vpn.publicKey), publicKeyOf(privateKey));
  });

  it("lists every peer in the server file with a /32 and renders one client file per peer", async () => {
    const server = await valueOf(vpn.serverConfig);
    assert.equal((server.match(/^\[Peer\]$/gm) ?? []).length, 2);
    assert.match(server, /^AllowedIPs = 10\.100\.0\.11\/32$/m);
    assert.doesNotMatch(server, /SaveConfig|PostUp/);
    const clients = await valueOf(vpn.clientConfigs);
    assert.deepEqual(Object.keys(clients), ["alice", "bob"]);
    assert.match(clients["bob"] ?? "", /^Address = 10\.100\.0\.11\/32$/m);
    assert.match(clients["bob"] ?? "", /^Endpoint = vpn\.example\.org:51820$/m);
    assert.match(clients["bob"] ?? "", /^DNS = 10\.0\.0\.2$/m);
    assert.match(clients["bob"] ?? "", /^PersistentKeepalive = 25$/m);
    assert.deepEqual(await valueOf(vpn.peerAddresses), { alice: "10.100.0.10", bob: "10.100.0.11" });
  });

  it("rejects a bad key, a duplicate address and an address outside the range before registering anything", () => {
    const before = recorded.length;
    assert.throws(
      () =>
        new WireGuardServer("acc-wg-bad", {
          vpcCidr: "10.0.0.0/16",
          endpoint: "198.51.100.1",
          peers: [
            { name: "a", publicKey: "bm90IGEga2V5", address: "10.100.0.10" },
            { name: "b", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.10" },
            { name: "c", publicKey: wireGuardKeyPair().publicKey, address: "10.101.0.1" },
          ],
        }),
      (e: Error) =>
        e.name === "ValidationError" &&
        e.message.startsWith('WireGuardServer "acc-wg-bad": 3 problems\n') &&
        e.message.includes('peers[0].publicKey = "bm90IGEga2V5": is not a WireGuard public key') &&
        e.message.includes('peers[1].address = "10.100.0.10": is already used by peers[0]') &&
        e.message.includes('peers[2].address = "10.101.0.1": lies outside the VPN range 10.100.0.0/24'),
    );
    assert.equal(recorded.length, before);
  });
});
