/**
 * The zone matrix reporter: what can reach what in the previewed stack, from every layer
 * of its network (see `@pfv5/zones` analysis), as a table with the extra paths marked, a
 * `matrix` key in `--json`, and with `--diagram <file>` a Mermaid flowchart (fenced for
 * GitHub when the file ends in `.md`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  AwsAnalyzer,
  awsModelFromResources,
  AzureAnalyzer,
  azureModelFromResources,
  compareWithDeclared,
  comparisonJson,
  declaredMatrix,
  describeFinding,
  matrixTable,
  mermaidDiagram,
  VPN_CIDR,
  type AnalysisProblem,
  type Comparison,
  type StackResource,
} from "@pfv5/zones";
import { SECRET_SIG, SIG_KEY } from "../proto";
import type { Reporter, ReporterInput } from "../reporters";
import type { Json, RecordedResource } from "../types";

/** Secrets unwrapped: the analysis reads values, and prints none of the secret ones. */
function plain(v: Json): Json {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  const obj: { readonly [key: string]: Json } = v;
  if (obj[SIG_KEY] === SECRET_SIG) return plain(obj["value"] ?? null);
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(obj)) out[k] = plain(x);
  return out;
}

export function stackResources(resources: readonly RecordedResource[]): StackResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, plain(v)])),
    propertyDependencies: r.propertyDependencies,
  }));
}

function configList(config: Readonly<Record<string, string>>, key: string): string[] {
  const raw = config[key];
  if (raw === undefined) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export interface CloudMatrix {
  readonly cloud: "aws" | "azure";
  readonly comparison: Comparison;
  readonly problems: readonly AnalysisProblem[];
}

/**
 * The matrices of the stack's networks. The admin CIDRs are the stack's
 * `pfv5:sshAllowedCidrs`, the VPN range its `pfv5:vpnCidr` (default the zone model's).
 */
export function stackMatrices(input: Pick<ReporterInput, "resources" | "config">): CloudMatrix[] {
  const resources = stackResources(input.resources);
  const config = input.config ?? {};
  const options = { adminCidrs: configList(config, "pfv5:sshAllowedCidrs"), vpnCidr: config["pfv5:vpnCidr"] ?? VPN_CIDR };
  const out: CloudMatrix[] = [];
  if (resources.some((r) => r.type === "aws:ec2/subnet:Subnet")) {
    const { model, problems } = awsModelFromResources(resources);
    out.push({ cloud: "aws", comparison: compareWithDeclared(new AwsAnalyzer(model, options), declaredMatrix("aws")), problems });
  }
  if (resources.some((r) => r.type === "azure-native:network:Subnet")) {
    const { model, problems } = azureModelFromResources(resources);
    out.push({ cloud: "azure", comparison: compareWithDeclared(new AzureAnalyzer(model, options), declaredMatrix("azure")), problems });
  }
  return out;
}

function section(m: CloudMatrix): string {
  const findings = m.comparison.findings.map((f) => `  ${f.kind === "missing" ? "?" : "!"} ${describeFinding(f, m.comparison)}`);
  const problems = m.problems.map((p) => `  cannot decide: ${p.message}`);
  return [
    `${m.cloud.toUpperCase()} (rows may open to columns; every pair not shown allows nothing)`,
    matrixTable(m.comparison),
    ...(findings.length === 0 ? ["", "Matches the declared zone matrix."] : ["", "Differences from the declared zone matrix:", ...findings]),
    ...problems,
  ].join("\n");
}

/** The diagram file's text: Mermaid, fenced per cloud in Markdown. */
export function diagramText(file: string, matrices: readonly CloudMatrix[]): string {
  if (!file.endsWith(".md")) return `${matrices.map((m) => mermaidDiagram(m.comparison)).join("\n\n")}\n`;
  return `${matrices.map((m) => `## ${m.cloud.toUpperCase()} zone matrix\n\n\`\`\`mermaid\n${mermaidDiagram(m.comparison)}\n\`\`\`\n`).join("\n")}`;
}

export const zoneMatrixReporter: Reporter = {
  name: "matrix",
  title: "Zone matrix",
  flags: ["diagram"],
  report(input) {
    const matrices = stackMatrices(input);
    if (matrices.length === 0) return undefined;
    const file = input.flags["diagram"];
    let note = "";
    if (file !== undefined) {
      const target = path.resolve(input.cwd, file);
      fs.writeFileSync(target, diagramText(target, matrices));
      note = `\n\nDiagram written to ${file}.`;
    }
    return {
      text: `${matrices.map(section).join("\n\n")}${note}`,
      json: Object.fromEntries(matrices.map((m) => [m.cloud, { ...(comparisonJson(m.comparison) as object), problems: m.problems }])),
    };
  },
};
