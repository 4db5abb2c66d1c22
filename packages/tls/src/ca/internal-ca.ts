/**
 * The internal certificate authority: an offline-style root, an intermediate that signs
 * everything, and the two consumers of the intermediate inside the cluster (Istio's
 * plug-in CA secret and a cert-manager CA ClusterIssuer for internal names).
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import * as kubernetes from "@pulumi/kubernetes";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import { clusterIssuerManifests } from "../cert-manager/models";
import { INTERNAL_CA_ISSUER } from "../defaults";
import { joinPemOutputs } from "../pem";
import { checkResource, checkResources, setting } from "../resources";
import { LeafCertificate, type LeafCertificateArgs, type LeafIssuer } from "./leaf-certificate";
import {
  CERT_MANAGER_NAMESPACE, checkCaInput, ISTIO_CACERTS_SECRET, ISTIO_NAMESPACE, planCa, type CertificatePlan, type EcdsaCurve,
} from "./plan";

export interface InternalCaArgs {
  /**
   * The ECDSA curve of both CA keys.
   * @default "P256" (DEFAULT_CA_CURVE)
   */
  readonly curve?: EcdsaCurve;
  /** The root's subject common name, shown by clients that list trusted roots. @default "Progressive-Framework-v5 Root CA" (DEFAULT_ROOT_COMMON_NAME) */
  readonly rootCommonName?: string;
  /** The intermediate's subject common name; it is the issuer named in every leaf. @default "Progressive-Framework-v5 Intermediate CA" (DEFAULT_INTERMEDIATE_COMMON_NAME) */
  readonly intermediateCommonName?: string;
  /** The subject organization of both certificates. @default "Progressive-Framework-v5" */
  readonly organization?: string;
  /** Hours the root stays valid; replacing it means redistributing trust. @default 87600 (ten years, DEFAULT_ROOT_VALIDITY_HOURS) */
  readonly rootValidityHours?: number;
  /** Hours the intermediate stays valid; must be shorter than the root's. @default 43800 (five years, DEFAULT_INTERMEDIATE_VALIDITY_HOURS) */
  readonly intermediateValidityHours?: number;
  /** Key uses of the root; must include "certSigning". @default ["certSigning", "crlSigning"] */
  readonly rootAllowedUses?: readonly string[];
  /** Key uses of the intermediate; must include "certSigning". @default ["certSigning", "crlSigning"] */
  readonly intermediateAllowedUses?: readonly string[];
  /**
   * Protect the CA keys and certificates from deletion and replacement. Set it in
   * production: a replaced root invalidates every certificate and every mTLS identity.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Write Istio's plug-in CA secret (`cacerts`) so istiod signs workload certificates
   * with the intermediate instead of a self-signed root of its own. Omit to skip.
   */
  readonly istio?: {
    /** @default "istio-system" (ISTIO_NAMESPACE) */
    readonly namespace?: string;
  };
  /** Create a cert-manager CA ClusterIssuer backed by the intermediate. Omit to skip. */
  readonly clusterIssuer?: {
    /** @default "internal-ca" (INTERNAL_CA_ISSUER) */
    readonly name?: string;
    /** cert-manager's cluster resource namespace, where it reads the CA secret. @default "cert-manager" */
    readonly secretNamespace?: string;
  };
  /**
   * The cert-manager release (Helm chart) that installs the CRDs; the ClusterIssuer waits
   * for it, or preview fails with "no matches for kind".
   */
  readonly certManagerRelease?: pulumi.Resource;
  /** Extra dependencies of the Kubernetes objects, e.g. the istio-system Namespace. */
  readonly kubernetesDependsOn?: pulumi.Resource[];
}

/**
 * Every problem with `InternalCa` arguments, for a stack to gather with others before
 * failing once. Takes the arguments as received: a missing or wrongly typed setting is a
 * problem, never an exception.
 */
export function checkInternalCaArgs(args: unknown): Problem[] {
  return [
    ...checkCaInput(args),
    ...checkResource("certManagerRelease", setting(args, "certManagerRelease"), "the cert-manager release"),
    ...checkResources("kubernetesDependsOn", setting(args, "kubernetesDependsOn")),
  ];
}

function subject(c: CertificatePlan): { commonName: string; organization: string } {
  return { commonName: c.commonName, organization: c.organization };
}

export class InternalCa extends pulumi.ComponentResource implements LeafIssuer {
  /** The root certificate (PEM): the trust anchor clients install. */
  readonly rootCertPem: pulumi.Output<string>;
  /** The intermediate certificate (PEM). */
  readonly intermediateCertPem: pulumi.Output<string>;
  /** The intermediate's private key (PEM, secret): it signs every issued certificate. */
  readonly intermediatePrivateKeyPem: pulumi.Output<string>;
  /** Intermediate then root (PEM): what a server sends after its own certificate. */
  readonly caChainPem: pulumi.Output<string>;
  /** The CA ClusterIssuer's name, when one was created. */
  readonly clusterIssuerName: string | undefined;
  /** `namespace/name` of Istio's plug-in CA secret, when one was created. */
  readonly istioSecret: string | undefined;

