import { podSpecOf, type ContainerView } from "../lib/kube";
import { definePolicy } from "../lib/policy";
import { label, WORKLOAD_TYPES } from "../lib/types";

export const noHostNetwork = definePolicy({
  name: "no-host-network",
  description: "No pod spec uses hostNetwork or a container hostPort.",
  why:
    "A pod on the host network, or a hostPort, bypasses NetworkPolicies and the mesh: it takes the node's address, can bind and sniff " +
    "on the node's interfaces, and its traffic cannot be told apart from the node's.",
  fix: "remove hostNetwork and hostPort; expose the pod through a Service (and an Ingress for outside traffic)",
  severity: "high",
  config: [],
  resource: {
    types: [...WORKLOAD_TYPES],
    check(r, ctx) {
      const spec = podSpecOf(r.type, r.props);
      if (spec === undefined) return;
      if (spec.hostNetwork === true) ctx.report({ what: `${label(r)} sets hostNetwork: true` });
      const groups: [string, readonly ContainerView[] | undefined][] = [
        ["containers", spec.containers],
        ["initContainers", spec.initContainers],
        ["ephemeralContainers", spec.ephemeralContainers],
      ];
      for (const [group, containers] of groups) {
        (containers ?? []).forEach((c, i) =>
          (c.ports ?? []).forEach((p, j) => {
            if (p.hostPort !== undefined && p.hostPort !== 0) {
              ctx.report({ what: `${label(r)} ${group}[${i}] (${c.name ?? "unnamed"}) ports[${j}] binds hostPort ${p.hostPort}` });
            }
          }),
        );
      }
    },
  },
});
