/**
 * A client for a policy pack's Analyzer service, speaking the protocol the engine speaks:
 * GetAnalyzerInfo, Configure, ConfigureStack, then Analyze for each custom resource and
 * AnalyzeStack once with every resource. Requests are built from the recorded
 * registrations with the generated stubs that ship in @pulumi/pulumi/proto.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { jsonToStruct, structToJson } from "./proto";
import type { EnforcementLevel, PropertyMap, RecordedResource } from "./types";

/** The SDK's own limit for analyzer messages (400 MiB); a big stack fits in one request. */
const MAX_MESSAGE = 400 * 1024 * 1024;

const LEVELS: Readonly<Record<number, EnforcementLevel>> = {
  [pb.EnforcementLevel.ADVISORY]: "advisory",
  [pb.EnforcementLevel.MANDATORY]: "mandatory",
  [pb.EnforcementLevel.DISABLED]: "disabled",
  [pb.EnforcementLevel.REMEDIATE]: "remediate",
};

const LEVEL_CODES: Readonly<Record<EnforcementLevel, pb.EnforcementLevel>> = {
  advisory: pb.EnforcementLevel.ADVISORY,
  mandatory: pb.EnforcementLevel.MANDATORY,
  disabled: pb.EnforcementLevel.DISABLED,
  remediate: pb.EnforcementLevel.REMEDIATE,
};

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly level: EnforcementLevel;
  readonly kind: "resource" | "stack" | "unknown";
  readonly configSchema?: { readonly properties: PropertyMap; readonly required: readonly string[] };
}

export interface PolicyConfigEntry {
  readonly level?: EnforcementLevel;
  readonly properties?: PropertyMap;
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly PolicyInfo[];
  /** The config the pack was constructed with (`new PolicyPack(name, args, initialConfig)`). */
  readonly initialConfig: Readonly<Record<string, PolicyConfigEntry>>;
}

export interface Diagnostic {
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly policy: string;
  readonly description: string;
  readonly message: string;
  readonly level: EnforcementLevel;
  readonly urn: string;
}

export interface StackSettings {
  readonly stack: string;
  readonly project: string;
  readonly organization: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Seconds in a Go duration such as `1h30m`, `90s` or `500ms` (the engine's parse). */
export function durationSeconds(text: string): number {
  if (text === "") return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (units[m[2] ?? "s"] ?? 1);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`custom timeout "${text}" is not a duration such as 10m or 1h30m`);
  return total;
}

function resourceOptions(r: RecordedResource): pb.AnalyzerResourceOptions {
  const o = r.options;
  const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(durationSeconds(o.customTimeouts.create));
  timeouts.setUpdate(durationSeconds(o.customTimeouts.update));
  timeouts.setDelete(durationSeconds(o.customTimeouts.delete));
  const opts = new pb.AnalyzerResourceOptions();
  opts.setProtect(o.protect);
  opts.setIgnorechangesList([...o.ignoreChanges]);
  opts.setDeletebeforereplace(o.deleteBeforeReplace === true);
  opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList([...o.additionalSecretOutputs]);
  opts.setAliasesList([...o.aliases]);
  opts.setCustomtimeouts(timeouts);
  opts.setParent(r.parent);
  return opts;
}

function providerResource(provider: RecordedResource | undefined): pb.AnalyzerProviderResource | undefined {
  if (provider === undefined) return undefined;
  const p = new pb.AnalyzerProviderResource();
  p.setUrn(provider.urn);
  p.setType(provider.type);
  p.setName(provider.name);
  p.setProperties(jsonToStruct(provider.inputs));
  return p;
}

/** Analyze sees a resource's inputs, as the engine sends them before the step runs. */
export function analyzeRequest(r: RecordedResource, provider: RecordedResource | undefined): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(jsonToStruct(r.inputs));
  req.setOptions(resourceOptions(r));
  const p = providerResource(provider);
  if (p !== undefined) req.setProvider(p);
  return req;
}

/**
 * AnalyzeStack sees each resource's state after the step: for a create in preview that is
 * the inputs (computed outputs unknown); for a component or the stack, its registered outputs.
 */
