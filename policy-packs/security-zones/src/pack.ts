/**
 * The pack's contents, importable without starting it: the policies in registry order, their
 * documentation, and the pack's name and defaults. `index.ts` serves them to the engine;
 * tests, the catalogue and the offline preview read them from here.
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, type PolicyDoc, type ZonePolicy } from "./lib/policy";
import * as registry from "./policies";

export type { PolicyDoc, ZonePolicy } from "./lib/policy";
export { formatFinding } from "./lib/policy";
export { ROLE_TAG, TIER_TAG, GROUP_ROLES } from "./lib/targets";
export { SITE_SCHEMA, DEFAULT_ADMIN_CIDRS, DEFAULT_VPC_CIDR, DEFAULT_VPN_CIDR, type SiteKey } from "./lib/config";

/** The pack's name as the engine reports it. */
export const PACK_NAME = "security-zones";

/**
 * Every policy, sorted by name: a module namespace lists its exports in an order that
 * differs between loaders, and the catalogue and the analyzer's answers should not.
 */
export const POLICIES: readonly ZonePolicy[] = Object.values(registry).sort((a, b) => a.doc.name.localeCompare(b.doc.name));

/** The documentation of every policy (the catalogue's source). */
export const POLICY_DOCS: readonly PolicyDoc[] = POLICIES.map((p) => p.doc);

export const PACK_ARGS: PolicyPackArgs = {
  description: "Security-zone rules for AWS and Azure networks, from the pfv5 zone model.",
  enforcementLevel: DEFAULT_ENFORCEMENT,
  policies: POLICIES.map((p) => p.policy),
};
