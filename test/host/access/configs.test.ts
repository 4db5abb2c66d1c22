/**
 * The access hosts' rendered files, checked by the real tools: cloud-init's schema,
 * sshd's own parser (and the values it ends up with), nft's checker, and wg/wg-quick.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  SSHD_DROP_IN_PATH,
  planAccessHost,
  publicKeyOf,
  renderClientConfig,
  renderHostUserData,
  renderServerConfig,
  type AccessHostArgs,
  type HostOs,
} from "@pfv5/access";
import { ed25519PublicKey, rsaPublicKey, wireGuardKeyPair } from "../../../packages/access/src/fixtures.test";
import { Sandbox, must, requireRoot, requireTools, run } from "./host";

const server = wireGuardKeyPair();
const laptop = wireGuardKeyPair();
const users = [
  { name: "alice", publicKeys: [ed25519PublicKey("alice@laptop"), rsaPublicKey(3072)], sudo: true },
  { name: "bob", publicKeys: [ed25519PublicKey("bob@desk")] },
];
const vpn = { peers: [{ name: "laptop", publicKey: laptop.publicKey, address: "10.100.0.10" }] };
const zoneCidrs = { app: ["10.0.10.0/24", "10.0.11.0/24"], data: ["10.0.20.0/24"], mgmt: ["10.0.30.0/24"] };
const base: AccessHostArgs = { vpcCidr: "10.0.0.0/16", sshAllowedCidrs: ["203.0.113.0/24", "2001:db8::/48"], users, zoneCidrs };

/** Every kind of access host, by name. */
const HOSTS: Record<string, { args: AccessHostArgs; os: HostOs }> = {
  "AWS SSH bastion": { args: base, os: "al2023" },
  "AWS bastion with the VPN": { args: { ...base, vpn }, os: "al2023" },
  "AWS VPN server with SSH off": { args: { ...base, ssh: false, vpn }, os: "al2023" },
  "AWS bastion for Session Manager only": { args: { vpcCidr: "10.0.0.0/16", ssh: false }, os: "al2023" },
  "Azure bastion with the VPN": { args: { ...base, vpn }, os: "ubuntu" },
};

function userData(name: string): string {
  const host = HOSTS[name];
  assert.ok(host);
  const plan = planAccessHost(host.args);
  const serverConfig = plan.vpn !== undefined ? renderServerConfig(plan.vpn.server, server.privateKey) : undefined;
  return renderHostUserData(plan, host.os, {
    ...(serverConfig !== undefined ? { serverConfig } : {}),
    ...(host.os === "al2023" ? { logGroupName: "/pfv5/bastion" } : { defaultUser: true, skipUsers: ["alice"] }),
  });
}

