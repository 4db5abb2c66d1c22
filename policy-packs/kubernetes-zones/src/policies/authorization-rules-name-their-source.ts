import { definePolicy } from "../lib/policy";
import { AUTHORIZATION_POLICY_TYPES, label, propsOf } from "../lib/types";

export const authorizationRulesNameTheirSource = definePolicy({
  name: "authorization-rules-name-their-source",
  description: "No ALLOW rule of an AuthorizationPolicy has a `to` without a `from`: who may call and what they may call stay in one rule.",
  why:
    "Rules are ORed and a missing part matches everything: a rule with only `to` admits every caller to those operations, and its " +
    "sibling with only `from` admits that caller to everything (the seed's split from/to). Authorization then allows far more than intended.",
  fix: "merge the from, to and when of each allowed call into one rule",
  severity: "high",
  config: [],
  resource: {
    types: [...AUTHORIZATION_POLICY_TYPES],
    check(r, ctx) {
      const spec = propsOf(r, ...AUTHORIZATION_POLICY_TYPES)?.spec ?? {};
      if ((spec.action ?? "ALLOW") !== "ALLOW") return;
      (spec.rules ?? []).forEach((rule, i) => {
        if ((rule.to ?? []).length > 0 && (rule.from ?? []).length === 0) {
          const ops = (rule.to ?? []).map((t) => JSON.stringify(t.operation ?? {})).join(", ");
          ctx.report({ what: `${label(r)} rules[${i}] has a to (${ops}) but no from, so every source may make those calls (from and to split into separate rules)` });
        }
      });
    },
  },
});
