import * as assert from "node:assert/strict";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { aNamespace } from "../testing/fixtures";
import { T } from "../lib/types";
import { peerAuthenticationStrict } from "./peer-authentication-strict";

const pa = (name: string, namespace: string, spec: object) => resourceArgs(T.peerAuthentication, { metadata: { name, namespace }, spec }, { name });

describe("peer-authentication-strict", () => {
  it("passes STRICT, and an UNSET workload policy that inherits", async () => {
    assert.deepEqual(whats(await runResource(peerAuthenticationStrict, pa("mesh", "istio-system", { mtls: { mode: "STRICT" } }))), []);
    assert.deepEqual(whats(await runResource(peerAuthenticationStrict, pa("ns", "app", { mtls: { mode: "UNSET" }, portLevelMtls: { "8080": { mode: "STRICT" } } }))), []);
  });

  it("rejects PERMISSIVE and DISABLE, port-level too", async () => {
    const r = pa("weak", "app", { mtls: { mode: "PERMISSIVE" }, portLevelMtls: { "9090": { mode: "DISABLE" }, "8080": { mode: "STRICT" } } });
    assert.deepEqual(whats(await runResource(peerAuthenticationStrict, r)), ['PeerAuthentication "weak" sets mtls.mode PERMISSIVE', 'PeerAuthentication "weak" sets portLevelMtls 9090 to DISABLE']);
  });

  it("rejects a mesh-wide policy that leaves the mode unset, which falls back to PERMISSIVE", async () => {
    assert.deepEqual(whats(await runResource(peerAuthenticationStrict, pa("mesh", "istio-system", {}))), [
      'PeerAuthentication "mesh" is the mesh-wide policy (root namespace "istio-system", no selector) but leaves mtls.mode unset, which falls back to PERMISSIVE',
    ]);
    const v1beta1 = resourceArgs(T.peerAuthenticationBeta, { metadata: { name: "m", namespace: "mesh-root" }, spec: { mtls: { mode: "UNSET" } } }, { config: { rootNamespace: "mesh-root" } });
    assert.equal(whats(await runResource(peerAuthenticationStrict, v1beta1)).length, 1);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(peerAuthenticationStrict, aNamespace())).notApplicable, "applies only to PeerAuthentication");
  });
});
