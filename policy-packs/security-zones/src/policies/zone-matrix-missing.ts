import { describeFinding } from "@pfv5/zones";
import { definePolicy } from "../lib/policy";
import { analyzeStack, whereItStops } from "../lib/matrix-analysis";
import { T } from "../lib/types";

export const zoneMatrixMissing = definePolicy({
  name: "zone-matrix-missing",
  description: "Every flow the zone model requires can pass through every layer (the paths zone-matrix computes): missing paths are reported as advice.",
  why:
    "A declared flow that no layer lets through is an outage waiting for its first deploy (an SSH path the bastion needs, a database port the app needs), often from a stateless network ACL without its return rule or a route that points elsewhere.",
  fix: "open the flow where the message says it stops, following the zone model, or remove it from the model if it is no longer needed",
  severity: "low",
  enforcementLevel: "advisory",
  config: ["adminCidrs", "vpnCidr"],
  stack: {
    types: [T.awsSubnet, T.azureSubnet],
    check(graph, ctx) {
      for (const a of analyzeStack(graph.resources, ctx.site)) {
        for (const f of a.comparison.findings) {
          if (f.kind === "missing") ctx.report({ what: `${a.cloud} zone matrix: ${describeFinding(f, a.comparison)}.${whereItStops(a, f)}` });
        }
      }
    },
  },
});
