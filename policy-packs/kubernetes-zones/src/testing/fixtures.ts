/** Small builders the policy specs share. */
import * as kubernetes from "@pulumi/kubernetes";
import type { ResourceValidationArgs } from "@pulumi/policy";
import type { NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Props } from "../lib/types";
import { resourceArgs, type BuildOptions } from "./harness";

export type NetworkPolicySpecProps = NonNullable<Props<NetworkPolicyArgs>["spec"]>;

/** A NetworkPolicy named `name` in `namespace`, as a resource policy receives it. */
export function networkPolicy(name: string, namespace: string, spec: NetworkPolicySpecProps, options: BuildOptions = {}): ResourceValidationArgs {
  return resourceArgs(kubernetes.networking.v1.NetworkPolicy, { metadata: { name, namespace }, spec }, { name, ...options });
}

export const tcp = (port: number, endPort?: number): { protocol: string; port: number; endPort?: number } => ({
  protocol: "TCP",
  port,
  ...(endPort !== undefined ? { endPort } : {}),
});

/** A peer selecting one namespace by the name label the API server sets. */
export const namespacePeer = (name: string): { namespaceSelector: { matchLabels: Record<string, string> } } => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});

/** A resource of a type the NetworkPolicy rules do not read. */
export const aNamespace = (): ResourceValidationArgs => resourceArgs(kubernetes.core.v1.Namespace, { metadata: { name: "app" } });
