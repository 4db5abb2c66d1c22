/**
 * Defaults of the access hosts (bastion and WireGuard server), named once and used in both
 * the docs and the code.
 */
import { PORTS, VPC_DNS_RESOLVER, VPN_CIDR, VPN_SERVER_ADDRESS } from "@pfv5/zones";

/** @default "t3.micro": x86_64, to match the AL2023 x86_64 AMI filter below. */
export const DEFAULT_INSTANCE_TYPE = "t3.micro";

/** Owner of the Amazon Linux 2023 images. */
export const AL2023_AMI_OWNER = "amazon";

/** Name filter of the Amazon Linux 2023 x86_64 images (not the minimal ones). */
export const AL2023_AMI_NAME_FILTER = "al2023-ami-2023.*-x86_64";

/** @default 30 days of host logs in CloudWatch. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** @default 8 GiB, the size of the AL2023 image snapshot. */
export const DEFAULT_ROOT_VOLUME_GIB = 8;

/**
 * IMDSv2 hop limit. One hop means only processes on the host itself get a token; a
 * container behind a bridge (a second hop) cannot reach the instance role.
 * @default 1
 */
export const DEFAULT_METADATA_HOP_LIMIT = 1;

/** @default "wg0" */
export const DEFAULT_WIREGUARD_INTERFACE = "wg0";

/** @default 51820, the WireGuard port of the zone model. */
export const DEFAULT_WIREGUARD_PORT: number = PORTS.wireguard;

/** @default "10.100.0.0/24", the VPN client range of the zone model. */
export const DEFAULT_VPN_CIDR = VPN_CIDR;

/** @default "10.100.0.1", the first host address of the VPN range. */
export const DEFAULT_VPN_SERVER_ADDRESS = VPN_SERVER_ADDRESS;

/** @default ["10.0.0.2"], the VPC resolver handed to VPN clients. */
export const DEFAULT_VPN_DNS: readonly string[] = [VPC_DNS_RESOLVER];

/** Keeps NAT mappings on the client's side alive. @default 25 seconds */
export const DEFAULT_PERSISTENT_KEEPALIVE = 25;

/**
 * New SSH connections one source may open per minute before the host firewall drops
 * the rest (fail2ban bans repeat offenders on top of this). @default 4
 */
export const DEFAULT_SSH_NEW_CONNECTIONS_PER_MINUTE = 4;

/** How many new SSH connections one source may open at once before the rate applies. @default 4 */
export const DEFAULT_SSH_BURST = 4;

/** Drop log lines per minute, so a scan cannot flood the journal. @default 10 */
export const DEFAULT_DROP_LOG_PER_MINUTE = 10;

/** fail2ban: ban for an hour after three failures within ten minutes. */
export const FAIL2BAN_DEFAULTS = { bantime: 3600, findtime: 600, maxretry: 3 } as const;

/** sshd: authentication attempts per connection. @default 3 */
export const DEFAULT_SSH_MAX_AUTH_TRIES = 3;

/** sshd: seconds between keepalive probes to an idle client. @default 300 */
export const DEFAULT_SSH_CLIENT_ALIVE_INTERVAL = 300;

/** sshd: unanswered probes before the session is closed. @default 2 */
export const DEFAULT_SSH_CLIENT_ALIVE_COUNT_MAX = 2;

/** sshd: seconds allowed to authenticate. @default 30 */
export const DEFAULT_SSH_LOGIN_GRACE_TIME = 30;

/** Where the login banner is written. */
export const BANNER_PATH = "/etc/ssh/pfv5-banner";

/** The sshd drop-in. sshd keeps the first value it reads, and 50-pfv5 sorts before AL2023's 50-redhat. */
export const SSHD_DROP_IN_PATH = "/etc/ssh/sshd_config.d/50-pfv5.conf";

/** @default the warning the architecture asks for. */
export const DEFAULT_BANNER =
  "WARNING: Authorized access only. All activity is monitored and logged.\n" +
  "Disconnect now if you are not an authorized user.\n";

/** The nftables table every rule lives in; reloading replaces only this table. */
export const NFT_TABLE = "pfv5";
