/**
 * The resource types the policies read, by type token, with their properties typed from the
 * Kubernetes provider SDK's `Args` (type-only imports: the pack never loads the provider) and,
 * for Istio custom resources, from the zone model's Istio shapes.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DaemonSetArgs } from "@pulumi/kubernetes/apps/v1/daemonSet";
import type { DeploymentArgs } from "@pulumi/kubernetes/apps/v1/deployment";
import type { ReplicaSetArgs } from "@pulumi/kubernetes/apps/v1/replicaSet";
import type { StatefulSetArgs } from "@pulumi/kubernetes/apps/v1/statefulSet";
import type { CronJobArgs } from "@pulumi/kubernetes/batch/v1/cronJob";
import type { JobArgs } from "@pulumi/kubernetes/batch/v1/job";
import type { NamespaceArgs } from "@pulumi/kubernetes/core/v1/namespace";
import type { PodArgs } from "@pulumi/kubernetes/core/v1/pod";
import type { PodTemplateArgs } from "@pulumi/kubernetes/core/v1/podTemplate";
import type { ReplicationControllerArgs } from "@pulumi/kubernetes/core/v1/replicationController";
import type { NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { istio } from "@pfv5/zones";

/** A resource's properties as a policy sees them: plain values, no Inputs or Outputs. */
export type Props<TArgs> = pulumi.Unwrap<NonNullable<TArgs>>;

export const T = {
  namespace: "kubernetes:core/v1:Namespace",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  pod: "kubernetes:core/v1:Pod",
  podTemplate: "kubernetes:core/v1:PodTemplate",
  replicationController: "kubernetes:core/v1:ReplicationController",
  deployment: "kubernetes:apps/v1:Deployment",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  authorizationPolicy: "kubernetes:security.istio.io/v1:AuthorizationPolicy",
  authorizationPolicyBeta: "kubernetes:security.istio.io/v1beta1:AuthorizationPolicy",
  peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
  peerAuthenticationBeta: "kubernetes:security.istio.io/v1beta1:PeerAuthentication",
  requestAuthentication: "kubernetes:security.istio.io/v1:RequestAuthentication",
  requestAuthenticationBeta: "kubernetes:security.istio.io/v1beta1:RequestAuthentication",
} as const;

export type TypeToken = (typeof T)[keyof typeof T];

export const AUTHORIZATION_POLICY_TYPES = [T.authorizationPolicy, T.authorizationPolicyBeta] as const;
export const PEER_AUTHENTICATION_TYPES = [T.peerAuthentication, T.peerAuthenticationBeta] as const;
export const REQUEST_AUTHENTICATION_TYPES = [T.requestAuthentication, T.requestAuthenticationBeta] as const;
/** Every type that carries a pod spec. */
export const WORKLOAD_TYPES = [T.pod, T.podTemplate, T.replicationController, T.deployment, T.daemonSet, T.statefulSet, T.replicaSet, T.job, T.cronJob] as const;

type Metadata = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };

export type MtlsMode = "UNSET" | "DISABLE" | "PERMISSIVE" | "STRICT";
export interface PeerAuthenticationProps extends Metadata {
  spec?: { selector?: { matchLabels?: Record<string, string> }; mtls?: { mode?: MtlsMode }; portLevelMtls?: Record<string, { mode?: MtlsMode }> };
}
export interface RequestAuthenticationProps extends Metadata {
  spec?: { selector?: { matchLabels?: Record<string, string> }; jwtRules?: { issuer?: string; jwksUri?: string; audiences?: string[] }[] };
}
export interface AuthorizationPolicyProps extends Metadata {
  spec?: istio.AuthorizationPolicySpec;
}

export interface PropsByType {
  [T.namespace]: Props<NamespaceArgs>;
  [T.networkPolicy]: Props<NetworkPolicyArgs>;
  [T.pod]: Props<PodArgs>;
  [T.podTemplate]: Props<PodTemplateArgs>;
  [T.replicationController]: Props<ReplicationControllerArgs>;
  [T.deployment]: Props<DeploymentArgs>;
  [T.daemonSet]: Props<DaemonSetArgs>;
  [T.statefulSet]: Props<StatefulSetArgs>;
  [T.replicaSet]: Props<ReplicaSetArgs>;
  [T.job]: Props<JobArgs>;
  [T.cronJob]: Props<CronJobArgs>;
  [T.authorizationPolicy]: AuthorizationPolicyProps;
  [T.authorizationPolicyBeta]: AuthorizationPolicyProps;
  [T.peerAuthentication]: PeerAuthenticationProps;
  [T.peerAuthenticationBeta]: PeerAuthenticationProps;
  [T.requestAuthentication]: RequestAuthenticationProps;
  [T.requestAuthenticationBeta]: RequestAuthenticationProps;
}

export interface Typed {
  readonly type: string;
  readonly props: Record<string, unknown>;
}

/** The properties of `r` typed as one of `types`, or undefined when `r` is another type. */
export function propsOf<K extends TypeToken>(r: Typed, ...types: readonly K[]): PropsByType[K] | undefined {
  return (types as readonly string[]).includes(r.type) ? (r.props as PropsByType[K]) : undefined;
}

/** `NetworkPolicy "default-deny"`: the last part of the type token and the logical name. */
export function label(r: { readonly type: string; readonly name: string }): string {
  return `${r.type.split(":").pop() ?? r.type} "${r.name}"`;
}
