import { namespaceOf } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, PEER_AUTHENTICATION_TYPES, propsOf } from "../lib/types";

const WEAK = ["PERMISSIVE", "DISABLE"];

export const peerAuthenticationStrict = definePolicy({
  name: "peer-authentication-strict",
  description: "No PeerAuthentication accepts plain text: mtls.mode and every portLevelMtls mode is STRICT (or UNSET, inheriting); the mesh-wide one is STRICT.",
  why:
    "PERMISSIVE and DISABLE accept unauthenticated plain-text connections, so any pod (or anything that reaches the pod IP) bypasses " +
    "mutual TLS, and authorization by principal no longer identifies the caller.",
  fix: 'set mtls.mode "STRICT" and remove PERMISSIVE or DISABLE port-level exceptions (give plain-text clients a sidecar instead)',
  severity: "high",
  config: ["rootNamespace"],
  resource: {
    types: [...PEER_AUTHENTICATION_TYPES],
    check(r, ctx) {
      const spec = propsOf(r, ...PEER_AUTHENTICATION_TYPES)?.spec ?? {};
      const mode = spec.mtls?.mode;
      if (mode !== undefined && WEAK.includes(mode)) ctx.report({ what: `${label(r)} sets mtls.mode ${mode}` });
      for (const [port, setting] of Object.entries(spec.portLevelMtls ?? {})) {
        if (setting.mode !== undefined && WEAK.includes(setting.mode)) ctx.report({ what: `${label(r)} sets portLevelMtls ${port} to ${setting.mode}` });
      }
      // Only a policy that does not say STRICT needs its namespace read (it may be unknown in preview).
      const unset = mode === undefined || mode === "UNSET";
      if (unset && Object.keys(spec.selector?.matchLabels ?? {}).length === 0 && namespaceOf(r) === ctx.config.rootNamespace) {
        ctx.report({
          what: `${label(r)} is the mesh-wide policy (root namespace "${ctx.config.rootNamespace}", no selector) but leaves mtls.mode ${mode ?? "unset"}, which falls back to PERMISSIVE`,
          fix: 'set mtls.mode "STRICT" on the mesh-wide PeerAuthentication',
        });
      }
    },
  },
});
