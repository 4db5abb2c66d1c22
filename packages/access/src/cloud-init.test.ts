import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { renderCloudInit, type CloudInitInput } from "./cloud-init";
import { ed25519PublicKey } from "./fixtures.test";
import { renderFail2banJail, renderSshdConfig } from "./host-files";

interface Doc {
  users: (string | { name: string; lock_passwd: boolean; ssh_authorized_keys: string[]; sudo?: string })[];
  packages: string[];
  write_files: { path: string; content: string; permissions: string; owner: string; defer?: boolean }[];
  runcmd: string[][];
  disable_root: boolean;
  ssh_pwauth: boolean;
}

const aliceKey = ed25519PublicKey("alice@laptop");
const input: CloudInitInput = {
  os: "al2023",
  users: [
    { name: "alice", publicKeys: [aliceKey], sudo: true },
    { name: "bob", publicKeys: [ed25519PublicKey("bob")] },
  ],
  ssh: true,
  sshd: { allowUsers: ["alice", "bob"] },
  banner: "Authorized access only.\n\n",
  nftables: "table inet pfv5 {\n}\n",
  wireguard: { interfaceName: "wg0", config: "[Interface]\nPrivateKey = SECRET\n" },
  cloudwatch: { logGroupName: "/pfv5/bastion" },
};

function doc(i: CloudInitInput): Doc {
  const text = renderCloudInit(i);
  assert.ok(text.startsWith("#cloud-config\n"));
  return parse(text) as Doc;
}

function fileAt(d: Doc, path: string): Doc["write_files"][number] {
  const f = d.write_files.find((w) => w.path === path);
  assert.ok(f, `no file ${path}`);
  return f;
}

