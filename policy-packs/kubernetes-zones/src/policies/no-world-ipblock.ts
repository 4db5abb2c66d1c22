import { coversPublicSpace, parseCidr } from "@pfv5/zones";
import { namespaceOf } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, propsOf, T } from "../lib/types";

/** Why a block is refused, or undefined when it is fine. */
function tooWide(cidr: string): string | undefined {
  try {
    const c = parseCidr(cidr);
    if (c.prefix === 0) return "is the whole address space";
    if (coversPublicSpace(c) && c.prefix < 8) return `covers a large part of the internet (prefix /${c.prefix})`;
    return undefined;
  } catch (e) {
    return `is not a valid CIDR block (${e instanceof Error ? e.message : String(e)})`;
  }
}

export const noWorldIpBlock = definePolicy({
  name: "no-world-ipblock",
  description: "Outside the ingress namespaces, no NetworkPolicy peer is an ipBlock of 0.0.0.0/0, ::/0 or another large part of the internet.",
  why:
    "An ipBlock matches by address, pods included, so 0.0.0.0/0 opens the rule to every pod and every host on the internet; an " +
    "except list does not narrow it to what was meant.",
  fix: "name pods with selectors, and list the outside services' own blocks (or route outside traffic through an egress gateway)",
  severity: "high",
  config: ["ingressNamespaces"],
  resource: {
    types: [T.networkPolicy],
    check(r, ctx) {
      const spec = propsOf(r, T.networkPolicy)?.spec;
      if (spec === undefined) return;
      const found: string[] = [];
      (spec.ingress ?? []).forEach((rule, i) =>
        (rule.from ?? []).forEach((p, j) => {
          const why = p.ipBlock === undefined ? undefined : tooWide(p.ipBlock.cidr);
          if (why !== undefined) found.push(`ingress[${i}].from[${j}] ipBlock ${p.ipBlock?.cidr ?? ""} ${why}`);
        }),
      );
      (spec.egress ?? []).forEach((rule, i) =>
        (rule.to ?? []).forEach((p, j) => {
          const why = p.ipBlock === undefined ? undefined : tooWide(p.ipBlock.cidr);
          if (why !== undefined) found.push(`egress[${i}].to[${j}] ipBlock ${p.ipBlock?.cidr ?? ""} ${why}`);
        }),
      );
      if (found.length === 0) return;
      const ns = namespaceOf(r);
      if (ctx.config.ingressNamespaces.includes(ns)) return;
      for (const f of found) ctx.report({ what: `${label(r)} in namespace "${ns}": ${f}` });
    },
  },
});
