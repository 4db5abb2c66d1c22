import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { APPROVED_CLUSTER_ISSUERS, record, TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

const FIX = `name one of the approved ClusterIssuers (${APPROVED_CLUSTER_ISSUERS.join(", ")}) with kind ClusterIssuer`;

export const tlsApprovedIssuer = definePolicy({
  name: "tls-approved-issuer",
  description: "cert-manager Certificates, and Ingresses that ask cert-manager for one, name an approved ClusterIssuer.",
  why:
    "The approved issuers are the ones whose solvers, account keys and CA are reviewed. A namespaced Issuer can be created " +
    "by anyone with rights in the namespace, and an unknown issuer may be self-signed or bound to unreviewed credentials.",
  fix: FIX,
  severity: "medium",
  config: [],
  resource: {
    types: [TLS_T.certificate, TLS_T.ingress],
    check(r, ctx) {
      const cert = propsOf(r, TLS_T.certificate);
      if (cert !== undefined) {
        const ref = record(cert.spec?.["issuerRef"]);
        const name = ref?.["name"];
        const kind = typeof ref?.["kind"] === "string" ? ref["kind"] : "Issuer";
        const group = typeof ref?.["group"] === "string" ? ref["group"] : "cert-manager.io";
        if (kind !== "ClusterIssuer" || group !== "cert-manager.io" || typeof name !== "string" || !APPROVED_CLUSTER_ISSUERS.includes(name)) {
          ctx.report({ what: `${label(r)} names the ${kind} ${JSON.stringify(name)}${group !== "cert-manager.io" ? ` of group ${group}` : ""}, which is not an approved ClusterIssuer` });
        }
      }
      const ingress = propsOf(r, TLS_T.ingress);
      if (ingress !== undefined) {
        const annotations = record(record(ingress.metadata)?.["annotations"]) ?? {};
        const namespaced = annotations["cert-manager.io/issuer"];
        if (namespaced !== undefined) ctx.report({ what: `${label(r)} asks cert-manager for a certificate from the namespaced Issuer ${JSON.stringify(namespaced)}` });
        const cluster = annotations["cert-manager.io/cluster-issuer"];
        if (cluster !== undefined && (typeof cluster !== "string" || !APPROVED_CLUSTER_ISSUERS.includes(cluster))) {
          ctx.report({ what: `${label(r)} asks cert-manager for a certificate from the ClusterIssuer ${JSON.stringify(cluster)}, which is not approved` });
        }
      }
    },
  },
});
