/**
 * The Istio objects of the application namespace: STRICT mTLS mesh-wide and for the
 * namespace, JWT validation of external requests, and one AuthorizationPolicy per workload
 * that names its callers by service-account principal.
 *
 * Every rule keeps its from, to and when together: rules are ORed, so a rule holding only a
 * `from` admits that caller to everything, and one holding only a `to` admits everyone to
 * those paths (the seed's mistake). Callers are told apart by principal, never by
 * `source.labels`, which is not a condition key Istio has.
 */
import { istio, k8s, PORTS } from "@pfv5/zones";
import { EXTERNAL_METHODS, PORT_STRINGS } from "./defaults";
import type { ResolvedClusterSecurity } from "./validate";

export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

export interface PeerAuthenticationObject {
  readonly apiVersion: "security.istio.io/v1beta1";
  readonly kind: "PeerAuthentication";
  readonly metadata: ObjectMeta;
  readonly spec: { mtls: { mode: "STRICT" } };
}

export interface JwtRule {
  issuer: string;
  jwksUri: string;
  audiences: string[];
  forwardOriginalToken: boolean;
}

export interface RequestAuthenticationObject {
  readonly apiVersion: "security.istio.io/v1";
  readonly kind: "RequestAuthentication";
  readonly metadata: ObjectMeta;
  readonly spec: { selector: { matchLabels: Record<string, string> }; jwtRules: JwtRule[] };
}

export type AuthorizationPolicyObject = istio.AuthorizationPolicy & { readonly metadata: ObjectMeta };

export interface IstioPlan {
  readonly peerAuthentications: readonly PeerAuthenticationObject[];
  readonly requestAuthentications: readonly RequestAuthenticationObject[];
  readonly authorizationPolicies: readonly AuthorizationPolicyObject[];
}

/** The mesh principal of every service account the policies name. */
export function principals(r: ResolvedClusterSecurity): Record<"app" | "mca" | "npa" | "wpa" | "ingressController" | "monitoring", string> {
  const sa = r.serviceAccounts;
  const p = (account: string, namespace: string): string => istio.principalFor(account, namespace, r.trustDomain);
  return {
    app: p(sa.app, r.namespaces.app),
    mca: p(sa.mca, r.namespaces.app),
    npa: p(sa.npa, r.namespaces.app),
    wpa: p(sa.wpa, r.namespaces.app),
    ingressController: p(sa.ingressController, r.namespaces.ingress),
    monitoring: p(sa.monitoring, r.namespaces.monitoring),
  };
}

const labelsOf = (role: k8s.KubernetesRole): Record<string, string> => ({ ...(k8s.roleInfo(role).podLabels ?? {}) });

/** Plans every Istio object; empty when the mesh is off. */
export function planIstio(r: ResolvedClusterSecurity): IstioPlan {
  if (!r.mesh || r.jwt === undefined) return { peerAuthentications: [], requestAuthentications: [], authorizationPolicies: [] };
  const meta = (name: string, namespace = r.namespaces.app): ObjectMeta => ({ name, namespace, labels: { ...r.labels } });
  const who = principals(r);
  const agents = [who.mca, who.npa, who.wpa];
  const strict = { mtls: { mode: "STRICT" as const } };
  const peer = (metadata: ObjectMeta): PeerAuthenticationObject => ({ apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", metadata, spec: strict });
  const authz = (name: string, matchLabels: Record<string, string>, spec: Omit<istio.AuthorizationPolicySpec, "selector">): AuthorizationPolicyObject => ({
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: meta(name),
    spec: { selector: { matchLabels }, ...spec },
  });
  const from = (...p: string[]): { source: istio.Source }[] => [{ source: { principals: p } }];

  const peerAuthentications = [...(r.meshWideMtls ? [peer(meta("default", r.namespaces.mesh))] : []), peer(meta("default"))];

  const requestAuthentications: RequestAuthenticationObject[] = [
    {
      apiVersion: "security.istio.io/v1",
      kind: "RequestAuthentication",
      metadata: meta("app-jwt"),
      spec: {
        selector: { matchLabels: labelsOf("app") },
        // The token is passed on because the application reads the caller's claims. Tokens
        // are read from the Authorization header only: query parameters end up in logs.
        jwtRules: [{ issuer: r.jwt.issuer, jwksUri: r.jwt.jwksUri, audiences: [...r.jwt.audiences], forwardOriginalToken: true }],
      },
    },
  ];

  const authorizationPolicies: AuthorizationPolicyObject[] = [
    authz("app-allow", labelsOf("app"), {
      action: "ALLOW",
      rules: [
        { from: from(who.ingressController), to: [{ operation: { methods: ["GET"], paths: [...r.publicPaths], ports: [PORT_STRINGS.app] } }] },
        { from: from(who.monitoring), to: [{ operation: { methods: ["GET"], paths: ["/metrics"], ports: [PORT_STRINGS.metrics] } }] },
      ],
    }),
    // A RequestAuthentication only rejects invalid tokens; a request without one passes.
    // This policy admits external paths only with a token of our issuer (another
    // RequestAuthentication, say mesh-wide, could accept other issuers).
    authz("app-require-jwt", labelsOf("app"), {
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: [who.ingressController], requestPrincipals: ["*"] } }],
          to: [{ operation: { methods: [...EXTERNAL_METHODS], paths: [...r.externalPaths], ports: [PORT_STRINGS.app] } }],
          when: [{ key: "request.auth.claims[iss]", values: [r.jwt.issuer] }],
        },
      ],
    }),
    // The same requirement as a DENY, which no ALLOW policy added later can override.
    authz("app-deny-without-jwt", labelsOf("app"), {
      action: "DENY",
      rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { paths: [...r.externalPaths] } }] }],
    }),
    authz("agents-allow", { ...k8s.AGENT_LABELS }, {
      action: "ALLOW",
      rules: [
        { from: from(who.app), to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/*", "/health"], ports: [PORT_STRINGS.agents] } }] },
        { from: from(who.mca), to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/v1/coordination/*", "/health"], ports: [PORT_STRINGS.agents] } }] },
        { from: from(...agents), to: [{ operation: { methods: ["POST"], paths: ["/api/v1/collaborate/*"], ports: [PORT_STRINGS.agents] } }] },
        // gRPC coordination: every call is a POST on HTTP/2.
        { from: from(...agents), to: [{ operation: { methods: ["POST"], ports: [PORT_STRINGS.coordination] } }] },
        { from: from(who.monitoring), to: [{ operation: { methods: ["GET"], paths: ["/metrics"], ports: [PORT_STRINGS.metrics] } }] },
      ],
    }),
    // Database protocols are plain TCP to the mesh: only principals and ports apply.
    authz("databases-allow", { ...k8s.DATABASE_LABELS }, {
      action: "ALLOW",
      rules: [
        { from: from(who.app, ...agents), to: [{ operation: { ports: [PORTS.postgres, PORTS.redis, PORTS.mongodb].map(String) } }] },
        { from: from(who.monitoring), to: [{ operation: { ports: [PORTS.postgresExporter, PORTS.redisExporter, PORTS.mongodbExporter].map(String) } }] },
      ],
    }),
  ];
  return { peerAuthentications, requestAuthentications, authorizationPolicies };
}
