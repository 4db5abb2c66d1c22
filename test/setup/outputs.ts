/**
 * Computed outputs that the provider would fill on create and that our components read
 * (an ARN, a public IP). Keyed by resource type; each returns the extra state.
 */
import { tlsComputedOutputs } from "./outputs-tls";
import { accessComputedOutputs } from "./outputs-access";

/** What a filler sees of a registration: its type, logical name and inputs. */
export interface MockRegistration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export type OutputFiller = (args: MockRegistration, id: string) => Record<string, unknown>;

export const computedOutputs: Record<string, OutputFiller> = {
  ...tlsComputedOutputs,
  ...accessComputedOutputs,
  "aws:ec2/vpc:Vpc": (_args, id) => ({ arn: `arn:aws:ec2:eu-west-1:123456789012:vpc/${id}` }),
  "aws:cloudwatch/logGroup:LogGroup": (args) => ({
    arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${typeof args.inputs["name"] === "string" ? args.inputs["name"] : args.name}`,
  }),
  "aws:iam/role:Role": (args) => ({ arn: `arn:aws:iam::123456789012:role/${args.name}` }),
  "aws:ec2/eip:Eip": () => ({ publicIp: "198.51.100.10", allocationId: "eipalloc-0123" }),
  // azure-native resources report their (auto)name as `name`; subnets read the VNet's.
  "azure-native:resources:ResourceGroup": (args) => ({ name: args.inputs["resourceGroupName"] ?? args.name }),
  "azure-native:network:VirtualNetwork": (args) => ({ name: args.inputs["virtualNetworkName"] ?? args.name }),
  "azure-native:network:NetworkSecurityGroup": (args) => ({ name: args.inputs["networkSecurityGroupName"] ?? args.name }),
  "azure-native:network:Subnet": (args) => ({ name: args.inputs["subnetName"] ?? args.name }),
  "azure-native:network:NatGateway": (args) => ({ name: args.inputs["natGatewayName"] ?? args.name }),
  "azure-native:network:PublicIPAddress": (args) => ({
    name: args.inputs["publicIpAddressName"] ?? args.name,
    ipAddress: "198.51.100.20",
  }),
};