describe("cloud-init user data", () => {
  it("creates only the listed users, passwords locked, with their keys; sudo only where asked", () => {
    const d = doc(input);
    assert.equal(d.disable_root, true);
    assert.equal(d.ssh_pwauth, false);
    assert.deepEqual(d.users, [
      { name: "alice", shell: "/bin/bash", lock_passwd: true, ssh_authorized_keys: [aliceKey], sudo: "ALL=(ALL) NOPASSWD:ALL" },
      { name: "bob", shell: "/bin/bash", lock_passwd: true, ssh_authorized_keys: [input.users[1]?.publicKeys[0]] },
    ]);
  });

  it("installs the firewall, fail2ban with journal support, WireGuard and the log agent on AL2023", () => {
    assert.deepEqual(doc(input).packages, ["nftables", "fail2ban", "python3-systemd", "wireguard-tools", "rsyslog", "amazon-cloudwatch-agent"]);
  });

  it("writes every configuration whole, secrets 0600, and defers what packages would also install", () => {
    const d = doc(input);
    assert.deepEqual(
      d.write_files.map((f) => [f.path, f.permissions, f.defer === true]),
      [
        ["/etc/ssh/sshd_config.d/50-pfv5.conf", "0600", false],
        ["/etc/ssh/pfv5-banner", "0644", false],
        ["/etc/sysctl.d/90-pfv5.conf", "0644", false],
        ["/etc/nftables/pfv5.nft", "0600", true],
        ["/etc/sysconfig/nftables.conf", "0600", true],
        ["/etc/fail2ban/jail.d/50-pfv5.local", "0644", true],
        ["/etc/systemd/system/fail2ban.service.d/50-pfv5.conf", "0644", true],
        ["/etc/wireguard/wg0.conf", "0600", true],
        ["/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json", "0644", true],
      ],
    );
    assert.ok(d.write_files.every((f) => f.owner === "root:root"));
    assert.equal(fileAt(d, "/etc/ssh/pfv5-banner").content, "Authorized access only.\n");
    assert.equal(fileAt(d, "/etc/sysconfig/nftables.conf").content, '#!/usr/sbin/nft -f\n# Managed by pfv5.\ninclude "/etc/nftables/pfv5.nft"\n');
    assert.equal(fileAt(d, "/etc/wireguard/wg0.conf").content, input.wireguard?.config);
    assert.match(fileAt(d, "/etc/sysctl.d/90-pfv5.conf").content, /^net\.ipv4\.ip_forward = 1$/m);
  });

  it("starts the firewall before sshd, fail2ban and the tunnel, and never edits files with sed", () => {
    const d = doc(input);
    assert.deepEqual(d.runcmd.slice(0, 9), [
      ["systemctl", "mask", "--now", "firewalld.service"],
      ["systemctl", "enable", "nftables.service"],
      ["systemctl", "restart", "nftables.service"],
      ["sysctl", "--system"],
      ["systemctl", "restart", "sshd.service"],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "fail2ban.service"],
      ["systemctl", "enable", "--now", "wg-quick@wg0.service"],
      ["systemctl", "enable", "--now", "rsyslog.service"],
    ]);
    assert.deepEqual(d.runcmd[9]?.slice(0, 5), ["/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl", "-a", "fetch-config", "-m", "ec2"]);
    assert.equal(d.runcmd.length, 10);
    assert.doesNotMatch(renderCloudInit(input), /\bsed\b/);
  });

  it("ships the log files to the configured group, one stream per file and instance", () => {
    const agent = JSON.parse(fileAt(doc(input), "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json").content) as {
      logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string; log_stream_name: string }[] } } };
    };
    assert.deepEqual(
      agent.logs.logs_collected.files.collect_list.map((c) => [c.file_path, c.log_group_name, c.log_stream_name]),
      [
        ["/var/log/secure", "/pfv5/bastion", "{instance_id}/secure"],
        ["/var/log/messages", "/pfv5/bastion", "{instance_id}/messages"],
        ["/var/log/fail2ban.log", "/pfv5/bastion", "{instance_id}/fail2ban"],
        ["/var/log/cloud-init-output.log", "/pfv5/bastion", "{instance_id}/cloud-init"],
      ],
    );
  });

  it("leaves out fail2ban, the tunnel and forwarding on a host that serves neither SSH nor VPN", () => {
    const { wireguard: _w, cloudwatch: _c, ...rest } = input;
    const d = doc({ ...rest, ssh: false });
    assert.deepEqual(d.packages, ["nftables"]);
    assert.equal(doc({ ...rest, ssh: false, users: [] }).users, undefined);
    assert.ok(!d.write_files.some((f) => f.path.includes("fail2ban") || f.path.includes("wireguard")));
    assert.match(fileAt(d, "/etc/sysctl.d/90-pfv5.conf").content, /^net\.ipv4\.ip_forward = 0$/m);
    assert.ok(!d.runcmd.some((c) => c.includes("fail2ban.service")));
  });

  it("uses Ubuntu's unit and file names and keeps the default (admin) user on Azure", () => {
    const { cloudwatch: _c, ...rest } = input;
    const d = doc({ ...rest, os: "ubuntu", defaultUser: true });
    assert.equal(d.users[0], "default");
    assert.ok(d.write_files.some((f) => f.path === "/etc/nftables.conf"));
    assert.ok(d.runcmd.some((c) => c.join(" ") === "systemctl restart ssh.service"));
    assert.ok(!d.runcmd.some((c) => c.includes("firewalld.service")));
    assert.match(fileAt(d, "/etc/fail2ban/jail.d/50-pfv5.local").content, /^journalmatch = _SYSTEMD_UNIT=ssh\.service \+ _COMM=sshd$/m);
  });
});

describe("sshd and fail2ban files", () => {
  it("allows public keys only, no root, and only the listed users", () => {
    const text = renderSshdConfig({ allowUsers: ["alice", "bob"] });
    for (const line of ["PermitRootLogin no", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "AuthenticationMethods publickey", "MaxAuthTries 3", "ClientAliveInterval 300", "ClientAliveCountMax 2", "Banner /etc/ssh/pfv5-banner", "AllowUsers alice bob"]) {
      assert.match(text, new RegExp(`^${line}$`, "m"), line);
    }
    assert.doesNotMatch(renderSshdConfig({ allowUsers: [] }), /AllowUsers/);
  });

  it("bans for an hour after three failures in ten minutes, reading the journal", () => {
    const jail = renderFail2banJail("sshd.service");
    for (const line of ["bantime = 3600", "findtime = 600", "maxretry = 3", "backend = systemd", "banaction = nftables-multiport", "enabled = true"]) {
      assert.match(jail, new RegExp(`^${line}$`, "m"), line);
    }
    assert.doesNotMatch(jail, /logpath/);
  });
});
