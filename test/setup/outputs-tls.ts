/**
 * Computed outputs of the tls, Kubernetes-free AWS edge and ACM resources that the TLS
 * components read. Spread into `computedOutputs`; PEM values are recognisable fakes.
 */
import type { MockRegistration } from "./outputs";

type Filler = (args: MockRegistration, id: string) => Record<string, unknown>;

const pem = (kind: string, name: string): string => `-----BEGIN ${kind}-----\nfake-${name}\n-----END ${kind}-----\n`;

export const tlsComputedOutputs: Record<string, Filler> = {
  "tls:index/privateKey:PrivateKey": (args) => ({
    privateKeyPem: pem("EC PRIVATE KEY", args.name),
    privateKeyPemPkcs8: pem("PRIVATE KEY", args.name),
    publicKeyPem: pem("PUBLIC KEY", args.name),
  }),
  "tls:index/selfSignedCert:SelfSignedCert": (args) => ({ certPem: pem("CERTIFICATE", args.name) }),
  "tls:index/certRequest:CertRequest": (args) => ({ certRequestPem: pem("CERTIFICATE REQUEST", args.name) }),
  "tls:index/locallySignedCert:LocallySignedCert": (args) => ({ certPem: pem("CERTIFICATE", args.name) }),
};
