import { istio } from "@pfv5/zones";
import { definePolicy } from "../lib/policy";
import { AUTHORIZATION_POLICY_TYPES, label, propsOf } from "../lib/types";

export const authorizationConditionKeys = definePolicy({
  name: "authorization-condition-keys",
  description: "Every `when` condition of an AuthorizationPolicy uses a key Istio supports.",
  why:
    "istiod rejects a policy with an unknown key (such as the seed's source.labels), so the authorization the author meant never " +
    "takes effect; workload labels are not part of a request's identity anyway.",
  fix: `use a supported key (${istio.SUPPORTED_CONDITION_KEYS.join(", ")}); tell callers apart by source principal (their service account)`,
  severity: "high",
  config: [],
  resource: {
    types: [...AUTHORIZATION_POLICY_TYPES],
    check(r, ctx) {
      const spec = propsOf(r, ...AUTHORIZATION_POLICY_TYPES)?.spec ?? {};
      (spec.rules ?? []).forEach((rule, i) =>
        (rule.when ?? []).forEach((c, j) => {
          if (!istio.isSupportedConditionKey(c.key)) ctx.report({ what: `${label(r)} rules[${i}].when[${j}] uses "${c.key}", which is not a condition key Istio supports` });
        }),
      );
    },
  },
});
