/**
 * The hardened ingress-nginx edge: one Ingress per host (two for the agents host, whose
 * coordination path needs a longer timeout), all served with the cert-manager
 * certificate, plus the controller values for the ingress-nginx Helm release.
 */
import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/kubernetes";
import { INGRESS_CLASS_NAME } from "../defaults";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import { checkResource, checkResources, setting } from "../resources";
import type { HostNames } from "../validate";
import { checkIngressInput, ingressNginxValues, planIngress, type IngressBackends, type RateLimit } from "./plan";

export interface IngressEdgeArgs {
  /** The domain the hosts live under, e.g. `example.com`. */
  readonly domain: string;
  /** Host names under `domain`. @default app on the apex, `api.`, `agents.`, `admin.` below it */
  readonly hosts?: Partial<HostNames>;
  /** The namespace of the Ingresses, the Services and the certificate Secret. */
  readonly namespace: string;
  /** The Services behind each host and agent path. */
  readonly backends: IngressBackends;
  /** The Secret holding the hosts' certificate (`AcmeCertificates.hostsSecretName`). */
  readonly tlsSecretName: string;
  /** The IngressClass of the ingress-nginx controller. @default "nginx" (INGRESS_CLASS_NAME) */
  readonly ingressClassName?: string;
  /** The only origin the API answers CORS requests for. @default `https://${hosts.app}` */
  readonly corsOrigin?: string;
  /**
   * Per-client limits. The burst is the rate times the multiplier (ingress-nginx's rule).
   * @default api 100/min, agents 200/min, multiplier 1 (RATE_LIMITS, DEFAULT_BURST_MULTIPLIER)
   */
  readonly rateLimits?: { readonly api?: Partial<RateLimit>; readonly agents?: Partial<RateLimit> };
  /** Connect, send and read timeout to the backends, in seconds. @default 60 (PROXY_TIMEOUT_SECONDS) */
  readonly proxyTimeoutSeconds?: number;
  /** The coordination agent's timeout. @default 90 (COORDINATION_TIMEOUT_SECONDS) */
  readonly coordinationTimeoutSeconds?: number;
  /**
   * The ingress-nginx release; Ingresses wait for it so its admission webhook exists
   * when they are validated.
   */
  readonly ingressControllerRelease?: pulumi.Resource;
  /** Extra dependencies, e.g. the Certificate or the Namespace. */
  readonly dependsOn?: pulumi.Resource[];
}

/**
 * Every problem with `IngressEdge` arguments, for a stack to gather before failing once.
 * Takes the arguments as received (a config object, say): a missing or wrongly typed
 * setting is a problem, never an exception.
 */
export function checkIngressEdgeArgs(args: unknown): Problem[] {
  return [
    ...checkIngressInput(args),
    ...checkResource("ingressControllerRelease", setting(args, "ingressControllerRelease"), "the ingress-nginx release"),
    ...checkResources("dependsOn", setting(args, "dependsOn")),
  ];
}

export class IngressEdge extends pulumi.ComponentResource {
  /** The Ingress names, in creation order. */
  readonly ingressNames: readonly string[];
  /**
   * Values for the ingress-nginx Helm chart (`controller.config`, `controller.addHeaders`):
   * TLS 1.2/1.3 with ECDHE-GCM ciphers, HSTS, HTTPS redirects except ACME, security headers.
   */
  readonly controllerValues: ReturnType<typeof ingressNginxValues>;

  constructor(name: string, args: IngressEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input leaves no trace in the stack.
    throwIfProblems("IngressEdge", checkIngressEdgeArgs(args));
    const plans = planIngress(args);
    super("pfv5:tls:IngressEdge", name, {}, opts);
    const dependsOn = [...(args.ingressControllerRelease !== undefined ? [args.ingressControllerRelease] : []), ...(args.dependsOn ?? [])];
    for (const p of plans) {
      new kubernetes.networking.v1.Ingress(`${name}-${p.name}`, {
        metadata: { name: p.name, namespace: args.namespace, annotations: p.annotations },
        spec: {
          ingressClassName: args.ingressClassName ?? INGRESS_CLASS_NAME,
          tls: [{ hosts: [p.host], secretName: args.tlsSecretName }],
          rules: [{
            host: p.host,
            http: {
              paths: p.paths.map((path) => ({
                path: path.path,
                pathType: path.pathType,
                backend: { service: { name: path.backend.service, port: { number: path.backend.port } } },
              })),
            },
          }],
        },
      }, { parent: this, dependsOn });
    }
    this.ingressNames = plans.map((p) => p.name);
    this.controllerValues = ingressNginxValues();
    this.registerOutputs({ ingressNames: this.ingressNames, controllerValues: this.controllerValues });
  }
}
