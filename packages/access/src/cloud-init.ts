/**
 * The boot configuration of an access host as `#cloud-config` user data. Files the
 * packages would also install are written after the packages (`defer`), and the services
 * are started in order at the end: firewall first, then sshd, fail2ban, the tunnel and
 * the log agent.
 */
import { Document, isSeq } from "yaml";
import { BANNER_PATH, SSHD_DROP_IN_PATH } from "./defaults";
import {
  CLOUDWATCH_AGENT_CONFIG_PATH,
  renderBanner,
  renderCloudWatchAgentConfig,
  renderFail2banJail,
  renderFail2banUnitDropIn,
  renderSshdConfig,
  renderSysctl,
  type SshdSettings,
} from "./host-files";
import { formatSshPublicKey, parseSshPublicKey } from "./ssh-keys";
import type { AdminUser } from "./users";

/** The images the renderer knows: Amazon Linux 2023 on AWS, Ubuntu LTS on Azure. */
export type HostOs = "al2023" | "ubuntu";

interface OsFacts {
  readonly sshUnit: string;
  /** The file nftables.service loads. */
  readonly nftablesConf: string;
  readonly basePackages: readonly string[];
  /** firewalld would replace the ruleset; it may arrive as a dependency, so it is masked. */
  readonly maskFirewalld: boolean;
}

export const OS_FACTS: Readonly<Record<HostOs, OsFacts>> = {
  al2023: { sshUnit: "sshd.service", nftablesConf: "/etc/sysconfig/nftables.conf", basePackages: ["nftables"], maskFirewalld: true },
  ubuntu: { sshUnit: "ssh.service", nftablesConf: "/etc/nftables.conf", basePackages: ["nftables"], maskFirewalld: false },
};

/** Where the rendered ruleset is written; the distribution's nftables file includes it. */
export const NFTABLES_RULESET_PATH = "/etc/nftables/pfv5.nft";

export interface CloudInitInput {
  readonly os: HostOs;
  readonly users: readonly AdminUser[];
  /**
   * Keep the image's default user, which the cloud creates from its own settings (on
   * Azure the VM's admin account). AWS hosts leave it out: there is no ec2-user.
   * @default false
   */
  readonly defaultUser?: boolean;
  /** Whether SSH is served to the network: adds fail2ban. sshd is hardened either way (SSM can tunnel to it). */
  readonly ssh: boolean;
  readonly sshd: SshdSettings;
  readonly banner: string;
  /** The rendered nftables ruleset. */
  readonly nftables: string;
  /** The tunnel, when the host is a VPN server. `config` holds a private key: keep the result secret. */
  readonly wireguard?: { readonly interfaceName: string; readonly config: string };
  /** Ship logs to this CloudWatch log group (AWS only). */
  readonly cloudwatch?: { readonly logGroupName: string };
}

interface WriteFile {
  path: string;
  content: string;
  owner: string;
  permissions: string;
  defer?: boolean;
}

const file = (path: string, content: string, permissions: string, defer: boolean): WriteFile => ({
  path,
  content,
  owner: "root:root",
  permissions,
  ...(defer ? { defer: true } : {}),
});

function userEntry(u: AdminUser): Record<string, unknown> {
  return {
    name: u.name,
    shell: "/bin/bash",
    lock_passwd: true,
    ssh_authorized_keys: u.publicKeys.map((k) => formatSshPublicKey(parseSshPublicKey(k))),
    ...(u.sudo === true ? { sudo: "ALL=(ALL) NOPASSWD:ALL" } : {}),
  };
}

/** Renders the user data. Deterministic: the same input gives the same text. */
export function renderCloudInit(input: CloudInitInput): string {
  const os = OS_FACTS[input.os];
  const packages = [...os.basePackages];
  const files: WriteFile[] = [
    file(SSHD_DROP_IN_PATH, renderSshdConfig(input.sshd), "0600", false),
    file(input.sshd.bannerPath ?? BANNER_PATH, renderBanner(input.banner), "0644", false),
    file("/etc/sysctl.d/90-pfv5.conf", renderSysctl(input.wireguard !== undefined), "0644", false),
    file(NFTABLES_RULESET_PATH, input.nftables, "0600", true),
    file(os.nftablesConf, `#!/usr/sbin/nft -f\n# Managed by pfv5.\ninclude "${NFTABLES_RULESET_PATH}"\n`, "0600", true),
  ];
  const runcmd: string[][] = [];
  if (os.maskFirewalld) runcmd.push(["systemctl", "mask", "--now", "firewalld.service"]);
  runcmd.push(["systemctl", "enable", "nftables.service"], ["systemctl", "restart", "nftables.service"], ["sysctl", "--system"]);
  runcmd.push(["systemctl", "restart", os.sshUnit]);
  if (input.ssh) {
    packages.push("fail2ban", "python3-systemd");
    files.push(
      file("/etc/fail2ban/jail.d/50-pfv5.local", renderFail2banJail(os.sshUnit), "0644", true),
      file("/etc/systemd/system/fail2ban.service.d/50-pfv5.conf", renderFail2banUnitDropIn(), "0644", true),
    );
    runcmd.push(["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "fail2ban.service"]);
  }
  if (input.wireguard !== undefined) {
    packages.push("wireguard-tools");
    files.push(file(`/etc/wireguard/${input.wireguard.interfaceName}.conf`, input.wireguard.config, "0600", true));
    runcmd.push(["systemctl", "enable", "--now", `wg-quick@${input.wireguard.interfaceName}.service`]);
  }
  if (input.cloudwatch !== undefined) {
    packages.push("rsyslog", "amazon-cloudwatch-agent");
    files.push(file(CLOUDWATCH_AGENT_CONFIG_PATH, renderCloudWatchAgentConfig(input.cloudwatch.logGroupName), "0644", true));
    runcmd.push(
      ["systemctl", "enable", "--now", "rsyslog.service"],
      [
        "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl",
        "-a",
        "fetch-config",
        "-m",
        "ec2",
        "-s",
        "-c",
        `file:${CLOUDWATCH_AGENT_CONFIG_PATH}`,
      ],
    );
  }
  const users = [...(input.defaultUser === true ? ["default"] : []), ...input.users.map(userEntry)];
  const doc = {
    disable_root: true,
    ssh_pwauth: false,
    // The schema refuses an empty list; without the key the image's default user stays,
    // keyless and password-locked.
    ...(users.length > 0 ? { users } : {}),
    package_update: true,
    package_upgrade: true,
    packages,
    write_files: files,
    runcmd,
  };
  const yaml = new Document(doc);
  // One command per line reads better: [systemctl, enable, nftables.service].
  const commands = yaml.get("runcmd");
  if (isSeq(commands)) for (const c of commands.items) if (isSeq(c)) c.flow = true;
  return `#cloud-config\n${yaml.toString({ lineWidth: 0 })}`;
}
