/**
 * The AWS edge: an internet-facing Application Load Balancer in the DMZ subnets behind
 * the edge security group, HTTPS with an ACM certificate and a TLS 1.2+ policy, HTTP
 * that only redirects, access logs to a locked-down bucket, and the app target group.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { HSTS_HEADER_VALUE, SECURITY_HEADERS } from "../defaults";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import {
  accessLogBucketPolicy, arnParts, checkAwsEdgeInput, DEFAULT_ALB_SSL_POLICY, DEFAULT_APP_PORT, DEFAULT_HEALTH_CHECK_PATH,
  DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_LOG_EXPIRATION_DAYS, DEFAULT_LOG_PREFIX, validationNames,
} from "./plan";

/** An existing ACM certificate. Excludes the `domainName` form. */
export interface ExistingCertificate {
  readonly arn: pulumi.Input<string>;
}

/** A new ACM certificate validated through Route 53 records. Excludes the `arn` form. */
export interface NewCertificate {
  readonly domainName: string;
  readonly subjectAlternativeNames?: readonly string[];
  /** The public hosted zone the validation records go into. */
  readonly hostedZoneId: pulumi.Input<string>;
}

export interface AwsEdgeArgs {
  /** The VPC of the target group (the one the DMZ subnets belong to). */
  readonly vpcId: pulumi.Input<string>;
  /** The public DMZ subnets, one per availability zone; at least two. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The edge security group (from the firewall component): 80 and 443 in, the app port out. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Exactly one of an existing certificate ARN or a domain for a new DNS-validated one. */
  readonly certificate: ExistingCertificate | NewCertificate;
  /** Must be in ALB_TLS12_POLICIES. @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" */
  readonly sslPolicy?: string;
  /** The application port the target group forwards to and health-checks. @default 3000 (PORTS.app) */
  readonly appPort?: number;
  /** The path the health checks request; 200-399 counts as healthy. @default "/health" (DEFAULT_HEALTH_CHECK_PATH) */
  readonly healthCheckPath?: string;
  /** "instance" for EC2 targets, "ip" for pods or tasks. @default "instance" */
  readonly targetType?: "instance" | "ip";
  /** Seconds an idle client connection stays open; above the coordination agent's 90 s. @default 120 (DEFAULT_IDLE_TIMEOUT_SECONDS) */
  readonly idleTimeoutSeconds?: number;
  /** Refuse deletion of the load balancer. @default true */
  readonly deletionProtection?: boolean;
  /** Where and how long access logs are kept: a new private bucket, SSE-S3, expiring. */
  readonly accessLogs?: {
    /** @default "alb" */
    readonly prefix?: string;
    /** @default 90 */
    readonly expirationDays?: number;
    /** Let a destroy delete logs still in the bucket (development only). @default false */
    readonly forceDestroy?: boolean;
  };
  /** Tags for every resource; `Name` is set per resource. */
  readonly tags?: Record<string, string>;
}

/**
 * Every problem with `AwsEdge` arguments, for a stack to gather before failing once.
 * Takes the arguments as received (a config object, say): a missing or wrongly typed
 * setting is a problem, never an exception.
 */
export function checkAwsEdgeArgs(args: unknown): Problem[] {
  return checkAwsEdgeInput(args);
}

export class AwsEdge extends pulumi.ComponentResource {
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  /** The load balancer's hosted zone, for Route 53 alias records. */
  readonly zoneId: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly httpListenerArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;
  readonly logBucketName: pulumi.Output<string>;

