/**
 * The host resources the access policies read (instances, their disks, interfaces and
 * public addresses, log groups), added to the pack's typed registry by interface
 * augmentation so that `propsOf` and `graph.ofType` type them from the provider SDKs'
 * `Args`. The imports are type-only, as in `types.ts`.
 */
import type { LogGroupArgs } from "@pulumi/aws/cloudwatch/logGroup";
import type { VolumeArgs } from "@pulumi/aws/ebs/volume";
import type { EipArgs } from "@pulumi/aws/ec2/eip";
import type { EipAssociationArgs } from "@pulumi/aws/ec2/eipAssociation";
import type { InstanceArgs } from "@pulumi/aws/ec2/instance";
import type { LaunchTemplateArgs } from "@pulumi/aws/ec2/launchTemplate";
import type { NetworkInterfaceArgs as AwsNetworkInterfaceArgs } from "@pulumi/aws/ec2/networkInterface";
import type { VirtualMachineArgs } from "@pulumi/azure-native/compute/virtualMachine";
import type { NetworkInterfaceArgs as AzureNetworkInterfaceArgs } from "@pulumi/azure-native/network/networkInterface";
import type { Props } from "./types";

export const COMPUTE_T = {
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  ebsVolume: "aws:ebs/volume:Volume",
  eip: "aws:ec2/eip:Eip",
  eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
  awsNetworkInterface: "aws:ec2/networkInterface:NetworkInterface",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  azureNetworkInterface: "azure-native:network:NetworkInterface",
  virtualMachine: "azure-native:compute:VirtualMachine",
} as const;

declare module "./types" {
  interface PropsByType {
    [COMPUTE_T.instance]: Props<InstanceArgs>;
    [COMPUTE_T.launchTemplate]: Props<LaunchTemplateArgs>;
    [COMPUTE_T.ebsVolume]: Props<VolumeArgs>;
    [COMPUTE_T.eip]: Props<EipArgs>;
    [COMPUTE_T.eipAssociation]: Props<EipAssociationArgs>;
    [COMPUTE_T.awsNetworkInterface]: Props<AwsNetworkInterfaceArgs>;
    [COMPUTE_T.logGroup]: Props<LogGroupArgs>;
    [COMPUTE_T.azureNetworkInterface]: Props<AzureNetworkInterfaceArgs>;
    [COMPUTE_T.virtualMachine]: Props<VirtualMachineArgs>;
  }
}
