/**
 * The user data of a planned access host: the plan plus the two things only the
 * component knows, the server's wg-quick file (secret) and the log group. Also its size
 * against the cloud's limit, with the list that made it too large named.
 */
import type { Problem } from "@pfv5/zones";
import { renderCloudInit, type HostOs } from "./cloud-init";
import { DEFAULT_BANNER } from "./defaults";
import { listKeysOf, planAccessHost, type AccessHostArgs, type AccessHostPlan } from "./plan";
import type { AdminUser } from "./users";
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

/** EC2 refuses user data over 16 KB, counted before base64. */
export const EC2_USER_DATA_LIMIT = 16384;

/**
 * Azure decodes `osProfile.customData` to a file of at most 65535 bytes (the API's
 * limit, "64 KB"); the base64 text it arrives as is a third longer.
 */
export const AZURE_CUSTOM_DATA_LIMIT = 65535;

/** Where the user data goes and how much it may hold. */
export interface UserDataLimit {
  /** Bytes of the rendered text, before base64. */
  readonly bytes: number;
  /** The limit as a user knows it, e.g. `EC2 user data (16 KB before base64)`. */
  readonly name: string;
}

/** The limit {@link AwsBastion} checks its user data against. */
export const EC2_USER_DATA: UserDataLimit = { bytes: EC2_USER_DATA_LIMIT, name: "EC2 user data (16 KB before base64)" };

/** The limit {@link AzureBastion} checks its custom data against. */
export const AZURE_CUSTOM_DATA: UserDataLimit = { bytes: AZURE_CUSTOM_DATA_LIMIT, name: "Azure custom data (64 KB once decoded)" };

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

/** The users with only their first `count` keys, in order; users left with none are dropped. */
function firstKeys(users: readonly AdminUser[], count: number): AdminUser[] {
  let left = count;
  const kept: AdminUser[] = [];
  for (const u of users) {
    const keys = u.publicKeys.slice(0, Math.max(0, left));
    left -= keys.length;
    if (keys.length > 0) kept.push({ ...u, publicKeys: keys });
  }
  return kept;
}

/** The largest n in [0, total) for which `fits(n)` holds, given fits(0) and not fits(total). */
function largestFitting(total: number, fits: (n: number) => boolean): number {
  let [lo, hi] = [0, total];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

interface Contributor {
  readonly key: string;
  readonly value: string;
  readonly what: string;
  /** Who takes the bytes, e.g. `the peers take`. */
  readonly share: string;
  /** Bytes this input adds over its empty (or default) form. */
  readonly bytes: number;
  /** The args with this input at its first `n` units, and how many units there are. */
  readonly shrink?: { readonly total: number; readonly unit: string; readonly to: (n: number) => AccessHostArgs; readonly advice: string };
  /** The args with this input emptied (or back to its default). */
  readonly without: AccessHostArgs;
}

/**
 * Problems with the size of the user data of arguments that passed validation: none when
 * it fits, else one under the key of the input that made it large (the peer list, the
 * user list or the banner), saying how much fits. `measure` renders the plan as the
 * component does (OS, log group, users the cloud creates itself).
 */
export function checkUserDataSize(args: AccessHostArgs, measure: (plan: AccessHostPlan) => number, limit: UserDataLimit): Problem[] {
  const sizeOf = (a: AccessHostArgs): number => measure(planAccessHost(a));
  const size = sizeOf(args);
  if (size <= limit.bytes) return [];
  const keys = listKeysOf(args);
  const users = args.users ?? [];
  const keyCount = users.reduce((n, u) => n + u.publicKeys.length, 0);
  const withKeys = (n: number): AccessHostArgs => ({ ...args, users: firstKeys(users, n) });
  const candidates: Contributor[] = [];
  const { vpn } = args;
  if (vpn !== undefined) {
    const withPeers = (n: number): AccessHostArgs => ({ ...args, vpn: { ...vpn, peers: vpn.peers.slice(0, n) } });
    const without = withPeers(0);
    candidates.push({
      key: keys.peers,
      value: `${vpn.peers.length} peers`,
      what: "peer list",
      share: "the peers take",
      bytes: size - sizeOf(without),
      without,
      shrink: { total: vpn.peers.length, unit: "peers", to: withPeers, advice: "list fewer, or spread them over more VPN hosts" },
    });
  }
  const noKeys = withKeys(0);
  candidates.push({
    key: keys.users,
    value: `${users.length} users, ${keyCount} keys`,
    what: "user list",
    share: "the users and their keys take",
    bytes: size - sizeOf(noKeys),
    without: noKeys,
    shrink: { total: keyCount, unit: "keys", to: withKeys, advice: "list fewer users, or fewer keys per user" },
  });
  if (args.banner !== undefined) {
    const without = { ...args, banner: DEFAULT_BANNER };
    candidates.push({ key: "banner", value: `${args.banner.length} characters`, what: "banner", share: "the banner takes", bytes: size - sizeOf(without), without });
  }
  candidates.sort((a, b) => b.bytes - a.bytes);
  const [top, next] = candidates;
  if (top === undefined) return [];
  const over = `the ${top.what} makes the user data ${size} bytes (${top.share} ${top.bytes} of them), over the ${limit.bytes}-byte limit of ${limit.name}`;
  const rest = sizeOf(top.without);
  let fix: string;
  if (rest > limit.bytes) {
    fix = `even without it the user data is ${rest} bytes, so shorten ${next !== undefined ? `${next.key} (${next.value})` : "the other inputs"} as well`;
  } else if (top.shrink !== undefined) {
    const { shrink } = top;
    const fit = largestFitting(shrink.total, (n) => sizeOf(shrink.to(n)) <= limit.bytes);
    fix = `at most ${fit} of the ${shrink.total} ${shrink.unit} fit on one host; ${shrink.advice}`;
  } else {
    fix = `shorten it by at least ${size - limit.bytes} bytes`;
  }
  return [{ key: top.key, value: top.value, message: `${over}: ${fix}` }];
}
