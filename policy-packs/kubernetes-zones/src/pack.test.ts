import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as kubernetes from "@pulumi/kubernetes";
import { PACK_ARGS, PACK_NAME, POLICIES } from "./pack";
import { T } from "./lib/types";
import { typeToken } from "./testing/harness";

describe("the kubernetes-zones pack", () => {
  it("registers every policy file under its own name, once", () => {
    const files = fs
      .readdirSync(path.resolve(__dirname, "policies"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "index.ts")
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    assert.deepEqual(POLICIES.map((p) => p.doc.name).sort(), files);
    assert.equal(PACK_ARGS.policies.length, files.length);
    assert.equal(PACK_NAME, "kubernetes-zones");
  });

  it("gives each policy a test file, a what/why/fix text and a mandatory default", () => {
    for (const p of POLICIES) {
      assert.ok(fs.existsSync(path.resolve(__dirname, "policies", `${p.doc.name}.test.ts`)), `${p.doc.name} has no test file`);
      assert.ok(p.doc.description.length > 20 && p.doc.why.length > 40 && p.doc.fix.length > 20, p.doc.name);
      assert.equal(p.doc.enforcementLevel, "mandatory");
    }
  });

  it("names the Kubernetes SDK's own type tokens", () => {
    assert.deepEqual(
      [T.namespace, T.networkPolicy, T.pod, T.podTemplate, T.replicationController, T.deployment, T.daemonSet, T.statefulSet, T.replicaSet, T.job, T.cronJob],
      [
        kubernetes.core.v1.Namespace,
        kubernetes.networking.v1.NetworkPolicy,
        kubernetes.core.v1.Pod,
        kubernetes.core.v1.PodTemplate,
        kubernetes.core.v1.ReplicationController,
        kubernetes.apps.v1.Deployment,
        kubernetes.apps.v1.DaemonSet,
        kubernetes.apps.v1.StatefulSet,
        kubernetes.apps.v1.ReplicaSet,
        kubernetes.batch.v1.Job,
        kubernetes.batch.v1.CronJob,
      ].map(typeToken),
    );
  });
});
