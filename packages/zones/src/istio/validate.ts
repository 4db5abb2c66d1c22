/**
 * What istiod's validation rejects in an AuthorizationPolicy, so the evaluator never judges
 * an object the mesh would not accept. Condition keys follow
 * https://istio.io/latest/docs/reference/config/security/conditions/: `source.labels`, for
 * one, is not among them.
 */
import type { Problem } from "../problems";
import { isIpOrCidr } from "./match";
import type { AuthorizationPolicy, Operation, Source } from "./types";

const EXACT_KEYS = [
  "source.ip",
  "remote.ip",
  "source.namespace",
  "source.principal",
  "request.auth.principal",
  "request.auth.audiences",
  "request.auth.presenter",
  "destination.ip",
  "destination.port",
  "connection.sni",
] as const;

/** The condition keys Istio supports, for messages. */
export const SUPPORTED_CONDITION_KEYS: readonly string[] = [
  "request.headers[<name>]",
  ...EXACT_KEYS,
  "request.auth.claims[<name>]",
  "experimental.envoy.filters.*",
];

/** Whether istiod accepts `key` in a `when` condition. */
export function isSupportedConditionKey(key: string): boolean {
  if ((EXACT_KEYS as readonly string[]).includes(key)) return true;
  if (/^request\.headers\[[^\]]+\]$/.test(key)) return true;
  if (/^request\.auth\.claims(\[[^\]]+\])+$/.test(key)) return true;
  return key.startsWith("experimental.envoy.filters.");
}

const IP_FIELDS = ["ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"] as const;
const PORT = /^\d{1,5}$/;

function emptyValues(key: string, obj: Source | Operation): Problem[] {
  return Object.entries(obj).flatMap(([field, list]) =>
    Array.isArray(list) && list.some((v) => typeof v !== "string" || v === "")
      ? [{ key: `${key}.${field}`, value: list, message: "empty values are rejected: remove the empty entry" }]
      : [],
  );
}

/** Every problem with one policy; keys start with `key`. */
export function authorizationPolicyProblems(key: string, policy: AuthorizationPolicy): Problem[] {
  const problems: Problem[] = [];
  const spec = policy.spec ?? {};
  const action = spec.action ?? "ALLOW";
  if (!["ALLOW", "DENY", "AUDIT", "CUSTOM"].includes(action)) {
    problems.push({ key: `${key}.spec.action`, value: action, message: "use ALLOW, DENY, AUDIT or CUSTOM" });
  }
  if (action === "CUSTOM" && (spec.provider?.name ?? "") === "") {
    problems.push({ key: `${key}.spec.provider`, value: spec.provider ?? null, message: "a CUSTOM policy names its extension provider: set provider.name" });
  }
  if (action !== "CUSTOM" && spec.provider !== undefined) {
    problems.push({ key: `${key}.spec.provider`, value: spec.provider, message: `only CUSTOM policies take a provider; remove it or set action to CUSTOM (got ${action})` });
  }
  (spec.rules ?? []).forEach((rule, i) => {
    const rk = `${key}.spec.rules[${i}]`;
    (rule.from ?? []).forEach((f, j) => {
      const k = `${rk}.from[${j}].source`;
      if (f.source === undefined || Object.keys(f.source).length === 0) {
        problems.push({ key: k, value: f.source ?? null, message: "a from entry needs a non-empty source: drop the entry to match every source" });
        return;
      }
      problems.push(...emptyValues(k, f.source));
      for (const field of IP_FIELDS) {
        (f.source[field] ?? []).forEach((b, n) => {
          if (b !== "" && !isIpOrCidr(b)) {
            problems.push({ key: `${k}.${field}[${n}]`, value: b, message: "not an IP address or CIDR block (e.g. 10.0.0.0/16)" });
          }
        });
      }
    });
    (rule.to ?? []).forEach((t, j) => {
      const k = `${rk}.to[${j}].operation`;
      if (t.operation === undefined || Object.keys(t.operation).length === 0) {
        problems.push({ key: k, value: t.operation ?? null, message: "a to entry needs a non-empty operation: drop the entry to match every operation" });
        return;
      }
      problems.push(...emptyValues(k, t.operation));
      for (const field of ["ports", "notPorts"] as const) {
        (t.operation[field] ?? []).forEach((p, n) => {
          if (!PORT.test(p) || Number(p) > 65535) problems.push({ key: `${k}.${field}[${n}]`, value: p, message: "a port is a number from 0 to 65535 written as text, e.g. \"8080\"" });
        });
      }
    });
    (rule.when ?? []).forEach((c, j) => {
      const k = `${rk}.when[${j}]`;
      if (!isSupportedConditionKey(c.key)) {
        problems.push({
          key: `${k}.key`,
          value: c.key,
          message: `not a condition key Istio supports (istiod rejects the policy); use one of ${SUPPORTED_CONDITION_KEYS.join(", ")}, or select the workload by service account principal instead of labels`,
        });
      }
      if ((c.values ?? []).length === 0 && (c.notValues ?? []).length === 0) {
        problems.push({ key: k, value: c, message: "a condition needs values or notValues" });
      }
    });
  });
  return problems;
}
