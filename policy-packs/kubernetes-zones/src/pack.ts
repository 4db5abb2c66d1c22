/**
 * The pack's contents, importable without starting it: the policies in registry order, their
 * documentation, the pack's name and defaults. `index.ts` serves them to the engine; tests and
 * the offline preview read them from here.
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, type PackPolicy, type PolicyDoc } from "./lib/policy";
import * as registry from "./policies";

export type { PackPolicy, PolicyDoc } from "./lib/policy";
export { formatFinding } from "./lib/policy";
export { CONFIG_SCHEMA, DEFAULT_CONFIG, type ConfigKey, type PackConfig } from "./lib/config";

/** The pack's name as the engine reports it. */
export const PACK_NAME = "kubernetes-zones";

/** Every policy, in registry order. */
export const POLICIES: readonly PackPolicy[] = Object.values(registry);

export const POLICY_DOCS: readonly PolicyDoc[] = POLICIES.map((p) => p.doc);

export const PACK_ARGS: PolicyPackArgs = {
  description: "Kubernetes and Istio zone rules, from the pfv5 zone model.",
  enforcementLevel: DEFAULT_ENFORCEMENT,
  policies: POLICIES.map((p) => p.policy),
};
