/**
 * The program's mock setup, loaded once before the specs (.mocharc.json). It records every
 * registered resource, gives each a non-empty id, fills the few computed outputs the
 * components read, and fails on an invoke it has no answer for.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
}

/** Every resource registered so far, in order. */
export const registered: Registered[] = [];

// What AWS computes on create and the components read: the flow-log role's trust policy is
// scoped to the VPC's ARN, the bastion's outputs carry its addresses.
const computed: Record<string, (name: string) => Record<string, unknown>> = {
  "aws:ec2/vpc:Vpc": (name) => ({ arn: `arn:aws:ec2:eu-central-1:111122223333:vpc/${name}-id` }),
  "aws:ec2/eip:Eip": () => ({ publicIp: "198.51.100.7" }),
  "aws:ec2/networkInterface:NetworkInterface": () => ({ privateIp: "10.0.1.20" }),
  "aws:iam/role:Role": (name) => ({ arn: `arn:aws:iam::111122223333:role/${name}` }),
  "aws:cloudwatch/logGroup:LogGroup": (name) => ({ arn: `arn:aws:logs:eu-central-1:111122223333:log-group:${name}` }),
};

const invokes: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
  }),
  "aws:ec2/getAmi:getAmi": () => ({ id: "ami-0fedcba9876543210", name: "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64" }),
};

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      const id = `${args.name}-id`;
      const inputs = args.inputs as Record<string, unknown>;
      registered.push({ type: args.type, name: args.name, id, inputs });
      return { id, state: { ...inputs, ...computed[args.type]?.(args.name) } };
    },
    call(args) {
      const answer = invokes[args.token];
      if (answer === undefined) throw new Error(`no mock answer for invoke "${args.token}": add one to mocks.ts`);
      return answer(args.inputs as Record<string, unknown>);
    },
  },
  "pfv5-consumer",
  "test",
  false,
);

/** Resolves an Output to its value. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The registrations of one type whose names start with `prefix`. */
export function registeredOf(prefix: string, type: string): Registered[] {
  return registered.filter((r) => r.type === type && r.name.startsWith(prefix));
}
