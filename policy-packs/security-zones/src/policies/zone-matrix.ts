import { describeFinding } from "@pfv5/zones";
import { definePolicy } from "../lib/policy";
import { analyzeStack, blamed } from "../lib/matrix-analysis";
import { T } from "../lib/types";

const FIX =
  "remove or narrow the rule the message names (or the route, or the public address) so the path closes; if the path is intended, add the flow to the zone model (FLOWS in @pfv5/zones) so every layer is built from it";

export const zoneMatrix = definePolicy({
  name: "zone-matrix",
  description:
    "What can reach what, computed from every layer together (security groups, network ACLs, route tables and gateways; NSGs with Azure's default rules, NAT gateways), allows no path the zone model does not permit.",
  why:
    "Per-resource checks judge one rule at a time and miss paths that only exist in combination: a group reference that lets the DMZ into the data tier, two rules that together cover the internet, a deny numbered after the allow it meant to override, Azure's AllowVnetInBound behind an NSG without a final deny. The matrix evaluates the layers as the cloud does and names the rule that opens each extra path.",
  fix: FIX,
  severity: "critical",
  config: ["adminCidrs", "vpnCidr"],
  stack: {
    types: [T.awsSubnet, T.azureSubnet],
    check(graph, ctx) {
      for (const a of analyzeStack(graph.resources, ctx.site)) {
        for (const p of a.problems) {
          ctx.report({
            urn: p.urn,
            what: `the ${a.cloud} zone matrix could not be decided in full: ${p.message}`,
            fix: "give the value at preview time, or derive it from a resource of this stack so the reference can be followed through the resource graph",
          });
        }
        for (const f of a.comparison.findings) {
          if (f.kind === "missing") continue;
          const urn = blamed(f);
          ctx.report({ ...(urn !== undefined ? { urn } : {}), what: `${a.cloud} zone matrix: ${describeFinding(f, a.comparison)}` });
        }
      }
    },
  },
});
