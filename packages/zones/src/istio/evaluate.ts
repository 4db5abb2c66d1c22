/**
 * Istio AuthorizationPolicy semantics as a pure function, after
 * https://istio.io/latest/docs/concepts/security/#authorization-policies and
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/:
 *
 * 1. CUSTOM policies that match are asked first; a denial there ends it (this evaluator
 *    treats a matching CUSTOM policy as a denial unless told the authorizer allows).
 * 2. Any matching DENY policy denies.
 * 3. With no ALLOW policy for the workload, the request is allowed.
 * 4. Any matching ALLOW policy allows; otherwise the request is denied.
 *
 * A policy applies to a workload when it lives in the root namespace or the workload's, and
 * its selector (absent = all) matches the workload's labels. A policy matches when one of its
 * rules does (rules are ORed); a rule matches when from, to and when all do (ANDed); in from
 * and to any entry may match (ORed); inside one source or operation every field must
 * (ANDed). AUDIT policies never change the decision.
 */
import { throwIfProblems } from "../problems";
import type { ValueMatcher } from "./match";
import { exactMatcher, fieldMatches, hostMatcher, ipMatcher, stringMatcher } from "./match";
import type { AuthorizationDecision, AuthorizationPolicy, Condition, IstioRequest, Operation, Rule, Source, Workload } from "./types";
import { authorizationPolicyProblems } from "./validate";

export const DEFAULT_ROOT_NAMESPACE = "istio-system";
export const DEFAULT_TRUST_DOMAIN = "cluster.local";

/** The mTLS principal of a service account, as AuthorizationPolicies write it. */
export function principalFor(serviceAccount: string, namespace: string, trustDomain = DEFAULT_TRUST_DOMAIN): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

function sourceNamespace(r: IstioRequest): string | undefined {
  if (r.namespace !== undefined) return r.namespace;
  return r.principal !== undefined ? /\/ns\/([^/]+)\/sa\//.exec(r.principal)?.[1] : undefined;
}

const one = (v: string | undefined): string[] => (v === undefined || v === "" ? [] : [v]);

function sourceMatches(s: Source, r: IstioRequest): boolean {
  return (
    fieldMatches(s.principals, s.notPrincipals, one(r.principal), stringMatcher) &&
    fieldMatches(s.requestPrincipals, s.notRequestPrincipals, one(r.requestPrincipal), stringMatcher) &&
    fieldMatches(s.namespaces, s.notNamespaces, one(sourceNamespace(r)), stringMatcher) &&
    fieldMatches(s.ipBlocks, s.notIpBlocks, one(r.sourceIp), ipMatcher) &&
    fieldMatches(s.remoteIpBlocks, s.notRemoteIpBlocks, one(r.remoteIp ?? r.sourceIp), ipMatcher)
  );
}

function operationMatches(o: Operation, r: IstioRequest): boolean {
  return (
    fieldMatches(o.hosts, o.notHosts, one(r.host), hostMatcher) &&
    fieldMatches(o.ports, o.notPorts, one(r.port === undefined ? undefined : String(r.port)), exactMatcher) &&
    fieldMatches(o.methods, o.notMethods, one(r.method), stringMatcher) &&
    fieldMatches(o.paths, o.notPaths, one(r.path), stringMatcher)
  );
}

function claimValues(claims: Readonly<Record<string, unknown>> | undefined, path: readonly string[]): string[] {
  let v: unknown = claims;
  for (const p of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
    v = (v as Record<string, unknown>)[p];
  }
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

function header(r: IstioRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const hit = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === wanted);
  return hit?.[1];
}

/** The values of a condition key in a request, and how to compare them. */
function attribute(key: string, r: IstioRequest): { values: string[]; match: ValueMatcher } {
  const headerKey = /^request\.headers\[([^\]]+)\]$/.exec(key);
  if (headerKey?.[1] !== undefined) return { values: one(header(r, headerKey[1])), match: stringMatcher };
  if (key.startsWith("request.auth.claims[")) {
    const path = [...key.slice("request.auth.claims".length).matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] ?? "");
    return { values: claimValues(r.claims, path), match: stringMatcher };
  }
  switch (key) {
    case "source.ip":
      return { values: one(r.sourceIp), match: ipMatcher };
    case "remote.ip":
      return { values: one(r.remoteIp ?? r.sourceIp), match: ipMatcher };
    case "destination.ip":
      return { values: one(r.destinationIp), match: ipMatcher };
    case "source.namespace":
      return { values: one(sourceNamespace(r)), match: stringMatcher };
    case "source.principal":
      return { values: one(r.principal), match: stringMatcher };
    case "request.auth.principal":
      return { values: one(r.requestPrincipal), match: stringMatcher };
    case "request.auth.audiences":
      return { values: [...(r.audiences ?? [])], match: stringMatcher };
    case "request.auth.presenter":
      return { values: one(r.presenter), match: stringMatcher };
    case "destination.port":
      return { values: one(r.port === undefined ? undefined : String(r.port)), match: exactMatcher };
    case "connection.sni":
      return { values: one(r.sni), match: stringMatcher };
    default:
      throw new Error(`condition key "${key}" is valid in Istio but this evaluator cannot judge it: leave it out of evaluated policies`);
  }
}