  constructor(name: string, args: AwsEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input leaves no trace in the stack.
    throwIfProblems("AwsEdge", checkAwsEdgeArgs(args));
    const cert = args.certificate as Partial<ExistingCertificate & NewCertificate>;
    super("pfv5:tls:AwsEdge", name, {}, opts);
    const tags = (role: string) => ({ ...(args.tags ?? {}), Name: `${name}-${role}` });
    const prefix = args.accessLogs?.prefix ?? DEFAULT_LOG_PREFIX;
    const appPort = args.appPort ?? DEFAULT_APP_PORT;

    const targetGroup = new aws.lb.TargetGroup(`${name}-app`, {
      vpcId: args.vpcId,
      port: appPort,
      protocol: "HTTP",
      targetType: args.targetType ?? "instance",
      deregistrationDelay: 30,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: args.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH,
        matcher: "200-399",
        interval: 15,
        timeout: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
      tags: tags("app"),
    }, { parent: this });

    // Access logs: private, SSE-S3 (the only encryption ELB log delivery supports), expiring.
    const bucket = new aws.s3.Bucket(`${name}-logs`, { forceDestroy: args.accessLogs?.forceDestroy ?? false, tags: tags("logs") }, { parent: this });
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-logs-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-logs-public-access`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, { parent: this });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-logs-encryption`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, { parent: this });
    new aws.s3.BucketLifecycleConfiguration(`${name}-logs-lifecycle`, {
      bucket: bucket.id,
      rules: [{
        id: "expire-access-logs",
        status: "Enabled",
        filter: { prefix: `${prefix}/` },
        expiration: { days: args.accessLogs?.expirationDays ?? DEFAULT_LOG_EXPIRATION_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, { parent: this });
    // The account, partition and region come from the target group's ARN: no lookup needed.
    const policy = new aws.s3.BucketPolicy(`${name}-logs-policy`, {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, targetGroup.arn]).apply(([bucketArn, tgArn]) => {
        const p = arnParts(tgArn);
        return accessLogBucketPolicy(bucketArn, prefix, p.partition, p.region, p.account);
      }),
    }, { parent: this, dependsOn: [publicAccess, ownership] });

    const alb = new aws.lb.LoadBalancer(`${name}-alb`, {
      loadBalancerType: "application",
      internal: false,
      subnets: [...args.subnetIds],
      securityGroups: [args.securityGroupId],
      // Requests with malformed header names are dropped instead of passed to the app.
      dropInvalidHeaderFields: true,
      enableDeletionProtection: args.deletionProtection ?? true,
      idleTimeout: args.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
      accessLogs: { bucket: bucket.bucket, prefix, enabled: true },
      tags: tags("alb"),
      // ELB checks it may write to the bucket when access logs are switched on.
    }, { parent: this, dependsOn: [policy] });

    let certificateArn: pulumi.Output<string>;
    if (cert.domainName !== undefined && cert.hostedZoneId !== undefined) {
      const sans = [...(cert.subjectAlternativeNames ?? [])];
      const acm = new aws.acm.Certificate(`${name}-cert`, {
        domainName: cert.domainName,
        ...(sans.length > 0 ? { subjectAlternativeNames: sans } : {}),
        validationMethod: "DNS",
        keyAlgorithm: "EC_prime256v1",
        tags: tags("cert"),
      }, { parent: this });
      const zoneId = cert.hostedZoneId;
      const records = validationNames(cert.domainName, sans).map((domain, i) => {
        const option = acm.domainValidationOptions.apply((opts) => {
          const o = opts.find((x) => x.domainName === domain);
          if (o === undefined) throw new pulumi.ResourceError(`ACM returned no validation option for "${domain}"`, this);
          return o;
        });
        return new aws.route53.Record(`${name}-cert-validation-${i}`, {
          zoneId,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 60,
          allowOverwrite: true,
        }, { parent: this });
      });
      const validation = new aws.acm.CertificateValidation(`${name}-cert-validation`, {
        certificateArn: acm.arn,
        validationRecordFqdns: records.map((r) => r.fqdn),
      }, { parent: this });
      certificateArn = validation.certificateArn;
    } else {
      certificateArn = pulumi.output(cert.arn ?? "");
    }

    const https = new aws.lb.Listener(`${name}-https`, {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: args.sslPolicy ?? DEFAULT_ALB_SSL_POLICY,
      certificateArn,
      defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      routingHttpResponseStrictTransportSecurityHeaderValue: HSTS_HEADER_VALUE,
      routingHttpResponseXContentTypeOptionsHeaderValue: SECURITY_HEADERS["X-Content-Type-Options"] ?? "nosniff",
      routingHttpResponseXFrameOptionsHeaderValue: SECURITY_HEADERS["X-Frame-Options"] ?? "DENY",
      tags: tags("https"),
    }, { parent: this });
    const http = new aws.lb.Listener(`${name}-http`, {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags: tags("http"),
    }, { parent: this });

    this.loadBalancerArn = alb.arn;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.targetGroupArn = targetGroup.arn;
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;
    this.certificateArn = certificateArn;
    this.logBucketName = bucket.bucket;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      targetGroupArn: this.targetGroupArn,
      httpsListenerArn: this.httpsListenerArn,
      httpListenerArn: this.httpListenerArn,
      certificateArn: this.certificateArn,
      logBucketName: this.logBucketName,
    });
  }
}
