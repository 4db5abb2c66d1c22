/**
 * The cluster stacks: the application namespace's NetworkPolicies, Pod Security, Istio
 * mTLS and authorization, on the cluster the kubeconfig names. Only composition and
 * config here; the component's check runs before anything is registered, with its keys
 * reported under `pfv5:cluster`.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSecurity, clusterZoneMatrix, resolveClusterSecurityArgs, type ClusterSecurityArgs } from "@pfv5/cluster-security";
import type { KubernetesSettings } from "@pfv5/stack-config";
import { underKey } from "@pfv5/zones";

export function clusterStack(settings: KubernetesSettings): Promise<Record<string, unknown>> {
  const name = `pfv5-${settings.environment}`;
  const args = { environment: settings.environment, ...settings.cluster } as ClusterSecurityArgs;
  underKey("pfv5:cluster", `stack "${name}" configuration`, () => resolveClusterSecurityArgs(name, args));

  // The kubeconfig is a secret: read it as one so it never lands in state or logs in clear.
  const kubeconfig = settings.hasKubeconfig ? new pulumi.Config("pfv5").requireSecret("kubeconfig") : undefined;
  const provider = new kubernetes.Provider(`${name}-k8s`, {
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    ...(settings.kubeContext !== undefined ? { context: settings.kubeContext } : {}),
  });

  const security = new ClusterSecurity(name, { ...args, provider }, { protect: settings.protect });

  return Promise.resolve({
    namespace: security.namespace,
    networkPolicies: security.networkPolicyNames,
    principals: security.principals,
    zoneMatrix: clusterZoneMatrix(args).text,
  });
}