function conditionMatches(c: Condition, r: IstioRequest): boolean {
  const { values, match } = attribute(c.key, r);
  return fieldMatches(c.values, c.notValues, values, match);
}

/** Whether a rule matches: from, to and when all match (each absent part matches all). */
export function ruleMatches(rule: Rule, r: IstioRequest): boolean {
  const from = rule.from ?? [];
  const to = rule.to ?? [];
  return (
    (from.length === 0 || from.some((f) => sourceMatches(f.source ?? {}, r))) &&
    (to.length === 0 || to.some((t) => operationMatches(t.operation ?? {}, r))) &&
    (rule.when ?? []).every((c) => conditionMatches(c, r))
  );
}

/** Whether some rule of the policy matches; a policy without rules matches nothing. */
export function policyMatches(policy: AuthorizationPolicy, r: IstioRequest): boolean {
  return (policy.spec.rules ?? []).some((rule) => ruleMatches(rule, r));
}

/** Whether the policy applies to the workload. */
export function policyApplies(policy: AuthorizationPolicy, workload: Workload, rootNamespace = DEFAULT_ROOT_NAMESPACE): boolean {
  const ns = policy.metadata.namespace;
  if (ns !== rootNamespace && ns !== workload.namespace) return false;
  return Object.entries(policy.spec.selector?.matchLabels ?? {}).every(([k, v]) => workload.labels?.[k] === v);
}

export interface AuthorizationOptions {
  /** @default "istio-system" */
  readonly rootNamespace?: string;
  /**
   * What the external authorizer answers when a CUSTOM policy matches. "deny" (the
   * default) judges the worst case; "allow" goes on with DENY and ALLOW policies.
   */
  readonly customAnswer?: "deny" | "allow";
}

const id = (p: AuthorizationPolicy): string => `${p.metadata.namespace}/${p.metadata.name}`;

export class AuthorizationEvaluator {
  private readonly policies: readonly AuthorizationPolicy[];
  private readonly rootNamespace: string;
  private readonly customAnswer: "deny" | "allow";

  /** Validates every policy first and throws one error listing every problem. */
  constructor(policies: readonly AuthorizationPolicy[], options: AuthorizationOptions = {}) {
    throwIfProblems(
      "AuthorizationPolicy evaluator",
      policies.flatMap((p, i) => authorizationPolicyProblems(`policies[${i}] (${id(p)})`, p)),
    );
    this.policies = policies;
    this.rootNamespace = options.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
    this.customAnswer = options.customAnswer ?? "deny";
  }

  decide(workload: Workload, request: IstioRequest): AuthorizationDecision {
    const applying = this.policies.filter((p) => policyApplies(p, workload, this.rootNamespace));
    const of = (action: string): AuthorizationPolicy[] => applying.filter((p) => (p.spec.action ?? "ALLOW") === action);
    const custom = of("CUSTOM").filter((p) => policyMatches(p, request)).map(id);
    const audited = of("AUDIT").filter((p) => policyMatches(p, request)).map(id);
    const base = { custom, audited };
    if (custom.length > 0 && this.customAnswer === "deny") {
      return { ...base, allowed: false, policy: custom[0], reason: `denied by the external authorizer of CUSTOM policy ${custom[0]}` };
    }
    const deny = of("DENY").find((p) => policyMatches(p, request));
    if (deny !== undefined) return { ...base, allowed: false, policy: id(deny), reason: `denied by DENY policy ${id(deny)}` };
    const allowPolicies = of("ALLOW");
    if (allowPolicies.length === 0) return { ...base, allowed: true, reason: "allowed: no ALLOW policy applies to the workload" };
    const allow = allowPolicies.find((p) => policyMatches(p, request));
    if (allow !== undefined) return { ...base, allowed: true, policy: id(allow), reason: `allowed by ALLOW policy ${id(allow)}` };
    return { ...base, allowed: false, reason: `denied: ALLOW policies apply (${allowPolicies.map(id).join(", ")}) and none matches` };
  }
}

/** One-shot form of {@link AuthorizationEvaluator.decide}. */
export function authorize(
  policies: readonly AuthorizationPolicy[],
  workload: Workload,
  request: IstioRequest,
  options: AuthorizationOptions = {},
): AuthorizationDecision {
  return new AuthorizationEvaluator(policies, options).decide(workload, request);
}