export function stackResource(r: RecordedResource, provider: RecordedResource | undefined): pb.AnalyzerResource {
  const res = new pb.AnalyzerResource();
  res.setUrn(r.urn);
  res.setType(r.type);
  res.setName(r.name);
  res.setProperties(jsonToStruct(r.custom ? r.inputs : (r.outputs ?? {})));
  res.setOptions(resourceOptions(r));
  const p = providerResource(provider);
  if (p !== undefined) res.setProvider(p);
  res.setParent(r.parent);
  res.setDependenciesList([...r.dependencies]);
  const deps = res.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    // The engine leaves out properties without dependencies.
    if (urns.length === 0) continue;
    const d = new pb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(key, d);
  }
  return res;
}

function diagnostics(resp: pb.AnalyzeResponse): Diagnostic[] {
  return resp.getDiagnosticsList().map((d) => ({
    policyPack: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    policy: d.getPolicyname(),
    description: d.getDescription(),
    message: d.getMessage(),
    level: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn(),
  }));
}

function policyKind(t: pb.PolicyType): PolicyInfo["kind"] {
  if (t === pb.PolicyType.POLICY_TYPE_RESOURCE) return "resource";
  if (t === pb.PolicyType.POLICY_TYPE_STACK) return "stack";
  return "unknown";
}

type Reply<Res> = (err: grpc.ServiceError | null, res: Res) => void;

export class AnalyzerConnection {
  private readonly client: AnalyzerClient;

  constructor(port: number) {
    this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
  }

  /** One unary call as a promise: `send` passes the reply callback to the stub. */
  private call<Res>(send: (reply: Reply<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      send((err, res) => (err !== null ? reject(err) : resolve(res)));
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await this.call<pb.AnalyzerInfo>((r) => this.client.getAnalyzerInfo(new Empty(), r));
    const initialConfig: Record<string, PolicyConfigEntry> = {};
    info.getInitialconfigMap().forEach((c, name) => {
      initialConfig[name] = {
        level: LEVELS[c.getEnforcementlevel()] ?? "advisory",
        ...(c.hasProperties() ? { properties: structToJson(c.getProperties()) } : {}),
      };
    });
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          description: p.getDescription(),
          level: LEVELS[p.getEnforcementlevel()] ?? "advisory",
          kind: policyKind(p.getPolicyType()),
          ...(schema !== undefined
            ? { configSchema: { properties: structToJson(schema.getProperties()), required: schema.getRequiredList() } }
            : {}),
        };
      }),
      initialConfig,
    };
  }

  async configure(config: Readonly<Record<string, { level: EnforcementLevel; properties: PropertyMap }>>): Promise<void> {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[c.level]);
      pc.setProperties(jsonToStruct(c.properties));
      map.set(name, pc);
    }
    await this.call<Empty>((r) => this.client.configure(req, r));
  }

  /** Sends the stack's identity, config and tags; packs built on older SDKs lack it. */
  async configureStack(s: StackSettings): Promise<void> {
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack(s.stack);
    req.setProject(s.project);
    req.setOrganization(s.organization);
    req.setDryRun(true);
    req.setConfigSecretKeysList([...s.secretKeys]);
    for (const [k, v] of Object.entries(s.config)) req.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(s.tags)) req.getTagsMap().set(k, v);
    try {
      await this.call<pb.AnalyzerStackConfigureResponse>((r) => this.client.configureStack(req, r));
    } catch (e) {
      if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw e;
    }
  }

  async analyze(req: pb.AnalyzeRequest): Promise<Diagnostic[]> {
    return diagnostics(await this.call<pb.AnalyzeResponse>((r) => this.client.analyze(req, r)));
  }

  async analyzeStack(resources: readonly pb.AnalyzerResource[]): Promise<Diagnostic[]> {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList([...resources]);
    try {
      return diagnostics(await this.call<pb.AnalyzeResponse>((r) => this.client.analyzeStack(req, r)));
    } catch (e) {
      // As the engine: a pack without AnalyzeStack simply has no stack policies.
      if ((e as grpc.ServiceError).code === grpc.status.UNIMPLEMENTED) return [];
      throw e;
    }
  }

  close(): void {
    this.client.close();
  }
}
