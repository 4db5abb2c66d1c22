import { label } from "../lib/graph";
import { definePolicy, eachGuarded } from "../lib/policy";
import { chooseSolvers, record, resolveIssuer, strings, TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

export const tlsWildcardDns01 = definePolicy({
  name: "tls-wildcard-dns01",
  description: "A wildcard name in a cert-manager Certificate is served by a dns-01 solver that its ACME issuer selects for it.",
  why:
    "An ACME CA proves a wildcard only through dns-01. If the issuer's selectors do not send the wildcard to a dns-01 " +
    "solver, cert-manager falls back on solver order and on which challenges the CA happens to offer, or finds no solver " +
    "at all, and the certificate silently stays unissued until the old one expires.",
  fix: 'add to the issuer a dns01 solver whose selector lists the wildcard in dnsNames (or its zone in dnsZones), e.g. selector: { dnsNames: ["*.example.com"] }',
  severity: "high",
  config: [],
  stack: {
    types: [TLS_T.certificate],
    check(graph, ctx) {
      eachGuarded(ctx, graph.ofType(TLS_T.certificate), ({ resource, props }) => {
        const wildcards = strings(props.spec?.["dnsNames"]).filter((n) => n.startsWith("*."));
        if (wildcards.length === 0) return;
        const issuer = resolveIssuer(graph, props);
        if (!("resource" in issuer)) {
          ctx.report({
            urn: resource.urn,
            what: `${label(resource)} requests ${wildcards.join(", ")}, but ${issuer.reason}, so whether a dns-01 solver serves it cannot be checked`,
            fix: "create the issuer in the same stack, or issue wildcards from an issuer this stack defines",
          });
          return;
        }
        const issuerSpec = propsOf(issuer.resource, issuer.kind === "ClusterIssuer" ? TLS_T.clusterIssuer : TLS_T.issuer)?.spec;
        // Only ACME issuers solve challenges; a CA or Vault issuer signs wildcards directly.
        if (record(issuerSpec)?.["acme"] === undefined) return;
        const name = `${issuer.kind} "${issuer.props.metadata?.name ?? "?"}"`;
        const labels = record(props.metadata?.labels) as Readonly<Record<string, string>> | undefined;
        for (const wildcard of wildcards) {
          const choices = chooseSolvers(issuerSpec, wildcard, labels ?? {});
          const [first] = choices;
          const solvers = record(record(issuerSpec)?.["acme"])?.["solvers"];
          const hasDns01 = Array.isArray(solvers) && solvers.some((x) => record(x)?.["dns01"] !== undefined);
          let why: string | undefined;
          if (!hasDns01) why = "it has no dns-01 solver at all";
          else if (first === undefined) why = "none of its solvers matches the name";
          else if (first.by === "catch-all" && choices.some((c) => c.type !== "dns01")) {
            why = `its solvers have no selectors, so the choice between ${choices.map((c) => `solvers[${c.index}] (${c.type})`).join(" and ")} is left to order and to the challenges the CA offers`;
          } else if (first.type !== "dns01") why = `its ${first.by} selector sends the name to solvers[${first.index}] (${first.type})`;
          if (why !== undefined) {
            ctx.report({ urn: resource.urn, what: `${label(resource)} requests the wildcard ${wildcard} from ${name}, which selects no dns-01 solver for it: ${why}` });
          }
        }
      });
    },
  },
});
