import { isFound, label } from "../lib/graph";
import { definePolicy, eachGuarded } from "../lib/policy";
import { record, TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

/** Why an action is not a redirect to HTTPS, or undefined when it is one. */
function notRedirect(action: unknown): string | undefined {
  const a = record(action);
  const type = a?.["type"];
  if (type !== "redirect") return `a ${typeof type === "string" ? type : "typeless"} action`;
  const protocol = record(a?.["redirect"])?.["protocol"];
  // The redirect keeps the request's protocol unless told (#{protocol}), so it must say HTTPS.
  if (protocol !== "HTTPS") return `a redirect to ${typeof protocol === "string" ? protocol : "the same protocol"}`;
  return undefined;
}

const FIX = 'give the listener one default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } and no other rules';

export const tlsHttpRedirectOnly = definePolicy({
  name: "tls-http-redirect-only",
  description: "Plain HTTP listeners do nothing but redirect to HTTPS.",
  why:
    "Anything an HTTP listener forwards or answers travels unencrypted: credentials and session cookies can be read and " +
    "responses rewritten on the way. A redirect exposes only the URL, once, and HSTS keeps browsers on HTTPS afterwards.",
  fix: FIX,
  severity: "high",
  config: [],
  resource: {
    types: [TLS_T.listener, TLS_T.albListener],
    check(r, ctx) {
      const props = propsOf(r, TLS_T.listener) ?? propsOf(r, TLS_T.albListener);
      if (props?.protocol !== "HTTP") return;
      const actions = Array.isArray(props.defaultActions) ? props.defaultActions : [];
      if (actions.length === 0) ctx.report({ what: `${label(r)} is an HTTP listener without default actions` });
      actions.forEach((action, i) => {
        const why = notRedirect(action);
        if (why !== undefined) ctx.report({ what: `${label(r)} is an HTTP listener whose defaultActions[${i}] is ${why}, not a redirect to HTTPS` });
      });
    },
  },
  stack: {
    types: [TLS_T.listenerRule, TLS_T.albListenerRule],
    check(graph, ctx) {
      const rules = [...graph.ofType(TLS_T.listenerRule), ...graph.ofType(TLS_T.albListenerRule)];
      eachGuarded(ctx, rules, ({ resource, props }) => {
        const found = graph.follow(resource, "listenerArn", [TLS_T.listener, TLS_T.albListener], ["arn", "id"]);
        if (!isFound(found)) return;
        const listener = propsOf(found.resource, TLS_T.listener) ?? propsOf(found.resource, TLS_T.albListener);
        if (listener?.protocol !== "HTTP") return;
        const actions = Array.isArray(props.actions) ? props.actions : [];
        actions.forEach((action, i) => {
          const why = notRedirect(action);
          if (why !== undefined) {
            ctx.report({ urn: resource.urn, what: `${label(resource)} adds ${why} (actions[${i}]) to the HTTP listener ${label(found.resource)}`, fix: "delete the rule, or make its action a redirect to HTTPS" });
          }
        });
      });
    },
  },
});
