import * as assert from "node:assert/strict";
import * as kubernetes from "@pulumi/kubernetes";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { aNamespace } from "../testing/fixtures";
import { noHostNetwork } from "./no-host-network";

const container = { name: "web", image: "nginx", ports: [{ containerPort: 8080 }] };

describe("no-host-network", () => {
  it("passes pod specs on the pod network, in every workload kind", async () => {
    const template = { spec: { containers: [container] } };
    const cases = [
      resourceArgs(kubernetes.core.v1.Pod, { spec: { containers: [container] } }),
      resourceArgs(kubernetes.apps.v1.Deployment, { spec: { selector: {}, template } }),
      resourceArgs(kubernetes.apps.v1.StatefulSet, { spec: { selector: {}, serviceName: "s", template } }),
      resourceArgs(kubernetes.batch.v1.CronJob, { spec: { schedule: "* * * * *", jobTemplate: { spec: { template } } } }),
    ];
    for (const r of cases) assert.deepEqual(whats(await runResource(noHostNetwork, r)), [], r.type);
  });

  it("rejects hostNetwork and hostPort wherever the pod spec sits", async () => {
    const ds = resourceArgs(kubernetes.apps.v1.DaemonSet, {
      metadata: { name: "agent" },
      spec: { selector: {}, template: { spec: { hostNetwork: true, containers: [container], initContainers: [{ name: "init", image: "busybox", ports: [{ containerPort: 53, hostPort: 53 }] }] } } },
    }, { name: "agent" });
    assert.deepEqual(whats(await runResource(noHostNetwork, ds)), ['DaemonSet "agent" sets hostNetwork: true', 'DaemonSet "agent" initContainers[0] (init) ports[0] binds hostPort 53']);
    const cron = resourceArgs(kubernetes.batch.v1.CronJob, { spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: { hostNetwork: true, containers: [container] } } } } } }, { name: "nightly" });
    assert.deepEqual(whats(await runResource(noHostNetwork, cron)), ['CronJob "nightly" sets hostNetwork: true']);
  });

  it("is not applicable to other resource types", async () => {
    assert.match((await runResource(noHostNetwork, aNamespace())).notApplicable ?? "", /^applies only to Pod, PodTemplate, ReplicationController, Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob$/);
  });
});
