/**
 * The resource types the policies read, by type token, with their properties typed from
 * the provider SDKs' `Args`.
 *
 * The imports are type-only: the pack never loads `@pulumi/aws` or `@pulumi/azure-native`
 * at runtime (their size would slow every preview that loads the pack, and a published pack
 * would drag them into its install). A test checks each token against the SDK class.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DefaultSecurityGroupArgs } from "@pulumi/aws/ec2/defaultSecurityGroup";
import type { EgressOnlyInternetGatewayArgs } from "@pulumi/aws/ec2/egressOnlyInternetGateway";
import type { FlowLogArgs } from "@pulumi/aws/ec2/flowLog";
import type { InternetGatewayArgs } from "@pulumi/aws/ec2/internetGateway";
import type { NatGatewayArgs } from "@pulumi/aws/ec2/natGateway";
import type { NetworkAclArgs } from "@pulumi/aws/ec2/networkAcl";
import type { NetworkAclRuleArgs } from "@pulumi/aws/ec2/networkAclRule";
import type { RouteArgs } from "@pulumi/aws/ec2/route";
import type { RouteTableArgs } from "@pulumi/aws/ec2/routeTable";
import type { RouteTableAssociationArgs } from "@pulumi/aws/ec2/routeTableAssociation";
import type { SecurityGroupArgs } from "@pulumi/aws/ec2/securityGroup";
import type { SecurityGroupRuleArgs } from "@pulumi/aws/ec2/securityGroupRule";
import type { SubnetArgs as AwsSubnetArgs } from "@pulumi/aws/ec2/subnet";
import type { VpcArgs } from "@pulumi/aws/ec2/vpc";
import type { VpcEndpointArgs } from "@pulumi/aws/ec2/vpcEndpoint";
import type { VpnGatewayArgs } from "@pulumi/aws/ec2/vpnGateway";
import type { SecurityGroupEgressRuleArgs } from "@pulumi/aws/vpc/securityGroupEgressRule";
import type { SecurityGroupIngressRuleArgs } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { NetworkSecurityGroupArgs } from "@pulumi/azure-native/network/networkSecurityGroup";
import type { SecurityRuleArgs } from "@pulumi/azure-native/network/securityRule";
import type { SubnetArgs as AzureSubnetArgs } from "@pulumi/azure-native/network/subnet";
import type { VirtualNetworkArgs } from "@pulumi/azure-native/network/virtualNetwork";

/** A resource's properties as a policy sees them: plain values, no Inputs or Outputs. */
export type Props<TArgs> = pulumi.Unwrap<NonNullable<TArgs>>;

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  awsSubnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  networkAcl: "aws:ec2/networkAcl:NetworkAcl",
  networkAclRule: "aws:ec2/networkAclRule:NetworkAclRule",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  natGateway: "aws:ec2/natGateway:NatGateway",
  vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
  flowLog: "aws:ec2/flowLog:FlowLog",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  nsg: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  azureSubnet: "azure-native:network:Subnet",
  virtualNetwork: "azure-native:network:VirtualNetwork",
} as const;

/** The typed properties of each resource type the policies read. */
export interface PropsByType {
  [T.vpc]: Props<VpcArgs>;
  [T.awsSubnet]: Props<AwsSubnetArgs>;
  [T.securityGroup]: Props<SecurityGroupArgs>;
  [T.defaultSecurityGroup]: Props<DefaultSecurityGroupArgs>;
  [T.securityGroupRule]: Props<SecurityGroupRuleArgs>;
  [T.ingressRule]: Props<SecurityGroupIngressRuleArgs>;
  [T.egressRule]: Props<SecurityGroupEgressRuleArgs>;
  [T.networkAcl]: Props<NetworkAclArgs>;
  [T.networkAclRule]: Props<NetworkAclRuleArgs>;
  [T.routeTable]: Props<RouteTableArgs>;
  [T.route]: Props<RouteArgs>;
  [T.routeTableAssociation]: Props<RouteTableAssociationArgs>;
  [T.internetGateway]: Props<InternetGatewayArgs>;
  [T.egressOnlyInternetGateway]: Props<EgressOnlyInternetGatewayArgs>;
  [T.natGateway]: Props<NatGatewayArgs>;
  [T.vpnGateway]: Props<VpnGatewayArgs>;
  [T.flowLog]: Props<FlowLogArgs>;
  [T.vpcEndpoint]: Props<VpcEndpointArgs>;
  [T.nsg]: Props<NetworkSecurityGroupArgs>;
  [T.securityRule]: Props<SecurityRuleArgs>;
  [T.azureSubnet]: Props<AzureSubnetArgs>;
  [T.virtualNetwork]: Props<VirtualNetworkArgs>;
}

export type TypeToken = keyof PropsByType;

/** The short form of a type token for messages: `aws:ec2/route:Route` -> `aws.ec2.Route`. */
export function shortType(token: string): string {
  const m = /^([^:]+):([^/:]*)(?:\/[^:]*)?:(.+)$/.exec(token);
  if (m === null) return token;
  const [, pkg, mod, name] = m;
  return mod === "" || mod === "index" ? `${pkg}.${name}` : `${pkg}.${mod}.${name}`;
}

/** Anything with a type and properties: a resource under validation or one in the stack. */
export interface Typed {
  readonly type: string;
  readonly props: Record<string, unknown>;
}

/**
 * The properties of `r` typed as `type`'s, or `undefined` when `r` is another type. The
 * engine sends each resource's properties as plain JSON in the provider schema's shape,
 * which is what the SDK's own `asType` returns too.
 */
export function propsOf<K extends TypeToken>(r: Typed, type: K): PropsByType[K] | undefined {
  return r.type === type ? (r.props as PropsByType[K]) : undefined;
}
