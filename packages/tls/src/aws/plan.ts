/**
 * The AWS edge as plain values: the TLS policy allow list, validation and the access-log
 * bucket policy. No Pulumi here.
 */
import { PORTS, type Problem } from "@pfv5/zones";
import { bagAt, checkBoolean, isBag, isDeferred, keyOf, listAt, missing, unknownKeys } from "../input";
import { checkPort, checkPositiveInt, HOSTED_ZONE_ID } from "../validate";

/**
 * ALB security policies that accept no protocol below TLS 1.2 (the TLS13 family, the
 * FIPS and post-quantum variants, and the older TLS-1-2 and FS-1-2 policies). Anything
 * else, including the API's default ELBSecurityPolicy-2016-08, still offers TLS 1.0.
 */
export const ALB_TLS12_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/**
 * TLS 1.3 and 1.2, TLS 1.2 restricted to ECDHE with AES-GCM (the seed's cipher list),
 * with hybrid post-quantum key exchange offered to clients that support it. AWS's
 * current console default.
 */
export const DEFAULT_ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

export const DEFAULT_HEALTH_CHECK_PATH = "/health";
/** Days access logs are kept. */
export const DEFAULT_LOG_EXPIRATION_DAYS = 90;
export const DEFAULT_LOG_PREFIX = "alb";
/**
 * Idle timeout of client connections: above the coordination agent's 90 s operations,
 * which would otherwise be cut at the ALB's 60 s default.
 */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;

/**
 * The Elastic Load Balancing account that writes access logs, for Regions opened before
 * August 2022 (AWS's "Enable access logs" guide). Newer Regions use the log delivery
 * service principal instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
  "af-south-1": "098369216593", "ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
  "eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
  "ap-east-1": "754344448648", "ap-northeast-1": "582318560864", "ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-south-1": "718504428378", "me-south-1": "076674570225",
  "sa-east-1": "507241528517", "us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
};

export const LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The settings of `AwsEdge`, in the order its arguments document them. */
export const AWS_EDGE_KEYS = [
  "vpcId", "subnetIds", "securityGroupId", "certificate", "sslPolicy", "appPort", "healthCheckPath", "targetType",
  "idleTimeoutSeconds", "deletionProtection", "accessLogs", "tags",
] as const;

const NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const ACM_ARN = /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[A-Za-z0-9-]+$/;
const CERTIFICATE_FORMS = "{ arn } of an existing ACM certificate, or { domainName, hostedZoneId } for a new DNS-validated one";

/** Problems with an id that may be a plain string or a value the engine resolves later. */
function checkId(key: string, value: unknown, what: string): Problem[] {
  if (value === undefined) return [missing(key, what)];
  if ((typeof value === "string" && value !== "") || isDeferred(value)) return [];
  return [{ key, value, message: `expected ${what}, as a string or an Output` }];
}

function checkSubnets(value: unknown, problems: Problem[]): void {
  const what = "the public DMZ subnet ids, one per availability zone, at least two";
  if (value === undefined) {
    problems.push(missing("subnetIds", what));
    return;
  }
  const list = listAt("subnetIds", value, '["subnet-dmz-a", "subnet-dmz-b"]', problems);
  if (list === undefined) return;
  if (list.length < 2) problems.push({ key: "subnetIds", value, message: "lists fewer than two subnets: an Application Load Balancer needs subnets in at least two availability zones" });
  list.forEach((id, i) => problems.push(...checkId(`subnetIds[${i}]`, id, "a subnet id")));
}

function checkDnsName(key: string, value: unknown): Problem[] {
  if (typeof value === "string" && NAME.test(value)) return [];
  return [{ key, value, message: "expected a lower-case DNS name, optionally starting with \"*.\"" }];
}

function checkCertificate(value: unknown, problems: Problem[]): void {
  if (value === undefined) {
    problems.push(missing("certificate", CERTIFICATE_FORMS));
    return;
  }
  if (!isBag(value)) {
    const hint = typeof value === "string" ? `; an ARN goes in as { arn: ${JSON.stringify(value)} }` : "";
    problems.push({ key: "certificate", value, message: `expected an object: ${CERTIFICATE_FORMS}${hint}` });
    return;
  }
  const cert = value;
  unknownKeys("certificate", cert, ["arn", "domainName", "subjectAlternativeNames", "hostedZoneId"], problems);
  const hasArn = cert.arn !== undefined;
  const hasDomain = cert.domainName !== undefined;
  if (hasArn === hasDomain) {
    problems.push({
      key: "certificate",
      value,
      message: `${hasArn ? "has both arn and domainName" : "has neither arn nor domainName"}: give exactly one, ${CERTIFICATE_FORMS}`,
    });
    return;
  }
  if (hasArn) {
    const arn = cert.arn;
    if (!isDeferred(arn) && (typeof arn !== "string" || !ACM_ARN.test(arn))) {
      problems.push({ key: "certificate.arn", value: arn, message: "expected an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-..., as a string or an Output" });
    }
    for (const k of ["subjectAlternativeNames", "hostedZoneId"] as const) {
      if (cert[k] !== undefined) problems.push({ key: `certificate.${k}`, value: cert[k], message: "applies to a new certificate (certificate.domainName) only: remove it, or replace certificate.arn with certificate.domainName" });
    }
    return;
  }
  problems.push(...checkDnsName("certificate.domainName", cert.domainName));
  const sans = listAt("certificate.subjectAlternativeNames", cert.subjectAlternativeNames, '["*.example.com"]', problems);
  (sans ?? []).forEach((n, i) => problems.push(...checkDnsName(`certificate.subjectAlternativeNames[${i}]`, n)));
  const zone = cert.hostedZoneId;
  if (zone === undefined) {
    problems.push({ key: "certificate.hostedZoneId", value: undefined, message: "is required with certificate.domainName: the validation records go into that Route 53 zone; give its id, e.g. Z0123456789ABCDEFGHIJ" });
  } else if (!isDeferred(zone) && (typeof zone !== "string" || !HOSTED_ZONE_ID.test(zone))) {
    problems.push({ key: "certificate.hostedZoneId", value: zone, message: "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, as a string or an Output" });
  }
}

