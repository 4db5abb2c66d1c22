/** A server (or client) certificate signed by the internal intermediate CA. */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { joinPemOutputs } from "../pem";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import { isBag } from "../input";
import { setting } from "../resources";
import { checkLeafInput, planLeaf, type EcdsaCurve } from "./plan";

/** What a leaf needs from its issuer (an {@link InternalCa} provides all three). */
export interface LeafIssuer {
  readonly intermediateCertPem: pulumi.Output<string>;
  readonly intermediatePrivateKeyPem: pulumi.Output<string>;
  readonly caChainPem: pulumi.Output<string>;
}

export interface LeafCertificateArgs {
  /** The CA that signs the certificate, usually an `InternalCa`. */
  readonly issuer: LeafIssuer;
  /** The names clients connect to; at least one. A leading `*.` makes a wildcard. */
  readonly dnsNames: readonly string[];
  /** IP addresses to include as subject alternative names. @default [] */
  readonly ipAddresses?: readonly string[];
  /** The subject common name (informational; clients match the DNS names). @default the first DNS name */
  readonly commonName?: string;
  /** The ECDSA curve of the leaf key. @default "P256" (DEFAULT_CA_CURVE) */
  readonly curve?: EcdsaCurve;
  /** Hours the certificate stays valid. @default 2160 (90 days, DEFAULT_LEAF_VALIDITY_HOURS) */
  readonly validityHours?: number;
  /**
   * Hours before expiry at which an update replaces the certificate.
   * @default 720, or a third of the validity when that is shorter
   */
  readonly earlyRenewalHours?: number;
  /** Key uses; add "clientAuth" for mTLS clients. @default ["digitalSignature", "serverAuth"] (DEFAULT_LEAF_USES) */
  readonly allowedUses?: readonly string[];
}

/**
 * Every problem with `LeafCertificate` arguments, as received: a missing or wrongly typed
 * setting is a problem, never an exception. The issuer is checked when one is given (a
 * stack may check the rest before the CA exists).
 */
export function checkLeafCertificateArgs(args: unknown): Problem[] {
  const problems = checkLeafInput(args);
  const issuer = setting(args, "issuer");
  if (issuer !== undefined) {
    const fields = ["intermediateCertPem", "intermediatePrivateKeyPem", "caChainPem"] as const;
    if (!isBag(issuer) || fields.some((f) => !pulumi.Output.isInstance(issuer[f]))) {
      problems.push({ key: "issuer", value: issuer, message: `expected the signing CA (an InternalCa, or Outputs ${fields.join(", ")})` });
    }
  }
  return problems;
}

export class LeafCertificate extends pulumi.ComponentResource {
  /** The certificate (PEM). */
  readonly certPem: pulumi.Output<string>;
  /** The private key (PEM, secret). */
  readonly privateKeyPem: pulumi.Output<string>;
  /** The certificate followed by the intermediate: what `ssl_certificate` expects. */
  readonly fullChainPem: pulumi.Output<string>;
  /** Intermediate then root: the bundle for `ssl_trusted_certificate` and clients. */
  readonly caChainPem: pulumi.Output<string>;

  constructor(name: string, args: LeafCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input leaves no trace in the stack.
    const problems = checkLeafCertificateArgs(args);
    if (setting(args, "issuer") === undefined) problems.push({ key: "issuer", value: undefined, message: "is required: give the signing CA, e.g. an InternalCa" });
    throwIfProblems("LeafCertificate", problems);
    const plan = planLeaf(args);
    super("pfv5:tls:LeafCertificate", name, {}, opts);
    const key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: plan.curve }, { parent: this });
    const request = new tls.CertRequest(`${name}-csr`, {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: plan.commonName },
      dnsNames: [...plan.dnsNames],
      ...(plan.ipAddresses.length > 0 ? { ipAddresses: [...plan.ipAddresses] } : {}),
    }, { parent: this });
    const cert = new tls.LocallySignedCert(`${name}-cert`, {
      certRequestPem: request.certRequestPem,
      caCertPem: args.issuer.intermediateCertPem,
      caPrivateKeyPem: args.issuer.intermediatePrivateKeyPem,
      validityPeriodHours: plan.validityPeriodHours,
      earlyRenewalHours: plan.earlyRenewalHours,
      allowedUses: [...plan.allowedUses],
      setSubjectKeyId: true,
    }, { parent: this });

    this.certPem = cert.certPem;
    this.privateKeyPem = pulumi.secret(key.privateKeyPem);
    this.fullChainPem = joinPemOutputs([cert.certPem, args.issuer.intermediateCertPem]);
    this.caChainPem = args.issuer.caChainPem;
    this.registerOutputs({
      certPem: this.certPem,
      privateKeyPem: this.privateKeyPem,
      fullChainPem: this.fullChainPem,
      caChainPem: this.caChainPem,
    });
  }
}
