import { effectivePolicyTypes, isEmptySelector, namespaceOf } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, propsOf, T } from "../lib/types";

export const noIngressFromAllNamespaces = definePolicy({
  name: "no-ingress-from-all-namespaces",
  description: "Outside the ingress namespaces, no NetworkPolicy admits traffic from every namespace or from anywhere.",
  why:
    "An ingress rule without peers, or with an empty namespaceSelector, lets every pod of every namespace in (a rule without peers also " +
    "admits any address), so one compromised workload anywhere in the cluster reaches the pods it protects.",
  fix: "name the sources: a namespaceSelector on kubernetes.io/metadata.name, AND a podSelector in the same peer where only some pods may call",
  severity: "high",
  config: ["ingressNamespaces"],
  resource: {
    types: [T.networkPolicy],
    check(r, ctx) {
      const spec = propsOf(r, T.networkPolicy)?.spec;
      if (spec === undefined || !effectivePolicyTypes(spec).includes("Ingress")) return;
      const rules = spec.ingress ?? [];
      const open = rules.flatMap((rule, i) => {
        const from = rule.from ?? [];
        if (from.length === 0) return [`ingress[${i}] has no from, so it admits every source`];
        return from.flatMap((peer, j) => (isEmptySelector(peer.namespaceSelector) ? [`ingress[${i}].from[${j}] has an empty namespaceSelector, which selects every namespace`] : []));
      });
      if (open.length === 0) return;
      const ns = namespaceOf(r);
      if (ctx.config.ingressNamespaces.includes(ns)) return;
      for (const o of open) ctx.report({ what: `${label(r)} in namespace "${ns}": ${o}` });
    },
  },
});
