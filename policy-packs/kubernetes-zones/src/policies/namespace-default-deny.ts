import type { PolicyResource } from "@pulumi/policy";
import { effectivePolicyTypes, isEmptySelector, namespaceOf, metadataName, type NetworkPolicySpecView } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, propsOf, T, WORKLOAD_TYPES } from "../lib/types";

/** Namespaces the cluster runs itself; their policies are the platform's business. */
const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"];

function denies(spec: NetworkPolicySpecView, direction: "Ingress" | "Egress"): boolean {
  const rules = direction === "Ingress" ? spec.ingress : spec.egress;
  return isEmptySelector(spec.podSelector) && effectivePolicyTypes(spec).includes(direction) && (rules ?? []).length === 0;
}

export const namespaceDefaultDeny = definePolicy({
  name: "namespace-default-deny",
  description: "Every namespace the stack creates or runs workloads in has a NetworkPolicy denying all ingress and one denying all egress (or one doing both).",
  why:
    "A pod no policy selects accepts and opens every connection; without a namespace-wide deny, each new workload starts wide open " +
    "and a compromised pod can reach anything the network does.",
  fix: "add a NetworkPolicy in the namespace with podSelector {}, policyTypes [Ingress, Egress] and no rules, then allow each flow explicitly",
  severity: "high",
  config: [],
  stack: {
    types: [T.namespace, ...WORKLOAD_TYPES],
    check(resources, ctx) {
      const holders = new Map<string, PolicyResource>();
      for (const r of resources) {
        if (r.type === T.namespace) ctx.guard(r, () => {
          const name = metadataName(r);
          if (name !== undefined) holders.set(name, r);
        });
      }
      for (const r of resources) {
        if ((WORKLOAD_TYPES as readonly string[]).includes(r.type)) ctx.guard(r, () => {
          const ns = namespaceOf(r);
          if (!holders.has(ns)) holders.set(ns, r);
        });
      }
      const policies = resources.flatMap((r) => {
        const props = propsOf(r, T.networkPolicy);
        return props === undefined ? [] : [{ resource: r, props }];
      });
      for (const [ns, holder] of holders) {
        if (SYSTEM_NAMESPACES.includes(ns)) continue;
        ctx.guard(holder, () => {
          let ingress = false;
          let egress = false;
          for (const { resource, props } of policies) {
            ctx.guard(resource, () => {
              if (namespaceOf(resource) !== ns || props.spec === undefined) return;
              ingress ||= denies(props.spec, "Ingress");
              egress ||= denies(props.spec, "Egress");
            });
          }
          const missing = [...(ingress ? [] : ["ingress"]), ...(egress ? [] : ["egress"])];
          if (missing.length > 0) {
            ctx.report({ urn: holder.urn, what: `namespace "${ns}" (from ${label(holder)}) has no default deny for ${missing.join(" and ")}` });
          }
        });
      }
    },
  },
});
