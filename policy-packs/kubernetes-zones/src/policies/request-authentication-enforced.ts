import type { PolicyResource } from "@pulumi/policy";
import { namespaceOf } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { AUTHORIZATION_POLICY_TYPES, label, propsOf, REQUEST_AUTHENTICATION_TYPES, type AuthorizationPolicyProps } from "../lib/types";

/** Whether the policy turns "no token" into a denial: ALLOW with requestPrincipals, or DENY with notRequestPrincipals. */
function requiresRequestPrincipal(p: AuthorizationPolicyProps): boolean {
  const spec = p.spec ?? {};
  const action = spec.action ?? "ALLOW";
  const sources = (spec.rules ?? []).flatMap((rule) => (rule.from ?? []).map((f) => f.source ?? {}));
  if (action === "ALLOW") return sources.some((s) => (s.requestPrincipals ?? []).length > 0);
  if (action === "DENY") return sources.some((s) => (s.notRequestPrincipals ?? []).length > 0);
  return false;
}

/** Whether the policy's selector covers every workload `labels` selects (its labels are a subset). */
function covers(policySelector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(policySelector).every(([k, v]) => labels[k] === v);
}

export const requestAuthenticationEnforced = definePolicy({
  name: "request-authentication-enforced",
  description: "Every RequestAuthentication is paired with an AuthorizationPolicy for the same workloads that requires a request principal.",
  why:
    "A RequestAuthentication only rejects requests whose token is invalid; a request with no token at all passes, so the JWT check " +
    "is skipped by simply not sending one.",
  fix: 'add an AuthorizationPolicy with the same selector: ALLOW with from.source.requestPrincipals ["*"] on the protected paths, or DENY with notRequestPrincipals ["*"]',
  severity: "high",
  config: ["rootNamespace"],
  stack: {
    types: [...REQUEST_AUTHENTICATION_TYPES],
    check(resources, ctx) {
      const policies: { resource: PolicyResource; props: AuthorizationPolicyProps }[] = resources.flatMap((r) => {
        const props = propsOf(r, ...AUTHORIZATION_POLICY_TYPES);
        return props === undefined ? [] : [{ resource: r, props }];
      });
      for (const r of resources) {
        const ra = propsOf(r, ...REQUEST_AUTHENTICATION_TYPES);
        if (ra === undefined) continue;
        ctx.guard(r, () => {
          const ns = namespaceOf(r);
          const labels = ra.spec?.selector?.matchLabels ?? {};
          let paired = false;
          for (const p of policies) {
            ctx.guard(p.resource, () => {
              const pns = namespaceOf(p.resource);
              if (pns !== ns && pns !== ctx.config.rootNamespace) return;
              paired ||= covers(p.props.spec?.selector?.matchLabels ?? {}, labels) && requiresRequestPrincipal(p.props);
            });
          }
          if (!paired) {
            const sel = Object.keys(labels).length === 0 ? "every workload" : `workloads ${JSON.stringify(labels)}`;
            ctx.report({ urn: r.urn, what: `${label(r)} in namespace "${ns}" validates tokens for ${sel}, but no AuthorizationPolicy there requires a request principal` });
          }
        });
      }
    },
  },
});
