/**
 * The configuration files of an access host other than the firewall and the tunnel:
 * the sshd drop-in, fail2ban, the CloudWatch agent and kernel settings. Each is written
 * whole (the seed's `sed` on commented defaults silently changes nothing when the default
 * line is absent).
 */
import {
  BANNER_PATH,
  DEFAULT_SSH_CLIENT_ALIVE_COUNT_MAX,
  DEFAULT_SSH_CLIENT_ALIVE_INTERVAL,
  DEFAULT_SSH_LOGIN_GRACE_TIME,
  DEFAULT_SSH_MAX_AUTH_TRIES,
  FAIL2BAN_DEFAULTS,
} from "./defaults";

export interface SshdSettings {
  /** Users allowed to log in; empty means the keyword is left out. */
  readonly allowUsers: readonly string[];
  /** @default DEFAULT_SSH_MAX_AUTH_TRIES */
  readonly maxAuthTries?: number;
  /** @default DEFAULT_SSH_CLIENT_ALIVE_INTERVAL */
  readonly clientAliveInterval?: number;
  /** @default DEFAULT_SSH_CLIENT_ALIVE_COUNT_MAX */
  readonly clientAliveCountMax?: number;
  /** @default DEFAULT_SSH_LOGIN_GRACE_TIME */
  readonly loginGraceTime?: number;
  /** @default BANNER_PATH */
  readonly bannerPath?: string;
}

/**
 * The sshd drop-in. sshd keeps the first value it reads for each keyword and includes
 * `sshd_config.d/*.conf` at the top of its main file, so these values win over the main
 * file and over drop-ins that sort later.
 */
export function renderSshdConfig(s: SshdSettings): string {
  const lines = [
    "# Managed by pfv5: public keys only, no root, no passwords.",
    "PermitRootLogin no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitEmptyPasswords no",
    "HostbasedAuthentication no",
    "PubkeyAuthentication yes",
    "AuthenticationMethods publickey",
    `MaxAuthTries ${s.maxAuthTries ?? DEFAULT_SSH_MAX_AUTH_TRIES}`,
    `LoginGraceTime ${s.loginGraceTime ?? DEFAULT_SSH_LOGIN_GRACE_TIME}`,
    `ClientAliveInterval ${s.clientAliveInterval ?? DEFAULT_SSH_CLIENT_ALIVE_INTERVAL}`,
    `ClientAliveCountMax ${s.clientAliveCountMax ?? DEFAULT_SSH_CLIENT_ALIVE_COUNT_MAX}`,
    "# A jump host forwards to the private zones (ProxyJump uses local forwarding) and nothing else.",
    "AllowTcpForwarding local",
    "AllowAgentForwarding no",
    "AllowStreamLocalForwarding no",
    "GatewayPorts no",
    "PermitTunnel no",
    "X11Forwarding no",
    "PermitUserEnvironment no",
    "# VERBOSE logs the fingerprint of the key used for each login.",
    "LogLevel VERBOSE",
    `Banner ${s.bannerPath ?? BANNER_PATH}`,
  ];
  if (s.allowUsers.length > 0) lines.push(`AllowUsers ${s.allowUsers.join(" ")}`);
  return `${lines.join("\n")}\n`;
}

/** The banner text with exactly one trailing newline. */
export function renderBanner(text: string): string {
  return `${text.replace(/\s+$/, "")}\n`;
}

/**
 * fail2ban's jail for sshd, reading the systemd journal: Amazon Linux 2023 writes no
 * /var/log/secure or auth.log unless rsyslog is added, and the journal is always there.
 * Bans go into fail2ban's own nftables table, beside the host firewall.
 */
export function renderFail2banJail(sshUnit: string): string {
  return [
    "# Managed by pfv5.",
    "[DEFAULT]",
    `bantime = ${FAIL2BAN_DEFAULTS.bantime}`,
    `findtime = ${FAIL2BAN_DEFAULTS.findtime}`,
    `maxretry = ${FAIL2BAN_DEFAULTS.maxretry}`,
    "backend = systemd",
    "banaction = nftables-multiport",
    "banaction_allports = nftables-allports",
    "ignoreip = 127.0.0.1/8 ::1",
    "",
    "[sshd]",
    "enabled = true",
    "port = ssh",
    `journalmatch = _SYSTEMD_UNIT=${sshUnit} + _COMM=sshd`,
    "",
  ].join("\n");
}

/**
 * A systemd drop-in so fail2ban starts after the host firewall and is restarted or
 * reloaded with it (reloading the ruleset can flush fail2ban's table).
 */
export function renderFail2banUnitDropIn(): string {
  return ["# Managed by pfv5.", "[Unit]", "After=nftables.service", "PartOf=nftables.service", "ReloadPropagatedFrom=nftables.service", ""].join("\n");
}

/** The log files the CloudWatch agent ships, with the stream suffix of each. */
export const CLOUDWATCH_LOG_FILES: readonly { readonly path: string; readonly stream: string }[] = [
  { path: "/var/log/secure", stream: "secure" },
  { path: "/var/log/messages", stream: "messages" },
  { path: "/var/log/fail2ban.log", stream: "fail2ban" },
  { path: "/var/log/cloud-init-output.log", stream: "cloud-init" },
];

/** Where the CloudWatch agent's configuration is written. */
export const CLOUDWATCH_AGENT_CONFIG_PATH = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";

/**
 * The CloudWatch agent configuration. The agent in the distribution's repository tails
 * files (journald input is not in every released version, and an unknown section stops
 * the agent), so rsyslog writes the journal to /var/log/secure and /var/log/messages.
 * The log group is created by the program with its retention; the agent only writes.
 */
export function renderCloudWatchAgentConfig(logGroupName: string): string {
  const config = {
    agent: { run_as_user: "root", metrics_collection_interval: 60 },
    logs: {
      logs_collected: {
        files: {
          collect_list: CLOUDWATCH_LOG_FILES.map((f) => ({
            file_path: f.path,
            log_group_name: logGroupName,
            log_stream_name: `{instance_id}/${f.stream}`,
            timezone: "UTC",
          })),
        },
      },
    },
    metrics: {
      namespace: "pfv5/Access",
      append_dimensions: { InstanceId: "${aws:InstanceId}" },
      metrics_collected: {
        mem: { measurement: ["mem_used_percent"] },
        disk: { measurement: ["used_percent"], resources: ["/"] },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Kernel settings: no redirects or source routing, SYN cookies, forwarding only for a VPN server. */
export function renderSysctl(forwarding: boolean): string {
  const lines = [
    "# Managed by pfv5.",
    "net.ipv4.conf.all.accept_redirects = 0",
    "net.ipv4.conf.default.accept_redirects = 0",
    "net.ipv6.conf.all.accept_redirects = 0",
    "net.ipv6.conf.default.accept_redirects = 0",
    "net.ipv4.conf.all.send_redirects = 0",
    "net.ipv4.conf.default.send_redirects = 0",
    "net.ipv4.conf.all.accept_source_route = 0",
    "net.ipv4.conf.all.log_martians = 1",
    "net.ipv4.tcp_syncookies = 1",
    `net.ipv4.ip_forward = ${forwarding ? 1 : 0}`,
  ];
  return `${lines.join("\n")}\n`;
}
