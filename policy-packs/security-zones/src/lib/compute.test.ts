import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import { typeToken } from "../testing/harness";
import { COMPUTE_T } from "./compute";

describe("host resource type tokens", () => {
  it("match the type tokens of the provider SDK classes", () => {
    const classes: Record<keyof typeof COMPUTE_T, Parameters<typeof typeToken>[0]> = {
      instance: aws.ec2.Instance,
      launchTemplate: aws.ec2.LaunchTemplate,
      ebsVolume: aws.ebs.Volume,
      eip: aws.ec2.Eip,
      eipAssociation: aws.ec2.EipAssociation,
      awsNetworkInterface: aws.ec2.NetworkInterface,
      logGroup: aws.cloudwatch.LogGroup,
      azureNetworkInterface: network.NetworkInterface,
      virtualMachine: compute.VirtualMachine,
    };
    const fromSdk = Object.fromEntries(Object.entries(classes).map(([k, cls]) => [k, typeToken(cls)]));
    assert.deepEqual(fromSdk, { ...COMPUTE_T });
  });
});
