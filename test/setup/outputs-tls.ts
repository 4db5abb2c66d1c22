/**
 * Computed outputs of the resources the TLS components read (tls provider keys and
 * certificates, the AWS edge's load balancer, bucket and ACM certificate). Spread into
 * `computedOutputs`; PEM values are recognisable fakes.
 */
import type { MockRegistration } from "./outputs";

type Filler = (args: MockRegistration, id: string) => Record<string, unknown>;

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012";
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
  "aws:lb/targetGroup:TargetGroup": (args) => ({ arn: `${ARN}:targetgroup/${args.name}/0123456789abcdef` }),
  "aws:lb/loadBalancer:LoadBalancer": (args) => ({
    arn: `${ARN}:loadbalancer/app/${args.name}/0123456789abcdef`,
    dnsName: `${args.name}-1234567890.eu-west-1.elb.amazonaws.com`,
    zoneId: "Z32O12XQLNTSW2",
  }),
  "aws:lb/listener:Listener": (args) => ({ arn: `${ARN}:listener/app/${args.name}/0123456789abcdef/fedcba9876543210` }),
  "aws:s3/bucket:Bucket": (args) => {
    const bucket = typeof args.inputs["bucket"] === "string" ? args.inputs["bucket"] : `${args.name}-0a1b2c3`;
    return { bucket, arn: `arn:aws:s3:::${bucket}` };
  },
  // ACM gives a wildcard and its base name the same validation record.
  "aws:acm/certificate:Certificate": (args, id) => {
    const names = [args.inputs["domainName"], ...((args.inputs["subjectAlternativeNames"] as unknown[] | undefined) ?? [])].filter((n): n is string => typeof n === "string");
    return {
      arn: `arn:aws:acm:eu-west-1:123456789012:certificate/${id}`,
      domainValidationOptions: names.map((domainName) => {
        const base = domainName.replace(/^\*\./, "");
        return { domainName, resourceRecordName: `_v.${base}.`, resourceRecordType: "CNAME", resourceRecordValue: `_v.${base}.acm-validations.aws.` };
      }),
    };
  },
  "aws:route53/record:Record": (args) => ({ fqdn: String(args.inputs["name"]).replace(/\.$/, "") }),
};
