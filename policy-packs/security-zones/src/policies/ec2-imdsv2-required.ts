import { COMPUTE_T } from "../lib/compute";
import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { isSet } from "../lib/read";
import { propsOf } from "../lib/types";

export const ec2Imdsv2Required = definePolicy({
  name: "ec2-imdsv2-required",
  description: 'Every EC2 instance and launch template requires IMDSv2 (metadataOptions.httpTokens "required").',
  why:
    "IMDSv1 answers any plain GET from the host, so a request forgery in a web app or an open proxy on the bastion hands out " +
    "the instance role's credentials; IMDSv2 first needs a PUT for a session token, which such requests cannot make. Left " +
    "unset, httpTokens is optional (IMDSv1 allowed) for most images, so the setting must be explicit.",
  fix: 'set metadataOptions: { httpTokens: "required" }; httpEndpoint may stay "enabled", and httpPutResponseHopLimit 1 keeps containers on the host away from the token',
  severity: "high",
  config: [],
  resource: {
    types: [COMPUTE_T.instance, COMPUTE_T.launchTemplate],
    check(r, ctx) {
      const p = propsOf(r, COMPUTE_T.instance) ?? propsOf(r, COMPUTE_T.launchTemplate);
      if (p === undefined) return;
      if (!isSet(p, "metadataOptions")) {
        ctx.report({ what: `${label(r)} sets no metadataOptions, so its metadata service also answers IMDSv1 requests` });
        return;
      }
      // Read through the proxy: unknown options or tokens make the resource not checkable.
      const tokens = p.metadataOptions?.httpTokens;
      if (tokens === "required") return;
      ctx.report({
        what:
          tokens === undefined
            ? `${label(r)} leaves metadataOptions.httpTokens unset, which allows IMDSv1`
            : `${label(r)} sets metadataOptions.httpTokens to "${tokens}", which allows IMDSv1`,
        fix: 'set metadataOptions.httpTokens to "required"',
      });
    },
  },
});
