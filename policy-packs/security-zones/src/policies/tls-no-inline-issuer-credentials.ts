import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

/**
 * Fields that hold a credential when given as text. cert-manager takes every secret as a
 * `...SecretRef`; the one inline credential its schema still accepts is Route 53's
 * `accessKeyID`, and `secretAccessKey` is what people write next to it.
 */
const CREDENTIAL = /(accesskeyid|accesskey|secretaccesskey|secret|password|token|apikey|privatekey)$/i;

/** Paths under `value` of credential fields set to text. */
function inlineCredentials(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => inlineCredentials(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = `${path}.${k}`;
    if (typeof v === "string" && v !== "" && CREDENTIAL.test(k)) return [here];
    return inlineCredentials(v, here);
  });
}

export const tlsNoInlineIssuerCredentials = definePolicy({
  name: "tls-no-inline-issuer-credentials",
  description: "cert-manager issuers carry no credentials inline (no Route 53 accessKeyID or secret key in the spec).",
  why:
    "An issuer spec lives in Git, in the Pulumi state and in every `kubectl get -o yaml`; a key written there is readable by " +
    "all of them and ties the issuer to a long-lived IAM user key that is rarely rotated.",
  fix:
    "drop the inline key: use cert-manager's ambient credentials (IRSA) or an assumed role, or reference a Secret with " +
    "route53.accessKeyIDSecretRef and route53.secretAccessKeySecretRef",
  severity: "critical",
  config: [],
  resource: {
    types: [TLS_T.clusterIssuer, TLS_T.issuer],
    check(r, ctx) {
      const issuer = propsOf(r, TLS_T.clusterIssuer) ?? propsOf(r, TLS_T.issuer);
      for (const path of inlineCredentials(issuer?.spec, "spec")) {
        ctx.report({ what: `${label(r)} sets ${path} inline` });
      }
    },
  },
});
