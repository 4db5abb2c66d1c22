/**
 * The bastion/VPN host for real, in three network namespaces joined by veth pairs:
 *
 *   internet client  --(203.0.113.0/24)--  bastion/VPN server  --(VPC)--  private host
 *   203.0.113.10/.11/.99                    203.0.113.1, 10.0.1.10          10.0.10.20
 *
 * The server loads the rendered nftables ruleset; wireguard-go carries the rendered
 * server and client configurations. The private host has no route back to the VPN range,
 * so a reply reaches the client only if the server masqueraded the connection. Its
 * uplink is not called eth0, so nothing in the ruleset may depend on that name.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { clampPrivateKey, planAccessHost, publicKeyOf, renderClientConfig, renderServerConfig, type AccessHostPlan } from "@pfv5/access";
import { randomBytes } from "node:crypto";
import { ed25519PublicKey, wireGuardKeyPair } from "../../../packages/access/src/fixtures.test";
import { Sandbox, must, requireRoot, requireTools, waitFor } from "./host";

const id = String(process.pid);
const NS = { client: `pfv5-client-${id}`, server: `pfv5-server-${id}`, private: `pfv5-private-${id}` };
// Interface names are unique per run and at most 15 characters.
const IF = { clientUp: `pi${id}c`, serverUp: `pi${id}s`, serverVpc: `pv${id}s`, privateVpc: `pv${id}p`, wgServer: `wgs${id}`, wgClient: `wgc${id}` };
const ADDR = { server: "203.0.113.1", client: "203.0.113.10", rateClient: "203.0.113.11", outsider: "203.0.113.99", serverVpc: "10.0.1.10", private: "10.0.10.20" };
const WG_SOCKETS = "/var/run/wireguard";

describe("bastion and VPN end to end in network namespaces (host: ip, nft, wireguard-go, wg, nc)", function () {
  this.timeout(60000);
  let box: Sandbox;
  let plan: AccessHostPlan;
  let peerAddress = "";
  let started = 0;

  const nc = (ns: string, args: string[], timeoutMs = 5000) => box.execAsync(ns, "nc", args, timeoutMs);
  /** Whether a TCP connection from `source` to host:port is accepted within one second. */
  const connects = async (ns: string, host: string, port: number, source?: string): Promise<boolean> =>
    (await nc(ns, ["-z", "-w", "1", ...(source !== undefined ? ["-s", source] : []), host, String(port)])).code === 0;
  const listening = (ns: string, address: string, port: number): boolean =>
    box.exec(ns, "ss", ["-Hltn", "src", `${address}:${port}`]).stdout.trim() !== "";
  const listen = async (ns: string, address: string, port: number): Promise<void> => {
    box.daemon(ns, "nc", ["-lk", address, String(port)]);
    await waitFor(`a listener on ${address}:${port}`, () => listening(ns, address, port));
  };
  const counter = (name: string): number => {
    const out = box.mustExec(NS.server, "nft", ["list", "counter", "inet", "pfv5", name]);
    return Number(/packets (\d+)/.exec(out)?.[1] ?? "NaN");
  };

  before(async function () {
    started = Date.now();
    requireRoot();
    requireTools("ip", "ss", "nft", "wg", "wg-quick", "wireguard-go", "nc", "sysctl");
    box = new Sandbox("pfv5-access-e2e");
    if (!fs.existsSync(WG_SOCKETS)) box.track(WG_SOCKETS, "dir");
    for (const ifname of [IF.wgServer, IF.wgClient]) box.track(`${WG_SOCKETS}/${ifname}.sock`);

    // The host as the component plans it, with this test's addresses as real inputs.
    const laptop = wireGuardKeyPair();
    plan = planAccessHost({
      vpcCidr: "10.0.0.0/16",
      sshAllowedCidrs: ["203.0.113.0/28"],
      users: [{ name: "alice", publicKeys: [ed25519PublicKey()] }],
      zoneCidrs: { app: ["10.0.10.0/24"], data: ["10.0.20.0/24"], mgmt: ["10.0.30.0/24"] },
      vpn: { peers: [{ name: "laptop", publicKey: laptop.publicKey, address: "10.100.0.10" }], interfaceName: IF.wgServer },
    });
    const vpn = plan.vpn;
    assert.ok(vpn !== undefined);
    const serverKey = clampPrivateKey(randomBytes(32).toString("base64"));
    const peer = vpn.server.peers[0];
    assert.ok(peer);
    peerAddress = peer.address;
    const serverConf = box.write(`${IF.wgServer}.conf`, renderServerConfig(vpn.server, serverKey));
    const clientConf = box.write(
      `${IF.wgClient}.conf`,
      renderClientConfig(
        peer,
        { serverPublicKey: publicKeyOf(serverKey), endpoint: ADDR.server, listenPort: vpn.server.listenPort, allowedIps: vpn.allowedIps, dns: vpn.dns, persistentKeepalive: vpn.persistentKeepalive },
        laptop.privateKey,
      ),
    );

    for (const ns of Object.values(NS)) box.netns(ns);
    const veth = (a: string, nsA: string, b: string, nsB: string): void => {
      must("ip", ["link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB]);
      must("ip", ["-n", nsA, "link", "set", a, "up"]);
      must("ip", ["-n", nsB, "link", "set", b, "up"]);
    };
    veth(IF.clientUp, NS.client, IF.serverUp, NS.server);
    veth(IF.serverVpc, NS.server, IF.privateVpc, NS.private);
    for (const a of [ADDR.client, ADDR.rateClient, ADDR.outsider]) must("ip", ["-n", NS.client, "addr", "add", `${a}/24`, "dev", IF.clientUp]);
    must("ip", ["-n", NS.server, "addr", "add", `${ADDR.server}/24`, "dev", IF.serverUp]);
    must("ip", ["-n", NS.server, "addr", "add", `${ADDR.serverVpc}/24`, "dev", IF.serverVpc]);
    must("ip", ["-n", NS.private, "addr", "add", `${ADDR.private}/24`, "dev", IF.privateVpc]);
    // The VPC router, reduced to on-link routes between the DMZ and the app subnet.
    must("ip", ["-n", NS.server, "route", "add", "10.0.10.0/24", "dev", IF.serverVpc]);
    must("ip", ["-n", NS.private, "route", "add", "10.0.1.0/24", "dev", IF.privateVpc]);

    // The server: forwarding as the rendered sysctl file sets it, then the ruleset.
    box.mustExec(NS.server, "sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
    box.mustExec(NS.server, "nft", ["-f", box.write("ruleset.nft", plan.nftables)]);

    // The tunnel: wireguard-go per end, configured with the rendered files (wg-quick's own
    // keys stripped), addresses and routes as wg-quick would set them.
    const up = async (ns: string, ifname: string, conf: string, address: string, routes: readonly string[]): Promise<void> => {
      box.daemon(ns, "wireguard-go", ["-f", ifname]);
      await waitFor(`the ${ifname} control socket`, () => fs.existsSync(`${WG_SOCKETS}/${ifname}.sock`));
      box.mustExec(ns, "wg", ["setconf", ifname, box.write(`${ifname}.stripped`, must("wg-quick", ["strip", conf]))]);
      must("ip", ["-n", ns, "addr", "add", address, "dev", ifname]);
      must("ip", ["-n", ns, "link", "set", ifname, "up"]);
      for (const r of routes) must("ip", ["-n", ns, "route", "add", r, "dev", ifname]);
    };
    await up(NS.server, IF.wgServer, serverConf, `${vpn.server.serverAddress}/24`, []);
    await up(NS.client, IF.wgClient, clientConf, `${peer.address}/32`, vpn.allowedIps);

    await listen(NS.private, ADDR.private, 22);
    await listen(NS.private, ADDR.private, 5432);
    await listen(NS.server, ADDR.server, 22);
    for (const port of [80, 443, 3000, 8080]) await listen(NS.server, ADDR.server, port);
  });

  after(async function () {
    const problems = box !== undefined ? await box.cleanup() : [];
    const leftovers = must("ip", ["netns", "list"]).split("\n").filter((l) => l.includes(`-${id}`));
    console.log(`      (namespace test took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    assert.deepEqual(problems, []);
    assert.deepEqual(leftovers, []);
    for (const ifname of [IF.wgServer, IF.wgClient]) assert.equal(fs.existsSync(`${WG_SOCKETS}/${ifname}.sock`), false);
  });

  it("completes the WireGuard handshake through the host firewall", async () => {
    // Any packet into the tunnel starts the handshake; the port does not matter.
    await connects(NS.client, ADDR.private, 9);
    const handshake = (ns: string, ifname: string): number => Number(box.mustExec(ns, "wg", ["show", ifname, "latest-handshakes"]).trim().split(/\s+/)[1] ?? 0);
    await waitFor("a completed handshake", () => handshake(NS.client, IF.wgClient) > 0, 10000);
    assert.ok(handshake(NS.server, IF.wgServer) > 0);
  });

  it("carries a TCP connection from the client through the tunnel to the private host on 22", async () => {
    // The private host cannot answer the tunnel address itself: only masquerade gets the reply back.
    assert.notEqual(box.exec(NS.private, "ip", ["route", "get", peerAddress]).code, 0);
    assert.equal(await connects(NS.client, ADDR.private, 22), true);
  });

  it("lets a VPN client reach no other port of the private host", async () => {
    const dropped = counter("forward_dropped");
    assert.equal(await connects(NS.client, ADDR.private, 5432), false);
    assert.ok(counter("forward_dropped") > dropped);
  });

  it("drops every port the ruleset does not open, from the internet side", async () => {
    const results = await Promise.all([80, 443, 3000, 8080].map((p) => connects(NS.client, ADDR.server, p, ADDR.client)));
    assert.deepEqual(results, [false, false, false, false]);
  });

  it("accepts SSH from an authorized address and drops it from one outside the authorized blocks", async () => {
    assert.equal(await connects(NS.client, ADDR.server, 22, ADDR.client), true);
    assert.equal(await connects(NS.client, ADDR.server, 22, ADDR.outsider), false);
  });

  it("drops new SSH connections from one source beyond the burst, before they are accepted", async () => {
    const attempts: boolean[] = [];
    for (let i = 0; i < 7; i += 1) attempts.push(await connects(NS.client, ADDR.server, 22, ADDR.rateClient));
    assert.deepEqual(attempts, [true, true, true, true, false, false, false]);
    assert.ok(counter("rate_limited_admins_bastion_ssh") >= 3);
    // Other authorized sources keep their own allowance.
    assert.equal(await connects(NS.client, ADDR.server, 22, ADDR.client), true);
  });
});
