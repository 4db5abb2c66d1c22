/**
 * The zone matrix of a stack, as both zone-matrix policies compute it: the stack's
 * resources handed to the `@pfv5/zones` adapters as plain values (unknowns kept as the
 * engine's sentinels, references as property dependencies), analyzed per cloud and
 * compared with the declared matrix.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
  AwsAnalyzer,
  awsModelFromResources,
  AzureAnalyzer,
  azureModelFromResources,
  compareWithDeclared,
  declaredMatrix,
  orderRules,
  findingRules,
  type AnalysisProblem,
  type Comparison,
  type PathFinding,
  type StackResource,
  type ZoneAnalyzer,
  PROTOS,
  hasPorts,
} from "@pfv5/zones";
import type { Site } from "./addresses";

/**
 * The properties as stored under the SDK's unknown-checking proxy. The proxy traps reads
 * only, so property descriptors give the stored values, unknown sentinels included, which
 * the adapters report as "cannot decide" instead of throwing.
 */
function storedProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props)) out[key] = Object.getOwnPropertyDescriptor(props, key)?.value;
  return out;
}

/** A policy resource as the adapters read it. */
export function asStackResource(r: PolicyResource): StackResource {
  const deps: Record<string, string[]> = {};
  for (const [k, list] of Object.entries(r.propertyDependencies)) deps[k] = list.map((d) => d.urn);
  return { urn: r.urn, type: r.type, name: r.name, props: storedProps(r.props), propertyDependencies: deps };
}

export interface CloudAnalysis {
  readonly cloud: "aws" | "azure";
  readonly analyzer: ZoneAnalyzer;
  readonly comparison: Comparison;
  readonly problems: readonly AnalysisProblem[];
}

const AWS_MARKERS = ["aws:ec2/subnet:Subnet", "aws:ec2/securityGroup:SecurityGroup"];
const AZURE_MARKERS = ["azure-native:network:Subnet", "azure-native:network:NetworkSecurityGroup"];

/** The analyses of every cloud network the stack holds (none when it holds none). */
export function analyzeStack(resources: readonly PolicyResource[], site: Site): CloudAnalysis[] {
  const plain = resources.map(asStackResource);
  const options = { adminCidrs: site.adminCidrs.map((c) => c.text), vpnCidr: site.vpnCidr.text };
  const out: CloudAnalysis[] = [];
  if (plain.some((r) => AWS_MARKERS.includes(r.type))) {
    const { model, problems } = awsModelFromResources(plain);
    const analyzer = new AwsAnalyzer(model, options);
    out.push({ cloud: "aws", analyzer, comparison: compareWithDeclared(analyzer, declaredMatrix("aws")), problems });
  }
  if (plain.some((r) => AZURE_MARKERS.includes(r.type))) {
    const { model, problems } = azureModelFromResources(plain);
    const analyzer = new AzureAnalyzer(model, options);
    out.push({ cloud: "azure", analyzer, comparison: compareWithDeclared(analyzer, declaredMatrix("azure")), problems });
  }
  return out;
}

/** The resource to blame for a finding: its first security group or NSG rule, else its first rule. */
export function blamed(f: PathFinding): string | undefined {
  return orderRules(findingRules(f)).find((r) => r.urn !== undefined)?.urn;
}

/** Where a missing path stops, asked of the analyzer for its first protocol and port. */
export function whereItStops(a: CloudAnalysis, f: PathFinding): string {
  const proto = PROTOS.find((p) => f.traffic[p].length > 0);
  if (proto === undefined) return "";
  const port = hasPorts(proto) ? f.traffic[proto][0]?.from : undefined;
  const answer = a.analyzer.query({ from: f.from, to: f.to, protocol: proto, ...(port !== undefined ? { port } : {}) });
  return answer.allowed ? "" : ` It stops at ${answer.deniedBy.join("; ")} (for ${proto}${port !== undefined ? ` ${port}` : ""}).`;
}
