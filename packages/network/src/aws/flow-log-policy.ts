/**
 * The IAM documents of the VPC flow log role, as plain values. The role may be assumed
 * only by the flow-logs service acting for this account's flow logs (the confused-deputy
 * conditions), and may only create streams in and write to its own log group.
 */

export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits `arn:partition:service:region:account:resource`. */
export function parseArn(arn: string): ArnParts {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") {
    throw new Error(`"${arn}" is not an ARN: expected arn:partition:service:region:account:resource`);
  }
  const [, partition = "", service = "", region = "", account = ""] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * Trust policy: `vpc-flow-logs.amazonaws.com` may assume the role, only for flow logs of
 * the account and region that own the VPC (`vpcArn`).
 */
export function flowLogTrustPolicy(vpcArn: string): PolicyDocument {
  const { partition, region, account } = parseArn(vpcArn);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "FlowLogsServiceForThisAccount",
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` },
        },
      },
    ],
  };
}

/**
 * Permissions: create streams in, describe streams of, and put events into the one log
 * group. The group already exists (the component creates it), so no CreateLogGroup, and
 * nothing on `*`.
 */
export function flowLogWritePolicy(logGroupArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ],
  };
}
