/**
 * Shared fixtures of the AwsNetwork specs: resource type tokens, a builder that waits for
 * every child, lookups into the recorded resources, and a watcher of registration requests.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { recorded, type RecordedResource } from "../../../../test/setup/mocks";
import { settle, valueOf } from "../../../../test/setup/helpers";
import { AwsNetwork, type AwsNetworkArgs } from "./aws-network";

export const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  igw: "aws:ec2/internetGateway:InternetGateway",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  subnet: "aws:ec2/subnet:Subnet",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  route: "aws:ec2/route:Route",
  nacl: "aws:ec2/networkAcl:NetworkAcl",
  naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
  naclAssoc: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  flowLog: "aws:ec2/flowLog:FlowLog",
} as const;

/** Builds a network and waits until every child is registered. */
export async function build(name: string, args: Partial<AwsNetworkArgs> = {}, opts?: pulumi.ComponentResourceOptions): Promise<AwsNetwork> {
  const net = new AwsNetwork(name, { availabilityZones: ZONES, tags: { project: "pfv5" }, ...args }, opts);
  await valueOf(net.vpcId);
  await valueOf(net.flowLogId);
  await settle();
  return net;
}

export function one(name: string, type: string): RecordedResource {
  const found = recorded.filter((r) => r.name === name && r.type === type);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as RecordedResource;
}

export const tagsOf = (r: RecordedResource): Record<string, string> => (r.inputs["tags"] ?? {}) as Record<string, string>;

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly protect: boolean | undefined;
  readonly deleteBeforeReplace: boolean;
  readonly dependencies: readonly string[];
}

/**
 * Watches the resource monitor while `run` builds resources: the mock layer's records
 * carry no resource options, but the registration requests do (protect, dependsOn).
 */
export async function watchRegistrations(run: () => Promise<unknown>): Promise<Registration[]> {
  const monitor = pulumi.runtime.getMonitor();
  if (monitor === undefined) throw new Error("no resource monitor: the shared mocks (test/setup/mocks.ts) are not loaded");
  const original = monitor.registerResource.bind(monitor);
  const forward = original as (...a: unknown[]) => ReturnType<typeof original>;
  const seen: Registration[] = [];
  monitor.registerResource = (req: Parameters<typeof original>[0], ...rest: unknown[]) => {
    seen.push({
      type: req.getType(),
      name: req.getName(),
      protect: req.getProtect(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      dependencies: req.getDependenciesList(),
    });
    return forward(req, ...rest);
  };
  try {
    await run();
  } finally {
    monitor.registerResource = original;
  }
  return seen;
}
