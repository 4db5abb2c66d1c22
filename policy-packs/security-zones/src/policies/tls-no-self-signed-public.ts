import { label } from "../lib/graph";
import { definePolicy, eachGuarded } from "../lib/policy";
import { isPublicName, resolveIssuer, strings, TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

export const tlsNoSelfSignedPublic = definePolicy({
  name: "tls-no-self-signed-public",
  description: "Public host names never get a self-signed certificate; self-signed certificates are for CA roots and internal names.",
  why:
    "Browsers and API clients reject a self-signed certificate, so users learn to click through warnings, and a client " +
    "that is told to trust it trusts whoever holds its key. Public names need a certificate from a public CA.",
  fix: "issue public names from the letsencrypt-prod ClusterIssuer (or ACM); keep self-signed certificates for roots and internal names",
  severity: "high",
  config: [],
  resource: {
    types: [TLS_T.selfSignedCert],
    check(r, ctx) {
      const cert = propsOf(r, TLS_T.selfSignedCert);
      if (cert === undefined || cert.isCaCertificate === true) return;
      const publicNames = (cert.dnsNames ?? []).filter(isPublicName);
      if (publicNames.length > 0) ctx.report({ what: `${label(r)} is a self-signed certificate for the public names ${publicNames.join(", ")}` });
    },
  },
  stack: {
    types: [TLS_T.certificate],
    check(graph, ctx) {
      eachGuarded(ctx, graph.ofType(TLS_T.certificate), ({ resource, props }) => {
        const issuer = resolveIssuer(graph, props);
        // An issuer outside the stack is judged by tls-approved-issuer.
        if (!("resource" in issuer) || issuer.props.spec?.["selfSigned"] === undefined) return;
        const publicNames = strings(props.spec?.["dnsNames"]).filter(isPublicName);
        if (publicNames.length > 0) {
          ctx.report({ urn: resource.urn, what: `${label(resource)} asks the self-signed ${issuer.kind} "${issuer.props.metadata?.name ?? "?"}" for the public names ${publicNames.join(", ")}` });
        }
      });
    },
  },
});
