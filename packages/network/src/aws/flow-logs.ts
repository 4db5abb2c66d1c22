/**
 * VPC flow logs to a CloudWatch log group, with the role the flow-logs service assumes to
 * write there (least privilege: see flow-log-policy.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { flowLogTrustPolicy, flowLogWritePolicy } from "./flow-log-policy";

export interface FlowLogInputs {
  readonly vpc: aws.ec2.Vpc;
  readonly retentionInDays: number;
  readonly kmsKeyArn?: pulumi.Input<string> | undefined;
  readonly tags: (suffix: string) => Record<string, string>;
}

export interface FlowLogResources {
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly flowLog: aws.ec2.FlowLog;
}

/** Creates the log group, role, role policy and flow log as children of `parent`. */
export function createFlowLog(name: string, inputs: FlowLogInputs, parent: pulumi.Resource): FlowLogResources {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    {
      // A prefix keeps the group easy to find; the provider appends a unique suffix so
      // stacks in one account never collide.
      namePrefix: `/vpc-flow-logs/${name}-`,
      retentionInDays: inputs.retentionInDays,
      ...(inputs.kmsKeyArn !== undefined ? { kmsKeyId: inputs.kmsKeyArn } : {}),
      tags: inputs.tags("flow-logs"),
    },
    { parent },
  );
  // The account, region and partition come from the VPC's ARN: no extra invoke, and
  // the conditions name exactly the account that owns the VPC.
  const role = new aws.iam.Role(
    `${name}-flow-logs-role`,
    {
      description: "Lets VPC Flow Logs write this VPC's flow records to its log group",
      assumeRolePolicy: inputs.vpc.arn.apply((arn) => JSON.stringify(flowLogTrustPolicy(arn))),
      tags: inputs.tags("flow-logs-role"),
    },
    { parent },
  );
  // A separate RolePolicy, not the role's inline or managed policy lists, which the
  // provider treats as exclusive and would fight over.
  const policy = new aws.iam.RolePolicy(
    `${name}-flow-logs-policy`,
    {
      role: role.id,
      policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogWritePolicy(arn))),
    },
    { parent },
  );
  const flowLog = new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: inputs.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: inputs.tags("flow-log"),
    },
    // Delivery fails until the role may write; order the flow log after its policy.
    { parent, dependsOn: [policy] },
  );
  return { logGroup, role, policy, flowLog };
}
