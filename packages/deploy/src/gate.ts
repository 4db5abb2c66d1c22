/**
 * The protected-environment gate: a pure function over the engine events of a preview that
 * finds every replace or delete of a stateful or protected resource. A prod `up` runs only
 * when it finds none, or when each one is named by `--allow-replace`.
 */
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";

/**
 * Resource types whose replacement or deletion loses state, addresses or trust, or cuts
 * traffic: the network skeleton, addresses others have allow-listed, groups that instances
 * and interfaces reference, key material and certificate authorities, flow-log history.
 */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "the VPC: replacing it replaces every subnet, group and instance in it",
  "aws:ec2/subnet:Subnet": "a subnet: its instances and interfaces go with it",
  "aws:ec2/natGateway:NatGateway": "a NAT gateway: private subnets lose egress and the egress address changes",
  "aws:ec2/eip:Eip": "an Elastic IP: partners and DNS that allow-list the address break",
  "aws:ec2/internetGateway:InternetGateway": "the internet gateway: public subnets go offline",
  "aws:ec2/securityGroup:SecurityGroup": "a security group: interfaces that use it block the delete or lose their rules",
  "aws:ec2/routeTable:RouteTable": "a route table: its subnets lose their routes until re-associated",
  "aws:ec2/networkAcl:NetworkAcl": "a network ACL: its subnets fall back to the default ACL meanwhile",
  "aws:cloudwatch/logGroup:LogGroup": "a log group: the flow-log and audit history in it is deleted",
  "aws:kms/key:Key": "a KMS key: data encrypted with it becomes unreadable once the key is gone",
  "azure-native:resources:ResourceGroup": "the resource group: deleting it deletes everything in it",
  "azure-native:network:VirtualNetwork": "the virtual network: every subnet and NIC in it goes with it",
  "azure-native:network:Subnet": "a subnet: its NICs and their VMs go with it",
  "azure-native:network:NetworkSecurityGroup": "a network security group: its subnets are unfiltered meanwhile",
  "azure-native:network:NatGateway": "a NAT gateway: private subnets lose egress",
  "azure-native:network:PublicIPAddress": "a public IP: allow-lists and DNS that name the address break",
  "tls:index/privateKey:PrivateKey": "a private key: everything signed by or trusting it must be re-issued",
  "tls:index/selfSignedCert:SelfSignedCert": "a CA certificate: every client that trusts it must be updated",
  "tls:index/locallySignedCert:LocallySignedCert": "a certificate: clients pinned to it break",
  "random:index/randomBytes:RandomBytes": "WireGuard key material: every peer's configuration must be re-issued",
  "kubernetes:core/v1:Namespace": "a namespace: every workload, secret and volume claim in it is deleted",
};

/** Operations that destroy a resource or swap it for a new one. */
export const DESTRUCTIVE_OPS: ReadonlySet<OpType> = new Set<OpType>([
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
]);

export interface GateFinding {
  readonly urn: string;
  readonly type: string;
  /** `replace` for any replacement step, `delete` for a plain delete. */
  readonly op: "replace" | "delete";
  /** Why the resource is gated. */
  readonly why: string;
}

export interface GateResult {
  /** Findings no `--allow-replace` names: the update must not run. */
  readonly refused: readonly GateFinding[];
  /** Findings let through by `--allow-replace`. */
  readonly allowed: readonly GateFinding[];
  /** `--allow-replace` values that matched nothing (usually a typo). */
  readonly unusedAllowances: readonly string[];
}

/**
 * Every planned replace or delete of a gated resource, once per URN, in event order. A
 * resource is gated by its type ({@link PROTECTED_TYPES}) or by its `protect` option.
 */
export function destructiveChanges(events: readonly EngineEvent[]): GateFinding[] {
  const byUrn = new Map<string, GateFinding>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m === undefined || !DESTRUCTIVE_OPS.has(m.op)) continue;
    const typeWhy = PROTECTED_TYPES[m.type];
    const protectedFlag = m.old?.protect === true;
    if (typeWhy === undefined && !protectedFlag) continue;
    const op = m.op === "delete" ? "delete" : "replace";
    const previous = byUrn.get(m.urn);
    if (previous !== undefined && (previous.op === "replace" || op === "delete")) continue;
    byUrn.set(m.urn, { urn: m.urn, type: m.type, op, why: typeWhy ?? "the resource is marked protect" });
  }
  return [...byUrn.values()];
}

/** Splits the findings into refused and allowed by exact URN or exact type token. */
export function applyGate(findings: readonly GateFinding[], allowReplace: readonly string[]): GateResult {
  const allow = new Set(allowReplace);
  const used = new Set<string>();
  const refused: GateFinding[] = [];
  const allowed: GateFinding[] = [];
  for (const f of findings) {
    const key = allow.has(f.urn) ? f.urn : allow.has(f.type) ? f.type : undefined;
    if (key === undefined) refused.push(f);
    else {
      used.add(key);
      allowed.push(f);
    }
  }
  return { refused, allowed, unusedAllowances: allowReplace.filter((a) => !used.has(a)) };
}

/** Runs the gate over a preview's events. */
export function gate(events: readonly EngineEvent[], allowReplace: readonly string[]): GateResult {
  return applyGate(destructiveChanges(events), allowReplace);
}

/** The refusal, one line per resource, then the fix. */
export function formatRefusal(stack: string, result: GateResult): string {
  const lines = [
    `error: stack "${stack}" is a protected environment and the plan would ${result.refused.length === 1 ? "replace or delete 1 protected resource" : `replace or delete ${result.refused.length} protected resources`}:`,
    ...result.refused.map((f) => `  ${f.op} ${f.urn}\n      ${f.why}`),
    "nothing was changed. Change the program so these resources stay as they are (an alias keeps a",
    "renamed resource), or, if the replacement is intended and its impact planned for, rerun with",
    ...[...new Set(result.refused.map((f) => f.urn))].map((u) => `  --allow-replace '${u}'`),
  ];
  return lines.join("\n");
}
