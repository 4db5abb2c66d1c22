import { label } from "../lib/graph";
import { definePolicy, type Context } from "../lib/policy";
import { ALB_TLS12_POLICIES, ALLOWED_TLS_PROTOCOLS, record, TLS_T } from "../lib/tls";
import { propsOf, type Typed } from "../lib/types";

/** Problems with an ingress-nginx `ssl-protocols` value, described for `where`. */
function checkProtocols(where: string, value: unknown, ctx: Context): void {
  if (value === undefined) return;
  const tokens = typeof value === "string" ? value.trim().split(/\s+/) : [];
  const bad = tokens.filter((t) => !ALLOWED_TLS_PROTOCOLS.includes(t));
  if (typeof value !== "string" || tokens.length === 0 || bad.length > 0) {
    ctx.report({
      what: `${where} sets ssl-protocols to ${JSON.stringify(value)}${bad.length > 0 ? `, which enables ${bad.join(", ")}` : ""}`,
      fix: `set ssl-protocols to "${ALLOWED_TLS_PROTOCOLS.join(" ")}"`,
    });
  }
}

function checkListener(r: Typed & { name: string }, ctx: Context): void {
  const props = propsOf(r, TLS_T.listener) ?? propsOf(r, TLS_T.albListener);
  if (props === undefined) return;
  const protocol = props.protocol;
  if (protocol !== "HTTPS" && protocol !== "TLS") return;
  const policy = props.sslPolicy;
  if (policy === undefined) {
    ctx.report({
      what: `${label(r)} is a ${protocol} listener without sslPolicy, so AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1`,
      fix: "set sslPolicy to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (or another TLS 1.2+ policy)",
    });
  } else if (!ALB_TLS12_POLICIES.includes(policy)) {
    ctx.report({
      what: `${label(r)} uses sslPolicy "${policy}", which is not one of the policies limited to TLS 1.2 and 1.3`,
      fix: `use one of ${ALB_TLS12_POLICIES.join(", ")}`,
    });
  }
}

export const tlsMinimumVersion = definePolicy({
  name: "tls-minimum-version",
  description: "Load balancer listeners and ingress-nginx settings accept no protocol below TLS 1.2.",
  why:
    "TLS 1.0 and 1.1 were deprecated by RFC 8996: they depend on SHA-1 and CBC constructions with known attacks, and a " +
    "server that still accepts them lets an attacker downgrade clients that would have spoken TLS 1.2 or 1.3.",
  fix: 'give HTTPS listeners a TLS 1.2+ sslPolicy and set ingress-nginx ssl-protocols to "TLSv1.2 TLSv1.3"',
  severity: "high",
  config: [],
  resource: {
    types: [TLS_T.listener, TLS_T.albListener, TLS_T.configMap, TLS_T.helmRelease],
    check(r, ctx) {
      checkListener(r, ctx);
      const cm = propsOf(r, TLS_T.configMap);
      if (cm !== undefined) checkProtocols(label(r), record(cm.data)?.["ssl-protocols"], ctx);
      const release = propsOf(r, TLS_T.helmRelease);
      if (release !== undefined) {
        const config = record(record(record(release.values)?.["controller"])?.["config"]);
        checkProtocols(`${label(r)} (values.controller.config)`, config?.["ssl-protocols"], ctx);
      }
    },
  },
});