function checkAccessLogs(value: unknown, problems: Problem[]): void {
  const logs = bagAt("accessLogs", value, '{ prefix: "alb", expirationDays: 90 }', problems);
  if (logs === undefined) return;
  unknownKeys("accessLogs", logs, ["prefix", "expirationDays", "forceDestroy"], problems);
  const prefix = logs.prefix;
  if (prefix !== undefined && (typeof prefix !== "string" || !/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/.test(prefix) || prefix.includes("AWSLogs"))) {
    problems.push({ key: "accessLogs.prefix", value: prefix, message: "expected lower-case letters, digits, '-', '_' or '/', not containing AWSLogs (ELB adds it)" });
  }
  if (logs.expirationDays !== undefined) problems.push(...checkPositiveInt("accessLogs.expirationDays", logs.expirationDays, "a number of days"));
  problems.push(...checkBoolean("accessLogs.forceDestroy", logs.forceDestroy));
}

function checkTags(value: unknown, problems: Problem[]): void {
  const tags = bagAt("tags", value, '{ Environment: "prod" }', problems);
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (typeof v !== "string") problems.push({ key: keyOf("tags", k), value: v, message: "expected a string: AWS tag values are text" });
  }
}

/**
 * Every problem with the AWS edge arguments, as received: a missing or wrongly typed
 * setting is a problem here, never an exception. Ids may be Outputs; only their presence
 * can be checked before deployment.
 */
export function checkAwsEdgeInput(input: unknown): Problem[] {
  if (!isBag(input)) {
    return [{ key: "args", value: input, message: `expected an object of AwsEdge settings: vpcId, subnetIds, securityGroupId and certificate (${CERTIFICATE_FORMS})` }];
  }
  const problems: Problem[] = [];
  unknownKeys("", input, AWS_EDGE_KEYS, problems);
  problems.push(...checkId("vpcId", input.vpcId, "the VPC id of the DMZ subnets"));
  checkSubnets(input.subnetIds, problems);
  problems.push(...checkId("securityGroupId", input.securityGroupId, "the edge security group id"));
  checkCertificate(input.certificate, problems);
  const policy = input.sslPolicy;
  if (policy !== undefined && (typeof policy !== "string" || !ALB_TLS12_POLICIES.includes(policy))) {
    problems.push({ key: "sslPolicy", value: policy, message: `is not a policy limited to TLS 1.2 and 1.3: use one of ${ALB_TLS12_POLICIES.join(", ")}` });
  }
  if (input.appPort !== undefined) problems.push(...checkPort("appPort", input.appPort));
  const path = input.healthCheckPath;
  if (path !== undefined && (typeof path !== "string" || !/^\/[A-Za-z0-9/_.~-]*$/.test(path))) {
    problems.push({ key: "healthCheckPath", value: path, message: "expected a path starting with /, e.g. /health" });
  }
  if (input.targetType !== undefined && input.targetType !== "instance" && input.targetType !== "ip") {
    problems.push({ key: "targetType", value: input.targetType, message: "use \"instance\" (EC2) or \"ip\" (pods or tasks)" });
  }
  const idle = input.idleTimeoutSeconds;
  if (idle !== undefined && (typeof idle !== "number" || !Number.isInteger(idle) || idle < 1 || idle > 4000)) {
    problems.push({ key: "idleTimeoutSeconds", value: idle, message: "expected whole seconds from 1 to 4000 (the ALB's range)" });
  }
  problems.push(...checkBoolean("deletionProtection", input.deletionProtection));
  checkAccessLogs(input.accessLogs, problems);
  checkTags(input.tags, problems);
  return problems;
}

/**
 * The names that need a DNS validation record: ACM gives `*.example.com` and
 * `example.com` the same record, so one record serves both.
 */
export function validationNames(domainName: string, sans: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of [domainName, ...sans]) {
    const base = n.replace(/^\*\./, "");
    if (!seen.has(base)) {
      seen.add(base);
      out.push(n);
    }
  }
  return out;
}

/** The account, partition and region of an ARN. */
export function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition = "aws", , region = "", account = ""] = arn.split(":");
  return { partition, region, account };
}

/**
 * The access-log bucket policy: ELB may put objects under `prefix/AWSLogs/<account>/`
 * only, and nobody may use the bucket without TLS.
 */
export function accessLogBucketPolicy(bucketArn: string, prefix: string, partition: string, region: string, account: string): string {
  const elbAccount = ELB_LOG_ACCOUNTS[region];
  const principal = elbAccount !== undefined ? { AWS: `arn:${partition}:iam::${elbAccount}:root` } : { Service: LOG_DELIVERY_SERVICE };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ElbAccessLogDelivery", Effect: "Allow", Principal: principal, Action: "s3:PutObject", Resource: `${bucketArn}/${prefix}/AWSLogs/${account}/*` },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** The application port the target group forwards to. */
export const DEFAULT_APP_PORT = PORTS.app;
