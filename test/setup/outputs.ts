/**
 * Computed outputs that the provider would fill on create and that our components read
 * (an ARN, a public IP). Keyed by resource type; each returns the extra state.
 */
import type * as pulumi from "@pulumi/pulumi";

export type OutputFiller = (args: pulumi.runtime.MockResourceArgs, id: string) => Record<string, unknown>;

export const computedOutputs: Record<string, OutputFiller> = {
  "aws:ec2/vpc:Vpc": (_args, id) => ({ arn: `arn:aws:ec2:eu-west-1:123456789012:vpc/${id}` }),
  "aws:cloudwatch/logGroup:LogGroup": (args) => ({
    arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${String(args.inputs["name"] ?? args.name)}`,
  }),
  "aws:iam/role:Role": (args) => ({ arn: `arn:aws:iam::123456789012:role/${args.name}` }),
  "aws:ec2/eip:Eip": () => ({ publicIp: "198.51.100.10", allocationId: "eipalloc-0123" }),
};