  constructor(name: string, args: InternalCaArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input leaves no trace in the stack.
    throwIfProblems("InternalCa", checkInternalCaArgs(args));
    const plan = planCa(args);
    super("pfv5:tls:InternalCa", name, {}, opts);
    const caOpts: pulumi.CustomResourceOptions = { parent: this, protect: args.protect ?? false };

    const rootKey = new tls.PrivateKey(`${name}-root-key`, { algorithm: "ECDSA", ecdsaCurve: plan.curve }, caOpts);
    const root = new tls.SelfSignedCert(`${name}-root`, {
      privateKeyPem: rootKey.privateKeyPem,
      subject: subject(plan.root),
      isCaCertificate: true,
      ...(plan.root.maxPathLength !== undefined ? { maxPathLength: plan.root.maxPathLength } : {}),
      validityPeriodHours: plan.root.validityPeriodHours,
      allowedUses: [...plan.root.allowedUses],
      setSubjectKeyId: true,
      setAuthorityKeyId: true,
    }, caOpts);

    const intermediateKey = new tls.PrivateKey(`${name}-intermediate-key`, { algorithm: "ECDSA", ecdsaCurve: plan.curve }, caOpts);
    const request = new tls.CertRequest(`${name}-intermediate-csr`, {
      privateKeyPem: intermediateKey.privateKeyPem,
      subject: subject(plan.intermediate),
    }, caOpts);
    const intermediate = new tls.LocallySignedCert(`${name}-intermediate`, {
      certRequestPem: request.certRequestPem,
      caCertPem: root.certPem,
      caPrivateKeyPem: rootKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: plan.intermediate.validityPeriodHours,
      allowedUses: [...plan.intermediate.allowedUses],
      setSubjectKeyId: true,
    }, caOpts);

    this.rootCertPem = root.certPem;
    this.intermediateCertPem = intermediate.certPem;
    // The provider marks the key secret; mocks and older engines do not, so say it here too.
    this.intermediatePrivateKeyPem = pulumi.secret(intermediateKey.privateKeyPem);
    this.caChainPem = joinPemOutputs([intermediate.certPem, root.certPem]);

    const k8sDeps = args.kubernetesDependsOn ?? [];
    if (args.istio !== undefined) {
      const namespace = args.istio.namespace ?? ISTIO_NAMESPACE;
      // The file names istiod reads from its plug-in CA secret.
      new kubernetes.core.v1.Secret(`${name}-istio-cacerts`, {
        metadata: { name: ISTIO_CACERTS_SECRET, namespace },
        type: "Opaque",
        stringData: {
          "ca-cert.pem": intermediate.certPem,
          "ca-key.pem": this.intermediatePrivateKeyPem,
          "root-cert.pem": root.certPem,
          "cert-chain.pem": this.caChainPem,
        },
      }, { parent: this, dependsOn: k8sDeps, additionalSecretOutputs: ["stringData", "data"] });
      this.istioSecret = `${namespace}/${ISTIO_CACERTS_SECRET}`;
    } else {
      this.istioSecret = undefined;
    }

    if (args.clusterIssuer !== undefined) {
      const issuerName = args.clusterIssuer.name ?? INTERNAL_CA_ISSUER;
      const secretName = `${issuerName}-ca`;
      const secret = new kubernetes.core.v1.Secret(`${name}-issuer-ca`, {
        metadata: { name: secretName, namespace: args.clusterIssuer.secretNamespace ?? CERT_MANAGER_NAMESPACE },
        type: "kubernetes.io/tls",
        // tls.crt carries the chain so issued certificates come with the intermediate.
        stringData: { "tls.crt": this.caChainPem, "tls.key": this.intermediatePrivateKeyPem },
      }, { parent: this, dependsOn: k8sDeps, additionalSecretOutputs: ["stringData", "data"] });
      const [manifest] = clusterIssuerManifests([{ name: issuerName, spec: { ca: { secretName } } }]);
      if (manifest === undefined) throw new pulumi.ResourceError("unreachable: one issuer was built", this);
      new kubernetes.apiextensions.CustomResource(`${name}-cluster-issuer`, { ...manifest }, {
        parent: this,
        dependsOn: [secret, ...k8sDeps, ...(args.certManagerRelease !== undefined ? [args.certManagerRelease] : [])],
      });
      this.clusterIssuerName = issuerName;
    } else {
      this.clusterIssuerName = undefined;
    }

    this.registerOutputs({
      rootCertPem: this.rootCertPem,
      intermediateCertPem: this.intermediateCertPem,
      intermediatePrivateKeyPem: this.intermediatePrivateKeyPem,
      caChainPem: this.caChainPem,
      clusterIssuerName: this.clusterIssuerName,
      istioSecret: this.istioSecret,
    });
  }

  /** Issues a leaf certificate signed by the intermediate. */
  issueLeaf(name: string, args: Omit<LeafCertificateArgs, "issuer">, opts?: pulumi.ComponentResourceOptions): LeafCertificate {
    return new LeafCertificate(name, { ...args, issuer: this }, opts);
  }
}
