/**
 * The user data of a planned access host: the plan plus the two things only the
 * component knows, the server's wg-quick file (secret) and the log group.
 */
import { renderCloudInit, type HostOs } from "./cloud-init";
import type { AccessHostPlan } from "./plan";
import { renderServerConfig } from "./wireguard";

export interface UserDataExtras {
  /** The server's wg-quick file; required when the plan has a VPN. */
  readonly serverConfig?: string;
  /** CloudWatch log group for the agent (AWS). */
  readonly logGroupName?: string;
  /** Keep the image's default user (Azure's admin account). */
  readonly defaultUser?: boolean;
  /** Users the cloud creates itself (Azure's admin) and cloud-init must leave out. */
  readonly skipUsers?: readonly string[];
}

/** EC2 refuses user data over 16 KB. */
export const EC2_USER_DATA_LIMIT = 16384;

/** Renders the host's cloud-config. */
export function renderHostUserData(plan: AccessHostPlan, os: HostOs, extras: UserDataExtras): string {
  if (plan.vpn !== undefined && extras.serverConfig === undefined) {
    throw new Error("a VPN host needs its server configuration to render its user data");
  }
  const skip = extras.skipUsers ?? [];
  return renderCloudInit({
    os,
    users: plan.users.filter((u) => !skip.includes(u.name)),
    ...(extras.defaultUser === true ? { defaultUser: true } : {}),
    ssh: plan.ssh,
    sshd: plan.sshd,
    banner: plan.banner,
    nftables: plan.nftables,
    ...(plan.vpn !== undefined && extras.serverConfig !== undefined
      ? { wireguard: { interfaceName: plan.vpn.interfaceName, config: extras.serverConfig } }
      : {}),
    ...(extras.logGroupName !== undefined ? { cloudwatch: { logGroupName: extras.logGroupName } } : {}),
  });
}

/**
 * The size of the user data in bytes, measured before any key exists: a WireGuard key
 * always has 44 characters, so a stand-in of that length gives the exact size.
 */
export function userDataSize(plan: AccessHostPlan, os: HostOs, extras: Omit<UserDataExtras, "serverConfig">): number {
  const standIn = plan.vpn !== undefined ? renderServerConfig(plan.vpn.server, `${"A".repeat(43)}=`) : undefined;
  const text = renderHostUserData(plan, os, { ...extras, ...(standIn !== undefined ? { serverConfig: standIn } : {}) });
  return Buffer.byteLength(text, "utf8");
}
