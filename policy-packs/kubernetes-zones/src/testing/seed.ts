/**
 * The Kubernetes and Istio objects of the architecture's original YAML (the "Kubernetes
 * Network Security", "Service Mesh Security with Istio" and "Network Monitoring" listings),
 * translated as written, defects included, so the tests can show the pack rejects them.
 */
import * as kubernetes from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import type { NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { T, type AuthorizationPolicyProps, type Props, type RequestAuthenticationProps } from "../lib/types";
import { StackBuilder } from "./harness";

const NS = "progressive-framework-prod";
const tcp = (port: number): { protocol: string; port: number } => ({ protocol: "TCP", port });

/** The seed's Istio AuthorizationPolicies: from and to split into separate rules, source.labels conditions. */
export const SEED_APP_AUTHZ: AuthorizationPolicyProps = {
  apiVersion: "security.istio.io/v1beta1",
  kind: "AuthorizationPolicy",
  metadata: { name: "progressive-framework-authz", namespace: NS },
  spec: {
    selector: { matchLabels: { app: "progressive-framework-v5" } },
    rules: [
      { from: [{ source: { principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"] } }] },
      { to: [{ operation: { methods: ["GET", "POST", "PUT", "DELETE"], paths: ["/api/*", "/health"] } }] },
    ],
  },
};

export const SEED_AGENT_AUTHZ: AuthorizationPolicyProps = {
  apiVersion: "security.istio.io/v1beta1",
  kind: "AuthorizationPolicy",
  metadata: { name: "agent-authorization-policy", namespace: NS },
  spec: {
    selector: { matchLabels: { tier: "agents" } },
    rules: [
      { from: [{ source: { principals: [`cluster.local/ns/${NS}/sa/progressive-app-sa`] } }] },
      { to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/*", "/health"] } }] },
      { from: [{ source: { principals: [`cluster.local/ns/${NS}/sa/agent-sa`] } }], when: [{ key: "source.labels[app]", values: ["mca"] }] },
      { to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/coordination/*", "/health"] } }] },
      { from: [{ source: { principals: [`cluster.local/ns/${NS}/sa/agent-sa`] } }], when: [{ key: "source.labels[tier]", values: ["agents"] }] },
      { to: [{ operation: { methods: ["POST"], paths: ["/api/v1/collaborate/*"] } }] },
    ],
  },
};

export const SEED_REQUEST_AUTHN: RequestAuthenticationProps = {
  apiVersion: "security.istio.io/v1beta1",
  kind: "RequestAuthentication",
  metadata: { name: "progressive-jwt-auth", namespace: NS },
  spec: {
    selector: { matchLabels: { app: "progressive-framework-v5" } },
    jwtRules: [{ issuer: "https://your-domain.com/auth", jwksUri: "https://your-domain.com/auth/.well-known/jwks.json", audiences: ["progressive-framework-v5"] }],
  },
};

/** The seed's agent NetworkPolicy: its database egress rule has `to: []`. */
export const SEED_AGENT_POLICY: Props<NetworkPolicyArgs> = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "agent-communication-policy", namespace: NS },
  spec: {
    podSelector: { matchLabels: { tier: "agents" } },
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: "progressive-framework-v5" } } }], ports: [tcp(8000)] },
      { from: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(8000), tcp(9000)] },
    ],
    egress: [
      { to: [], ports: [tcp(5432), tcp(6379), tcp(27017)] },
      { to: [], ports: [{ protocol: "UDP", port: 53 }] },
      { to: [{ podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(8000), tcp(9000)] },
    ],
  },
};

/** Every seed object of the listed sections, as one stack. */
export function seedStack(): readonly PolicyResource[] {
  const s = new StackBuilder();
  s.add(kubernetes.networking.v1.NetworkPolicy, "default-deny-all", {
    metadata: { name: "default-deny-all", namespace: NS },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  s.add(kubernetes.networking.v1.NetworkPolicy, "allow-ingress-to-app", {
    metadata: { name: "allow-ingress-to-app", namespace: NS },
    spec: {
      podSelector: { matchLabels: { app: "progressive-framework-v5" } },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { name: "ingress-nginx" } } }], ports: [tcp(3000)] },
        { from: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }], ports: [tcp(9090)] },
      ],
    },
  });
  s.add(kubernetes.networking.v1.NetworkPolicy, "agent-communication-policy", SEED_AGENT_POLICY);
  s.add(kubernetes.networking.v1.NetworkPolicy, "database-access-policy", {
    metadata: { name: "database-access-policy", namespace: NS },
    spec: {
      podSelector: { matchLabels: { tier: "database" } },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: "progressive-framework-v5" } } }, { podSelector: { matchLabels: { tier: "agents" } } }], ports: [tcp(5432), tcp(6379), tcp(27017)] },
        { from: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }], ports: [tcp(9187), tcp(9121), tcp(9216)] },
      ],
    },
  });
  s.add(T.peerAuthenticationBeta, "default", { metadata: { name: "default", namespace: NS }, spec: { mtls: { mode: "STRICT" } } });
  s.add(T.peerAuthenticationBeta, "namespace-policy", { metadata: { name: "namespace-policy", namespace: NS }, spec: { mtls: { mode: "STRICT" } } });
  s.add(T.authorizationPolicyBeta, "progressive-framework-authz", SEED_APP_AUTHZ);
  s.add(T.authorizationPolicyBeta, "agent-authorization-policy", SEED_AGENT_AUTHZ);
  s.add(T.requestAuthenticationBeta, "progressive-jwt-auth", SEED_REQUEST_AUTHN);
  s.add(kubernetes.apps.v1.DaemonSet, "network-monitor", {
    metadata: { name: "network-monitor", namespace: "monitoring" },
    spec: {
      selector: { matchLabels: { app: "network-monitor" } },
      template: {
        metadata: { labels: { app: "network-monitor" } },
        spec: {
          hostNetwork: true,
          hostPID: true,
          containers: [
            { name: "node-exporter", image: "prom/node-exporter:v1.6.0", ports: [{ name: "metrics", containerPort: 9100 }] },
            { name: "netdata", image: "netdata/netdata:v1.40.1", ports: [{ name: "http", containerPort: 19999 }] },
          ],
        },
      },
    },
  });
  s.add(kubernetes.apps.v1.Deployment, "falco", {
    metadata: { name: "falco", namespace: "monitoring" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "falco" } },
      template: {
        metadata: { labels: { app: "falco" } },
        spec: {
          serviceAccount: "falco",
          hostNetwork: true,
          dnsPolicy: "ClusterFirstWithHostNet",
          containers: [{ name: "falco", image: "falcosecurity/falco-no-driver:0.35.1", args: ["/usr/bin/falco", "-M 45", "--disable-source=k8s_audit"] }],
        },
      },
    },
  });
  return s.resources;
}
