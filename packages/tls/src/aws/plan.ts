/**
 * The AWS edge as plain values: the TLS policy allow list, validation and the access-log
 * bucket policy. No Pulumi here.
 */
import { PORTS, type Problem } from "@pfv5/zones";
import { checkPort, checkPositiveInt } from "../validate";

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

export interface AwsEdgePlanInput {
  readonly subnetCount?: number;
  readonly certificateArn?: unknown;
  readonly domainName?: string;
  readonly subjectAlternativeNames?: readonly string[];
  readonly hostedZoneId?: unknown;
  readonly sslPolicy?: string;
  readonly appPort?: number;
  readonly healthCheckPath?: string;
  readonly logExpirationDays?: number;
  readonly logPrefix?: string;
  readonly idleTimeoutSeconds?: number;
  readonly targetType?: string;
}

const NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Every problem with the AWS edge arguments. */
export function checkAwsEdgeInput(input: AwsEdgePlanInput): Problem[] {
  const problems: Problem[] = [];
  if (input.subnetCount !== undefined && input.subnetCount < 2) {
    problems.push({ key: "subnetIds", value: input.subnetCount, message: "lists fewer than two subnets: an Application Load Balancer needs subnets in at least two availability zones" });
  }
  const hasArn = input.certificateArn !== undefined;
  const hasDomain = input.domainName !== undefined;
  if (hasArn === hasDomain) {
    problems.push({ key: "certificate", value: hasArn ? "both" : "neither", message: "give exactly one of certificate.arn (an existing ACM certificate) or certificate.domainName (a new DNS-validated one)" });
  }
  if (hasDomain) {
    [input.domainName, ...(input.subjectAlternativeNames ?? [])].forEach((n, i) => {
      if (typeof n !== "string" || !NAME.test(n)) {
        problems.push({ key: i === 0 ? "certificate.domainName" : `certificate.subjectAlternativeNames[${i - 1}]`, value: n, message: "expected a lower-case DNS name, optionally starting with \"*.\"" });
      }
    });
    if (input.hostedZoneId === undefined) problems.push({ key: "certificate.hostedZoneId", value: undefined, message: "is required with certificate.domainName: the validation records go into that Route 53 zone" });
  }
  if (input.sslPolicy !== undefined && !ALB_TLS12_POLICIES.includes(input.sslPolicy)) {
    problems.push({ key: "sslPolicy", value: input.sslPolicy, message: `is not a policy limited to TLS 1.2 and 1.3: use one of ${ALB_TLS12_POLICIES.join(", ")}` });
  }
  if (input.appPort !== undefined) problems.push(...checkPort("appPort", input.appPort));
  if (input.healthCheckPath !== undefined && !/^\/[A-Za-z0-9/_.~-]*$/.test(input.healthCheckPath)) {
    problems.push({ key: "healthCheckPath", value: input.healthCheckPath, message: "expected a path starting with /, e.g. /health" });
  }
  if (input.logExpirationDays !== undefined) problems.push(...checkPositiveInt("accessLogs.expirationDays", input.logExpirationDays, "a number of days"));
  if (input.logPrefix !== undefined && (!/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/.test(input.logPrefix) || input.logPrefix.includes("AWSLogs"))) {
    problems.push({ key: "accessLogs.prefix", value: input.logPrefix, message: "expected lower-case letters, digits, '-', '_' or '/', not containing AWSLogs (ELB adds it)" });
  }
  if (input.idleTimeoutSeconds !== undefined && (!Number.isInteger(input.idleTimeoutSeconds) || input.idleTimeoutSeconds < 1 || input.idleTimeoutSeconds > 4000)) {
    problems.push({ key: "idleTimeoutSeconds", value: input.idleTimeoutSeconds, message: "expected whole seconds from 1 to 4000 (the ALB's range)" });
  }
  if (input.targetType !== undefined && input.targetType !== "instance" && input.targetType !== "ip") {
    problems.push({ key: "targetType", value: input.targetType, message: "use \"instance\" (EC2) or \"ip\" (pods or tasks)" });
  }
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
