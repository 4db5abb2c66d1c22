/**
 * The cluster values a deployment may set for itself through the policy config. Each policy
 * that reads one declares it in its config schema, with the architecture's default; the
 * pack applies the same defaults when the engine sends none.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { formatProblem, k8s, type Problem } from "@pfv5/zones";

export type ConfigKey = "ingressNamespaces" | "rootNamespace";

export interface PackConfig {
  /** Namespaces of ingress controllers: the only ones that may accept traffic from anywhere. */
  readonly ingressNamespaces: readonly string[];
  /** The Istio root namespace: its policies apply mesh-wide. */
  readonly rootNamespace: string;
}

export const DEFAULT_CONFIG: PackConfig = {
  ingressNamespaces: [k8s.DEFAULT_KUBERNETES_NAMESPACES.ingress],
  rootNamespace: k8s.DEFAULT_KUBERNETES_NAMESPACES.mesh,
};

export const CONFIG_SCHEMA: Readonly<Record<ConfigKey, PolicyConfigJSONSchema>> = {
  ingressNamespaces: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_CONFIG.ingressNamespaces],
    description: "Namespaces of ingress controllers, which receive traffic from the internet; every other namespace must name its peers.",
  },
  rootNamespace: {
    type: "string",
    default: DEFAULT_CONFIG.rootNamespace,
    description: "The Istio root namespace (meshConfig.rootNamespace); its policies apply to every workload of the mesh.",
  },
};

export function configSchema(keys: readonly ConfigKey[]): PolicyConfigSchema {
  return { properties: Object.fromEntries(keys.map((k) => [k, CONFIG_SCHEMA[k]])) };
}

export interface ConfigReading {
  readonly config: PackConfig;
  readonly problems: readonly Problem[];
}

/** Reads the config, falling back to the defaults for anything unset or malformed. */
export function readConfig(raw: Readonly<Record<string, unknown>>): ConfigReading {
  const problems: Problem[] = [];
  let ingressNamespaces = DEFAULT_CONFIG.ingressNamespaces;
  const ing = raw["ingressNamespaces"];
  if (ing !== undefined) {
    if (Array.isArray(ing) && ing.every((v) => typeof v === "string")) ingressNamespaces = ing;
    else problems.push({ key: "ingressNamespaces", value: ing, message: 'expected a list of namespace names, e.g. ["ingress-nginx"]' });
  }
  let rootNamespace = DEFAULT_CONFIG.rootNamespace;
  const root = raw["rootNamespace"];
  if (root !== undefined) {
    if (typeof root === "string" && root !== "") rootNamespace = root;
    else problems.push({ key: "rootNamespace", value: root, message: 'expected a namespace name, e.g. "istio-system"' });
  }
  return { config: { ingressNamespaces, rootNamespace }, problems };
}

export function describeConfigProblem(p: Problem): string {
  return `policy config ${formatProblem(p)}`;
}
