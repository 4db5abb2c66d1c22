import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as network from "@pulumi/azure-native/network";
import { typeToken } from "../testing/harness";
import { shortType, T } from "./types";

describe("resource type tokens", () => {
  it("match the type tokens of the provider SDK classes", () => {
    const classes: Record<keyof typeof T, Parameters<typeof typeToken>[0]> = {
      vpc: aws.ec2.Vpc,
      awsSubnet: aws.ec2.Subnet,
      securityGroup: aws.ec2.SecurityGroup,
      defaultSecurityGroup: aws.ec2.DefaultSecurityGroup,
      securityGroupRule: aws.ec2.SecurityGroupRule,
      ingressRule: aws.vpc.SecurityGroupIngressRule,
      egressRule: aws.vpc.SecurityGroupEgressRule,
      networkAcl: aws.ec2.NetworkAcl,
      networkAclRule: aws.ec2.NetworkAclRule,
      routeTable: aws.ec2.RouteTable,
      route: aws.ec2.Route,
      routeTableAssociation: aws.ec2.RouteTableAssociation,
      internetGateway: aws.ec2.InternetGateway,
      egressOnlyInternetGateway: aws.ec2.EgressOnlyInternetGateway,
      natGateway: aws.ec2.NatGateway,
      vpnGateway: aws.ec2.VpnGateway,
      flowLog: aws.ec2.FlowLog,
      vpcEndpoint: aws.ec2.VpcEndpoint,
      nsg: network.NetworkSecurityGroup,
      securityRule: network.SecurityRule,
      azureSubnet: network.Subnet,
      virtualNetwork: network.VirtualNetwork,
    };
    const fromSdk = Object.fromEntries(Object.entries(classes).map(([k, cls]) => [k, typeToken(cls)]));
    assert.deepEqual(fromSdk, { ...T });
  });

  it("shortens tokens for messages", () => {
    assert.equal(shortType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), "aws.vpc.SecurityGroupIngressRule");
    assert.equal(shortType("azure-native:network:Subnet"), "azure-native.network.Subnet");
    assert.equal(shortType("pulumi:pulumi:Stack"), "pulumi.pulumi.Stack");
  });
});
