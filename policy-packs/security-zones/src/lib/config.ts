/**
 * Site values every deployment sets for itself, read from the policy config. Each policy
 * that uses one declares it in its config schema (CrossGuard config is per policy), with
 * the architecture's defaults; the pack applies the same defaults when the engine sends
 * none, so both paths agree.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { AWS_ADDRESS_PLAN, VPN_CIDR, checkAdminCidrs, checkCidr, formatProblem, parseCidr, type Problem } from "@pfv5/zones";
import type { Site } from "./addresses";

export type SiteKey = "adminCidrs" | "vpcCidr" | "vpnCidr";

/** Authorized administrator CIDRs by default: none, so SSH from the internet is never allowed. */
export const DEFAULT_ADMIN_CIDRS: readonly string[] = [];
export const DEFAULT_VPC_CIDR = AWS_ADDRESS_PLAN.cidr;
export const DEFAULT_VPN_CIDR = VPN_CIDR;

export const SITE_SCHEMA: Readonly<Record<SiteKey, PolicyConfigJSONSchema>> = {
  adminCidrs: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_ADMIN_CIDRS],
    description:
      "The authorized administrator CIDRs (the stack's pfv5:sshAllowedCidrs): the only internet sources allowed to reach the bastion, on tcp 22 only.",
  },
  vpcCidr: {
    type: "string",
    default: DEFAULT_VPC_CIDR,
    description: "The VPC or VNet block. Data-tier egress must stay inside it; sources inside it are never the internet.",
  },
  vpnCidr: {
    type: "string",
    default: DEFAULT_VPN_CIDR,
    description: "The WireGuard client range. It counts as inside the site, like the VPC block.",
  },
};

/** The config schema of a policy that reads `keys`. */
export function siteSchema(keys: readonly SiteKey[]): PolicyConfigSchema {
  return { properties: Object.fromEntries(keys.map((k) => [k, SITE_SCHEMA[k]])) };
}

export interface SiteReading {
  readonly site: Site;
  /** Problems with the config; bad entries are left out of `site`. */
  readonly problems: readonly Problem[];
}

/** Reads and checks the site values, falling back to the defaults for anything unset. */
export function readSite(config: Readonly<Record<string, unknown>>): SiteReading {
  const problems: Problem[] = [];
  const adminRaw: unknown = config["adminCidrs"] ?? DEFAULT_ADMIN_CIDRS;
  const adminProblems = checkAdminCidrs("adminCidrs", adminRaw);
  problems.push(...adminProblems);
  const adminCidrs = Array.isArray(adminRaw)
    ? adminRaw.flatMap((v: unknown, i) =>
        typeof v === "string" && !adminProblems.some((p) => p.key === `adminCidrs[${i}]`) ? [parseCidr(v)] : [],
      )
    : [];
  const block = (key: "vpcCidr" | "vpnCidr", fallback: string) => {
    const raw: unknown = config[key] ?? fallback;
    const bad = checkCidr(key, raw);
    problems.push(...bad);
    return bad.length === 0 && typeof raw === "string" ? parseCidr(raw) : parseCidr(fallback);
  };
  const vpcCidr = block("vpcCidr", DEFAULT_VPC_CIDR);
  const vpnCidr = block("vpnCidr", DEFAULT_VPN_CIDR);
  return { site: { adminCidrs, vpcCidr, vpnCidr }, problems };
}

/** A config problem as a violation message. */
export function describeConfigProblem(p: Problem): string {
  return `policy config ${formatProblem(p)}`;
}