describe("access host files checked by the real tools (host: cloud-init, sshd, nft, wg)", function () {
  this.timeout(30000);
  let box: Sandbox;
  before(() => {
    requireRoot();
    requireTools("cloud-init", "sshd", "ssh-keygen", "nft", "wg", "wg-quick");
    box = new Sandbox("pfv5-access-configs");
  });
  after(async () => {
    const problems = await box.cleanup();
    assert.deepEqual(problems, []);
  });

  for (const name of Object.keys(HOSTS)) {
    it(`cloud-init's schema accepts the user data of the ${name}`, () => {
      const file = box.write(`${name.replace(/\W+/g, "-")}.yaml`, userData(name));
      const r = run("cloud-init", ["schema", "--config-file", file]);
      if (r.code !== 0) {
        const annotated = run("cloud-init", ["schema", "--config-file", file, "--annotate"]);
        assert.fail(`cloud-init schema rejected the user data:\n${r.stderr}${r.stdout}\n${annotated.stdout}${annotated.stderr}`);
      }
      assert.match(r.stdout, /Valid cloud-config/);
    });
  }

  it("nft -c accepts the ruleset of every host kind", () => {
    for (const [name, host] of Object.entries(HOSTS)) {
      const file = box.write(`${name.replace(/\W+/g, "-")}.nft`, planAccessHost(host.args).nftables);
      const r = run("nft", ["-c", "-f", file]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    }
  });

  it("sshd -t accepts the drop-in, and sshd -T shows its values win over the main file and later drop-ins", () => {
    const cfg = parse(userData("AWS SSH bastion")) as { write_files: { path: string; content: string }[] };
    const dropIn = cfg.write_files.find((f) => f.path === SSHD_DROP_IN_PATH)?.content;
    assert.ok(dropIn !== undefined);
    const dir = path.join(box.dir, "ssh");
    fs.mkdirSync(path.join(dir, "sshd_config.d"), { recursive: true });
    fs.writeFileSync(path.join(dir, "sshd_config.d", path.basename(SSHD_DROP_IN_PATH)), dropIn);
    // A later drop-in and the main file try to loosen things; the first value read wins.
    fs.writeFileSync(path.join(dir, "sshd_config.d", "60-image-defaults.conf"), "PasswordAuthentication yes\nPermitRootLogin yes\nX11Forwarding yes\n");
    must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_ed25519")]);
    const main = box.write(
      "sshd_config",
      [`Include ${dir}/sshd_config.d/*.conf`, `HostKey ${dir}/host_ed25519`, `PidFile ${dir}/sshd.pid`, "PasswordAuthentication yes", "PermitRootLogin yes", ""].join("\n"),
    );
    // sshd -t refuses to run without its privilege separation directory.
    if (!fs.existsSync("/run/sshd")) {
      fs.mkdirSync("/run/sshd", { mode: 0o755 });
      box.track("/run/sshd", "dir");
    }
    const sshd = requireTools("sshd")["sshd"] ?? "sshd";
    must(sshd, ["-t", "-f", main]);
    const effective = must(sshd, ["-T", "-f", main, "-C", "user=alice,host=client.example,addr=203.0.113.10"]);
    // sshd -T prints one line per value; keywords such as AllowUsers repeat.
    const settings: Record<string, string> = {};
    for (const line of effective.trim().split("\n")) {
      const [key, value] = [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)];
      settings[key] = settings[key] === undefined ? value : `${settings[key]} ${value}`;
    }
    assert.deepEqual(
      {
        permitrootlogin: settings["permitrootlogin"],
        passwordauthentication: settings["passwordauthentication"],
        kbdinteractiveauthentication: settings["kbdinteractiveauthentication"],
        pubkeyauthentication: settings["pubkeyauthentication"],
        authenticationmethods: settings["authenticationmethods"],
        maxauthtries: settings["maxauthtries"],
        clientaliveinterval: settings["clientaliveinterval"],
        clientalivecountmax: settings["clientalivecountmax"],
        allowtcpforwarding: settings["allowtcpforwarding"],
        x11forwarding: settings["x11forwarding"],
        banner: settings["banner"],
        allowusers: settings["allowusers"],
      },
      {
        permitrootlogin: "no",
        passwordauthentication: "no",
        kbdinteractiveauthentication: "no",
        pubkeyauthentication: "yes",
        authenticationmethods: "publickey",
        maxauthtries: "3",
        clientaliveinterval: "300",
        clientalivecountmax: "2",
        allowtcpforwarding: "local",
        x11forwarding: "no",
        banner: "/etc/ssh/pfv5-banner",
        allowusers: "alice bob",
      },
    );
  });

  it("wg pubkey derives the same public key as the program, and wg-quick parses both rendered files", () => {
    const pub = must("sh", ["-c", `printf '%s\\n' '${server.privateKey}' | wg pubkey`]).trim();
    assert.equal(pub, publicKeyOf(server.privateKey));
    const plan = planAccessHost({ ...base, vpn });
    assert.ok(plan.vpn !== undefined);
    const serverFile = box.write("wg0.conf", renderServerConfig(plan.vpn.server, server.privateKey));
    const peer = plan.vpn.server.peers[0];
    assert.ok(peer);
    const clientFile = box.write(
      "wg1.conf",
      renderClientConfig(peer, { serverPublicKey: pub, endpoint: "198.51.100.10", listenPort: 51820, allowedIps: plan.vpn.allowedIps, dns: plan.vpn.dns, persistentKeepalive: 25 }, laptop.privateKey),
    );
    // wg-quick strip drops what only wg-quick understands (Address, DNS) and keeps the rest.
    const stripped = (file: string): string =>
      must("wg-quick", ["strip", file])
        .split("\n")
        .filter((l) => !l.startsWith("#"))
        .join("\n")
        .replace(/\n{2,}/g, "\n\n")
        .trim() + "\n";
    assert.equal(
      stripped(serverFile),
      `[Interface]\nListenPort = 51820\nPrivateKey = ${server.privateKey}\n\n[Peer]\nPublicKey = ${laptop.publicKey}\nAllowedIPs = 10.100.0.10/32\n`,
    );
    assert.equal(
      stripped(clientFile),
      `[Interface]\nPrivateKey = ${laptop.privateKey}\n\n[Peer]\nPublicKey = ${pub}\nEndpoint = 198.51.100.10:51820\nAllowedIPs = 10.0.0.0/16\nPersistentKeepalive = 25\n`,
    );
  });
});
