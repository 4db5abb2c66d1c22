import { parseCidr, PORTS } from "@pfv5/zones";
import { effectivePolicyTypes, isEmptySelector, portsCover } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, propsOf, T } from "../lib/types";

const DATABASE_PORTS = [PORTS.postgres, PORTS.redis, PORTS.mongodb];

function everywhere(cidr: string): boolean {
  try {
    return parseCidr(cidr).prefix === 0;
  } catch {
    return false;
  }
}

export const noEgressAnywhereOnDatabasePorts = definePolicy({
  name: "no-egress-anywhere-on-database-ports",
  description: "No NetworkPolicy allows egress on a database port (5432, 6379, 27017) to any destination: every such rule names the database pods.",
  why:
    "An egress rule with an empty `to` (the seed's `to: []`) allows the port toward every address, inside the cluster and out, so a " +
    "compromised pod can reach any database it finds and ship data to one outside.",
  fix: "list the database pods as the rule's peers (podSelector, with a namespaceSelector in the same peer for another namespace)",
  severity: "high",
  config: [],
  resource: {
    types: [T.networkPolicy],
    check(r, ctx) {
      const spec = propsOf(r, T.networkPolicy)?.spec;
      if (spec === undefined || !effectivePolicyTypes(spec).includes("Egress")) return;
      (spec.egress ?? []).forEach((rule, i) => {
        const ports = DATABASE_PORTS.filter((p) => portsCover(rule.ports, p));
        if (ports.length === 0) return;
        const to = rule.to ?? [];
        const reasons =
          to.length === 0
            ? ["it has no to, so it allows every destination"]
            : to.flatMap((peer, j) => {
                if (peer.ipBlock !== undefined && everywhere(peer.ipBlock.cidr)) return [`to[${j}] is the ipBlock ${peer.ipBlock.cidr}`];
                if (isEmptySelector(peer.namespaceSelector) && (peer.podSelector === undefined || isEmptySelector(peer.podSelector))) {
                  return [`to[${j}] selects every pod of every namespace`];
                }
                return [];
              });
        for (const why of reasons) ctx.report({ what: `${label(r)} egress[${i}] allows database ports ${ports.join(", ")}, and ${why}` });
      });
    },
  },
});
