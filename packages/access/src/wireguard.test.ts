import { strict as assert } from "node:assert";
import { wireGuardKeyPair } from "./fixtures.test";
import { checkPeers, checkServerSettings, renderClientConfig, renderServerConfig, type WireGuardPeer } from "./wireguard";

const alice = wireGuardKeyPair();
const bob = wireGuardKeyPair();
const server = wireGuardKeyPair();

describe("WireGuard peer validation", () => {
  it("accepts distinct peers inside the range, with or without /32", () => {
    const peers: WireGuardPeer[] = [
      { name: "alice", publicKey: alice.publicKey, address: "10.100.0.10" },
      { name: "bob.laptop", publicKey: bob.publicKey, address: "10.100.0.11/32" },
    ];
    assert.deepEqual(checkPeers("vpn.peers", peers, "10.100.0.0/24", "10.100.0.1"), []);
  });

  it("lists every problem at once, each under the key the user wrote", () => {
    const peers = [
      { name: "alice", publicKey: alice.publicKey, address: "10.100.0.10" },
      { name: "alice", publicKey: "not-a-key", address: "10.100.1.5" },
      { name: "-x", publicKey: alice.publicKey, address: "10.100.0.10" },
      { name: "net", publicKey: bob.publicKey, address: "10.100.0.0" },
      { name: "bcast", publicKey: server.publicKey, address: "10.100.0.255" },
      { name: "srv", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.1/32" },
      { name: "zero", publicKey: Buffer.alloc(32).toString("base64"), address: "10.100.0.20/24" },
    ];
    const problems = checkPeers("pfv5:vpnPeers", peers, "10.100.0.0/24", "10.100.0.1");
    assert.deepEqual(
      problems.map((p) => `${p.key} ${JSON.stringify(p.value)}`),
      [
        'pfv5:vpnPeers[1].name "alice"',
        'pfv5:vpnPeers[1].publicKey "not-a-key"',
        'pfv5:vpnPeers[1].address "10.100.1.5"',
        'pfv5:vpnPeers[2].name "-x"',
        `pfv5:vpnPeers[2].publicKey "${alice.publicKey}"`,
        'pfv5:vpnPeers[2].address "10.100.0.10"',
        'pfv5:vpnPeers[3].address "10.100.0.0"',
        'pfv5:vpnPeers[4].address "10.100.0.255"',
        'pfv5:vpnPeers[5].address "10.100.0.1/32"',
        `pfv5:vpnPeers[6].publicKey "${Buffer.alloc(32).toString("base64")}"`,
        'pfv5:vpnPeers[6].address "10.100.0.20/24"',
      ],
    );
    assert.match(problems[0]?.message ?? "", /is already used by pfv5:vpnPeers\[0\]: each peer needs its own name/);
    assert.match(problems[2]?.message ?? "", /lies outside the VPN range 10\.100\.0\.0\/24/);
    assert.match(problems[6]?.message ?? "", /is the network address/);
    assert.match(problems[7]?.message ?? "", /is the broadcast address/);
    assert.match(problems[8]?.message ?? "", /is the server's own tunnel address/);
    assert.match(problems[9]?.message ?? "", /all-zero key/);
  });

  it("names a misspelt field, suggests the one meant, and still reports the missing one", () => {
    const problems = checkPeers("pfv5:wireguardPeers", [{ name: "a", publicKey: alice.publicKey, adress: "10.100.0.10" }], "10.100.0.0/24", "10.100.0.1");
    assert.deepEqual(problems, [
      {
        key: "pfv5:wireguardPeers[0].adress",
        value: "10.100.0.10",
        message: 'is not a field of a WireGuard peer, so it would be ignored: did you mean "address"? The known fields are name, publicKey, address',
      },
      { key: "pfv5:wireguardPeers[0].address", value: undefined, message: "expected one IPv4 address such as 10.100.0.10 (optionally written 10.100.0.10/32)" },
    ]);
  });

  it("refuses a peer's private key as something that must never be in config, without showing it", () => {
    const peer = { name: "a", publicKey: alice.publicKey, address: "10.100.0.10", privateKey: alice.privateKey };
    const problems = checkPeers("pfv5:wireguardPeers", [peer], "10.100.0.0/24", "10.100.0.1");
    assert.deepEqual(problems, [
      {
        key: "pfv5:wireguardPeers[0].privateKey",
        value: "<not shown>",
        message:
          "a private key must never be in config: each peer keeps its own private key on its own device, and the server needs only the peer's publicKey (from `wg pubkey`); remove this field",
      },
    ]);
    assert.ok(!JSON.stringify(problems).includes(alice.privateKey));
  });

  it("names every unknown field of every peer, hiding any value that looks like a key", () => {
    const peers = [
      { name: "a", publicKey: alice.publicKey, address: "10.100.0.10", comment: "Alice's phone", key: bob.privateKey },
      { name: "b", publicKey: bob.publicKey, address: "10.100.0.11", presharedKey: server.privateKey, password: "hunter2" },
    ];
    const problems = checkPeers("vpn.peers", peers, "10.100.0.0/24", "10.100.0.1");
    assert.deepEqual(problems.map((p) => [p.key, p.value]), [
      ["vpn.peers[0].comment", "Alice's phone"],
      ["vpn.peers[0].key", "<not shown>"],
      ["vpn.peers[1].presharedKey", "<not shown>"],
      ["vpn.peers[1].password", "<not shown>"],
    ]);
    assert.match(problems[2]?.message ?? "", /^is a secret, and secrets must never be in config/);
    assert.match(problems[3]?.message ?? "", /^a password must never be in config, and WireGuard uses none/);
    for (const secret of [bob.privateKey, server.privateKey, "hunter2"]) assert.ok(!JSON.stringify(problems).includes(secret), secret);
  });

  it("refuses something that is not a list", () => {
    assert.equal(checkPeers("peers", { alice: 1 }, "10.100.0.0/24", "10.100.0.1").length, 1);
  });

  it("checks the server range, address and port", () => {
    assert.deepEqual(checkServerSettings("vpn.", "10.100.0.0/24", "10.100.0.1", 51820), []);
    assert.deepEqual(
      checkServerSettings("vpn.", "10.100.0.0/31", "10.200.0.1", 0).map((p) => p.key),
      ["vpn.vpnCidr", "vpn.listenPort"],
    );
    assert.deepEqual(checkServerSettings("", "10.100.0.0/24", "10.100.0.255", 51820).map((p) => p.key), ["serverAddress"]);
  });
});

describe("WireGuard configuration rendering", () => {
  const settings = {
    vpnCidr: "10.100.0.0/24",
    serverAddress: "10.100.0.1",
    listenPort: 51820,
    peers: [
      { name: "alice", publicKey: alice.publicKey, address: "10.100.0.10" },
      { name: "bob", publicKey: bob.publicKey, address: "10.100.0.11" },
    ],
  };

  it("renders the server file with the /24 address, the port, a /32 per peer and no SaveConfig or PostUp", () => {
    assert.equal(
      renderServerConfig(settings, server.privateKey),
      [
        "# Managed by pfv5: rendered at deploy time; changes here are overwritten.",
        "[Interface]",
        "Address = 10.100.0.1/24",
        "ListenPort = 51820",
        `PrivateKey = ${server.privateKey}`,
        "",
        "# alice",
        "[Peer]",
        `PublicKey = ${alice.publicKey}`,
        "AllowedIPs = 10.100.0.10/32",
        "",
        "# bob",
        "[Peer]",
        `PublicKey = ${bob.publicKey}`,
        "AllowedIPs = 10.100.0.11/32",
        "",
      ].join("\n"),
    );
  });

  const client = { serverPublicKey: server.publicKey, endpoint: "198.51.100.10", listenPort: 51820, allowedIps: ["10.0.0.0/16"], dns: ["10.0.0.2"], persistentKeepalive: 25 };

  it("renders a client file that routes only the VPC, names the VPC resolver and keeps NAT alive", () => {
    const peer = settings.peers[0];
    assert.ok(peer);
    assert.equal(
      renderClientConfig(peer, client, alice.privateKey),
      [
        '# WireGuard client "alice" for the pfv5 VPN.',
        "[Interface]",
        "Address = 10.100.0.10/32",
        `PrivateKey = ${alice.privateKey}`,
        "DNS = 10.0.0.2",
        "",
        "[Peer]",
        `PublicKey = ${server.publicKey}`,
        "Endpoint = 198.51.100.10:51820",
        "AllowedIPs = 10.0.0.0/16",
        "PersistentKeepalive = 25",
        "",
      ].join("\n"),
    );
  });

  it("leaves a marked line for the private key only the peer holds, and brackets an IPv6 endpoint", () => {
    const peer = settings.peers[1];
    assert.ok(peer);
    const text = renderClientConfig(peer, { ...client, endpoint: "2001:db8::10" });
    assert.match(text, new RegExp(`^PrivateKey = <the private key of "bob", whose public key is ${bob.publicKey.replace(/[+/]/g, "\\$&")}>$`, "m"));
    assert.match(text, /^Endpoint = \[2001:db8::10\]:51820$/m);
  });
});
