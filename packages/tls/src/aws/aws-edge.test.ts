import * as assert from "node:assert/strict";
import { resourcesNamed, settle, valueOf } from "../../../../test/setup/helpers";
import { AwsEdge } from "./aws-edge";
import { accessLogBucketPolicy, ALB_TLS12_POLICIES, DEFAULT_ALB_SSL_POLICY, validationNames } from "./plan";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012";
const named = (n: string) => resourcesNamed(n).find((r) => r.name === n);

describe("AwsEdge", () => {
  describe("with a new DNS-validated certificate", () => {
    const edge = new AwsEdge("awsedge1", {
      vpcId: "vpc-0123",
      subnetIds: ["subnet-dmz-a", "subnet-dmz-b"],
      securityGroupId: "sg-edge",
      certificate: { domainName: "example.com", subjectAlternativeNames: ["*.example.com", "api.example.com"], hostedZoneId: "Z0EXAMPLE" },
      tags: { Environment: "prod" },
    });
    before(async () => {
      await valueOf(edge.httpsListenerArn);
      await valueOf(edge.certificateArn);
      await settle();
    });

    it("puts an internet-facing ALB in the DMZ subnets behind the edge group, dropping invalid headers", () => {
      assert.deepEqual(named("awsedge1-alb")?.inputs, {
        loadBalancerType: "application",
        internal: false,
        subnets: ["subnet-dmz-a", "subnet-dmz-b"],
        securityGroups: ["sg-edge"],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        idleTimeout: 120,
        accessLogs: { bucket: "awsedge1-logs-0a1b2c3", prefix: "alb", enabled: true },
        tags: { Environment: "prod", Name: "awsedge1-alb" },
      });
    });

    it("terminates TLS 1.2+ on 443 with the validated certificate, HSTS and security headers, forwarding to the app", () => {
      assert.deepEqual(named("awsedge1-https")?.inputs, {
        loadBalancerArn: `${ARN}:loadbalancer/app/awsedge1-alb/0123456789abcdef`,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        certificateArn: `arn:aws:acm:eu-west-1:123456789012:certificate/${String(named("awsedge1-cert")?.id)}`,
        defaultActions: [{ type: "forward", targetGroupArn: `${ARN}:targetgroup/awsedge1-app/0123456789abcdef` }],
        routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=63072000; includeSubDomains",
        routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
        routingHttpResponseXFrameOptionsHeaderValue: "DENY",
        tags: { Environment: "prod", Name: "awsedge1-https" },
      });
    });

    it("answers plain HTTP with nothing but a permanent redirect to HTTPS", () => {
      assert.deepEqual(named("awsedge1-http")?.inputs, {
        loadBalancerArn: `${ARN}:loadbalancer/app/awsedge1-alb/0123456789abcdef`,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags: { Environment: "prod", Name: "awsedge1-http" },
      });
      assert.equal(resourcesNamed("awsedge1-", "aws:lb/listener:Listener").length, 2);
    });

    it("forwards to the app port with health checks", () => {
      assert.deepEqual(named("awsedge1-app")?.inputs, {
        vpcId: "vpc-0123",
        port: 3000,
        protocol: "HTTP",
        targetType: "instance",
        deregistrationDelay: 30,
        healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/health", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
        tags: { Environment: "prod", Name: "awsedge1-app" },
      });
    });

    it("requests an ECDSA certificate and one validation record per distinct name", () => {
      assert.deepEqual(named("awsedge1-cert")?.inputs, {
        domainName: "example.com",
        subjectAlternativeNames: ["*.example.com", "api.example.com"],
        validationMethod: "DNS",
        keyAlgorithm: "EC_prime256v1",
        tags: { Environment: "prod", Name: "awsedge1-cert" },
      });
      const records = resourcesNamed("awsedge1-cert-validation-", "aws:route53/record:Record").sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(records.map((r) => r.inputs), [
        { zoneId: "Z0EXAMPLE", name: "_v.example.com.", type: "CNAME", records: ["_v.example.com.acm-validations.aws."], ttl: 60, allowOverwrite: true },
        { zoneId: "Z0EXAMPLE", name: "_v.api.example.com.", type: "CNAME", records: ["_v.api.example.com.acm-validations.aws."], ttl: 60, allowOverwrite: true },
      ]);
      assert.deepEqual(named("awsedge1-cert-validation")?.inputs["validationRecordFqdns"], ["_v.example.com", "_v.api.example.com"]);
    });

    it("keeps the log bucket private, SSE-S3 encrypted, owner-enforced and expiring", () => {
      assert.deepEqual(named("awsedge1-logs")?.inputs, { forceDestroy: false, tags: { Environment: "prod", Name: "awsedge1-logs" } });
      const id = named("awsedge1-logs")?.id;
      assert.ok(id !== undefined);
      assert.deepEqual(named("awsedge1-logs-public-access")?.inputs, { bucket: id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      assert.deepEqual(named("awsedge1-logs-ownership")?.inputs, { bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } });
      assert.deepEqual(named("awsedge1-logs-encryption")?.inputs, { bucket: id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
      assert.deepEqual(named("awsedge1-logs-lifecycle")?.inputs, {
        bucket: id,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: "alb/" }, expiration: { days: 90 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
      });
    });

    it("lets only the regional ELB account write under the account's prefix, and denies plain HTTP", () => {
      const policy = JSON.parse(String(named("awsedge1-logs-policy")?.inputs["policy"])) as unknown;
      assert.deepEqual(policy, {
        Version: "2012-10-17",
        Statement: [
          { Sid: "ElbAccessLogDelivery", Effect: "Allow", Principal: { AWS: "arn:aws:iam::156460612806:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::awsedge1-logs-0a1b2c3/alb/AWSLogs/123456789012/*" },
          { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::awsedge1-logs-0a1b2c3", "arn:aws:s3:::awsedge1-logs-0a1b2c3/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      });
    });

    it("creates exactly these resources", () => {
      assert.deepEqual(resourcesNamed("awsedge1-").map((r) => r.type).sort(), [
        "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
        "aws:lb/listener:Listener", "aws:lb/listener:Listener", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup",
        "aws:route53/record:Record", "aws:route53/record:Record",
        "aws:s3/bucket:Bucket", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ]);
    });
  });

  describe("with an existing certificate", () => {
    const edge = new AwsEdge("awsedge2", {
      vpcId: "vpc-0123",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      securityGroupId: "sg-edge",
      certificate: { arn: "arn:aws:acm:eu-west-1:123456789012:certificate/existing" },
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      targetType: "ip",
      deletionProtection: false,
    });
    before(async () => {
      await valueOf(edge.httpsListenerArn);
      await settle();
    });

    it("uses the given ARN and policy and requests no certificate", async () => {
      assert.equal(named("awsedge2-https")?.inputs["certificateArn"], "arn:aws:acm:eu-west-1:123456789012:certificate/existing");
      assert.equal(named("awsedge2-https")?.inputs["sslPolicy"], "ELBSecurityPolicy-TLS13-1-3-2021-06");
      assert.equal(resourcesNamed("awsedge2-").filter((r) => r.type.startsWith("aws:acm/") || r.type.startsWith("aws:route53/")).length, 0);
      assert.equal(await valueOf(edge.certificateArn), "arn:aws:acm:eu-west-1:123456789012:certificate/existing");
      assert.equal(named("awsedge2-alb")?.inputs["enableDeletionProtection"], false);
      assert.equal(named("awsedge2-app")?.inputs["targetType"], "ip");
    });
  });

  it("grants the log delivery service principal in Regions without an ELB account", () => {
    const policy = JSON.parse(accessLogBucketPolicy("arn:aws:s3:::b", "alb", "aws", "me-central-1", "123456789012")) as { Statement: { Principal: unknown }[] };
    assert.deepEqual(policy.Statement[0]?.Principal, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  it("dedupes validation names that share a record", () => {
    assert.deepEqual(validationNames("example.com", ["*.example.com", "a.example.com", "*.a.example.com"]), ["example.com", "a.example.com"]);
  });

  it("defaults to a policy on its own allow list", () => {
    assert.ok(ALB_TLS12_POLICIES.includes(DEFAULT_ALB_SSL_POLICY));
  });

  it("rejects one subnet, both certificate forms, a TLS 1.0 policy and a bad prefix in one error", () => {
    assert.throws(
      () => new AwsEdge("awsedge3", {
        vpcId: "vpc",
        subnetIds: ["subnet-a"],
        securityGroupId: "sg",
        certificate: { arn: "arn", domainName: "example.com", hostedZoneId: "Z1" } as never,
        sslPolicy: "ELBSecurityPolicy-2016-08",
        accessLogs: { prefix: "AWSLogs" },
      }),
      (e: Error) => {
        assert.match(e.message, /^AwsEdge: 4 problems/);
        assert.match(e.message, /subnetIds = \["subnet-a"\]: lists fewer than two subnets/);
        assert.match(e.message, /certificate = \{"arn":"arn","domainName":"example.com","hostedZoneId":"Z1"\}: has both arn and domainName: give exactly one/);
        assert.match(e.message, /sslPolicy = "ELBSecurityPolicy-2016-08": is not a policy limited to TLS 1\.2 and 1\.3/);
        assert.match(e.message, /accessLogs\.prefix = "AWSLogs"/);
        return true;
      },
    );
    assert.equal(resourcesNamed("awsedge3").length, 0);
  });
});
