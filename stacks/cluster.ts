/**
 * The cluster stacks: the application namespace's NetworkPolicies, Pod Security, Istio
 * mTLS and authorization, and (with `pfv5:tls`) the internal CA, the Let's Encrypt issuers
 * and certificates and the hardened ingress. Only composition and config here; every
 * component's check runs before anything is registered, its keys reported under the config
 * key they came from (`pfv5:cluster.jwt.issuer`, `pfv5:tls.email`).
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSecurity, clusterZoneMatrix, resolveClusterSecurityArgs, type ClusterSecurityArgs } from "@pfv5/cluster-security";
import type { KubernetesSettings } from "@pfv5/stack-config";
import {
  AcmeCertificates,
  IngressEdge,
  InternalCa,
  checkAcmeCertificatesArgs,
  checkIngressEdgeArgs,
  type AcmeCertificatesArgs,
  type IngressEdgeArgs,
} from "@pfv5/tls";
import { throwIfProblems, underKey } from "@pfv5/zones";

/** `pfv5:tls` as written: the ACME account and hosts, and the ingress backends. */
type TlsConfig = Omit<AcmeCertificatesArgs, "namespace" | "certManagerRelease"> &
  Pick<IngressEdgeArgs, "backends" | "corsOrigin" | "rateLimits" | "proxyTimeoutSeconds" | "coordinationTimeoutSeconds">;

export function clusterStack(settings: KubernetesSettings): Promise<Record<string, unknown>> {
  const name = `pfv5-${settings.environment}`;
  const subject = `stack "${pulumi.getStack()}" configuration`;
  const args = { environment: settings.environment, ...settings.cluster } as ClusterSecurityArgs;
  const resolved = underKey("pfv5:cluster", subject, () => resolveClusterSecurityArgs(name, args));
  const namespace = resolved.namespaces.app;

  const tls = settings.tls as TlsConfig | undefined;
  const acmeArgs: AcmeCertificatesArgs | undefined = tls === undefined ? undefined : { ...tls, namespace };
  const edgeArgs: IngressEdgeArgs | undefined =
    tls === undefined
      ? undefined
      : {
          domain: tls.domain,
          ...(tls.hosts !== undefined ? { hosts: tls.hosts } : {}),
          namespace,
          backends: tls.backends,
          // The real secret name comes from AcmeCertificates below; any valid name lets the
          // check cover the rest of the arguments first.
          tlsSecretName: "pfv5-hosts-tls",
          ...(tls.corsOrigin !== undefined ? { corsOrigin: tls.corsOrigin } : {}),
          ...(tls.ingressClassName !== undefined ? { ingressClassName: tls.ingressClassName } : {}),
          ...(tls.rateLimits !== undefined ? { rateLimits: tls.rateLimits } : {}),
          ...(tls.proxyTimeoutSeconds !== undefined ? { proxyTimeoutSeconds: tls.proxyTimeoutSeconds } : {}),
          ...(tls.coordinationTimeoutSeconds !== undefined ? { coordinationTimeoutSeconds: tls.coordinationTimeoutSeconds } : {}),
        };
  if (acmeArgs !== undefined && edgeArgs !== undefined) {
    underKey("pfv5:tls", subject, () =>
      throwIfProblems(subject, [...checkAcmeCertificatesArgs(acmeArgs), ...checkIngressEdgeArgs(edgeArgs)]),
    );
  }

  // The kubeconfig is a secret: read it as one so it never lands in state or logs in clear.
  const kubeconfig = settings.hasKubeconfig ? new pulumi.Config("pfv5").requireSecret("kubeconfig") : undefined;
  const provider = new kubernetes.Provider(`${name}-k8s`, {
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    ...(settings.kubeContext !== undefined ? { context: settings.kubeContext } : {}),
  });
  const protect = { protect: settings.protect };

  const security = new ClusterSecurity(name, { ...args, provider }, protect);
  const outputs: Record<string, unknown> = {
    namespace: security.namespace,
    networkPolicies: security.networkPolicyNames,
    principals: security.principals,
    zoneMatrix: clusterZoneMatrix(args).text,
  };
  if (acmeArgs === undefined || edgeArgs === undefined) return Promise.resolve(outputs);

  // Depending on the ClusterSecurity component means depending on everything it made:
  // the namespace the certificates live in, and the cert-manager release with its CRDs.
  const k8sOpts = { ...protect, provider };
  const ca = new InternalCa(
    `${name}-ca`,
    { protect: settings.protect, istio: {}, clusterIssuer: {}, certManagerRelease: security },
    k8sOpts,
  );
  const acme = new AcmeCertificates(`${name}-acme`, { ...acmeArgs, certManagerRelease: security }, k8sOpts);
  const edge = new IngressEdge(
    `${name}-edge`,
    { ...edgeArgs, tlsSecretName: acme.hostsSecretName, dependsOn: [security] },
    k8sOpts,
  );

  return Promise.resolve({
    ...outputs,
    caRootCertPem: ca.rootCertPem,
    internalIssuer: ca.clusterIssuerName,
    acmeIssuer: acme.issuerName,
    ingresses: edge.ingressNames,
    ingressControllerValues: edge.controllerValues,
  });
}
