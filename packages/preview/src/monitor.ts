/**
 * The resource monitor the program talks to in place of the engine. It extends the SDK's
 * MockMonitor but answers as the engine does in a first `pulumi preview`: each registration
 * is recorded exactly as the SDK sent it (inputs with unknowns, dependencies, property
 * dependencies, options), the returned state is the inputs only and the id is empty, so
 * every computed output and every id stays unknown and no `apply` on them runs.
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { answerInvoke, type InvokeHandler, INVOKE_HANDLERS } from "./invokes";
import { jsonToStruct, RpcError, structToJson, UNKNOWN } from "./proto";
import type { PropertyMap, RecordedOptions, RecordedResource } from "./types";

type Callback<T> = (err: Error | null, response?: T) => void;

/** What the SDK may ask the monitor about; the answers match what the preview supports. */
const FEATURES: Readonly<Record<string, boolean>> = {
  secrets: true,
  resourceReferences: true,
  // Off, as in the SDK's own mocks: inputs then carry the plain unknown sentinel.
  outputValues: false,
  deletedWith: true,
  replaceWith: true,
  // Off: the SDK then resolves aliases to URNs itself, which is what policies receive.
  aliasSpecs: false,
  // Transforms and hooks need a callback server that the preview does not run.
  transforms: false,
  invokeTransforms: false,
  parameterization: true,
  resourceHooks: false,
  errorHooks: false,
};

const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";

/** The URN the engine gives a resource: parent types are chained with `$`, the stack's is not. */
export function urnFor(stack: string, project: string, parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent !== "") {
    const parentQualified = parent.split("::")[2] ?? "";
    if (parentQualified !== STACK_TYPE) qualified = `${parentQualified}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The name the engine gives a default provider: `default_7_48_0` for version 7.48.0. */
export function defaultProviderName(version: string): string {
  return version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
}

function options(req: resproto.RegisterResourceRequest): RecordedOptions {
  const t = req.getCustomtimeouts();
  const providers: Record<string, string> = {};
  req.getProvidersMap().forEach((ref, pkg) => {
    providers[pkg] = ref;
  });
  return {
    protect: req.getProtect() === true,
    ignoreChanges: req.getIgnorechangesList(),
    ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    aliases: req.getAliasurnsList(),
    customTimeouts: { create: t?.getCreate() ?? "", update: t?.getUpdate() ?? "", delete: t?.getDelete() ?? "" },
    ...(req.hasRetainondelete() ? { retainOnDelete: req.getRetainondelete() === true } : {}),
    ...(req.getDeletedwith() !== "" ? { deletedWith: req.getDeletedwith() } : {}),
    replaceOnChanges: req.getReplaceonchangesList(),
    ...(req.getImportid() !== "" ? { importId: req.getImportid() } : {}),
    ...(req.getVersion() !== "" ? { version: req.getVersion() } : {}),
    providers,
  };
}

const NO_OPTIONS: RecordedOptions = {
  protect: false,
  ignoreChanges: [],
  additionalSecretOutputs: [],
  aliases: [],
  customTimeouts: { create: "", update: "", delete: "" },
  replaceOnChanges: [],
  providers: {},
};

/** A recorded resource whose registered outputs may still arrive. */
type Entry = { -readonly [K in keyof RecordedResource]: RecordedResource[K] };

export class PreviewMonitor extends MockMonitor {
  private readonly entries: Entry[] = [];
  private readonly byUrn = new Map<string, Entry>();
  private readonly providers = new Map<string, Entry>();

  /**
   * @param engineConfig the stack config as the engine passes it (full keys, string values);
   *   default providers take their package's keys as inputs, as the engine does.
   */
  constructor(
    private readonly stack: string,
    private readonly project: string,
    private readonly engineConfig: Readonly<Record<string, string>>,
    private readonly invokeHandlers: Readonly<Record<string, InvokeHandler>> = INVOKE_HANDLERS,
  ) {
    super({
      newResource: () => {
        throw new Error("the preview monitor answers registrations itself");
      },
      call: () => {
        throw new Error("the preview monitor answers invokes itself");
      },
    });
  }

  /** Every resource the program registered, in order. */
  get recorded(): readonly RecordedResource[] {
    return this.entries.filter((e) => !e.defaultProvider);
  }

  /** The providers the engine would create for resources that name none. */
  get defaultProviders(): readonly RecordedResource[] {
    return this.entries.filter((e) => e.defaultProvider);
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    this.byUrn.set(entry.urn, entry);
    this.resources.set(entry.urn, { urn: entry.urn, id: null, state: entry.inputs });
  }

  /** The default provider for a package and version, created on first use. */
  private defaultProvider(pkg: string, version: string): string {
    const name = defaultProviderName(version);
    const type = `${PROVIDER_PREFIX}${pkg}`;
    const urn = urnFor(this.stack, this.project, "", type, name);
    if (!this.providers.has(urn)) {
      const inputs: PropertyMap = {};
      for (const [key, value] of Object.entries(this.engineConfig)) {
        if (key.startsWith(`${pkg}:`)) inputs[key.slice(pkg.length + 1)] = value;
      }
      if (version !== "") inputs["version"] = version;
      const entry: Entry = {
        urn, type, name, parent: "", custom: true, remote: false, read: false, defaultProvider: true,
        provider: "", inputs, dependencies: [], propertyDependencies: {},
        options: version === "" ? NO_OPTIONS : { ...NO_OPTIONS, version },
      };
      this.providers.set(urn, entry);
      this.add(entry);
    }
    return `${urn}::${UNKNOWN}`;
  }

  private record(req: resproto.RegisterResourceRequest | resproto.ReadResourceRequest, read: boolean): Entry {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = urnFor(this.stack, this.project, parent, type, name);
    if (this.byUrn.has(urn)) {
      throw new RpcError(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    }
    const register = req instanceof resproto.RegisterResourceRequest ? req : undefined;
    const custom = register === undefined ? true : register.getCustom();
    let provider = req.getProvider();
    if (custom && provider === "" && !type.startsWith(PROVIDER_PREFIX) && type !== STACK_TYPE) {
      provider = this.defaultProvider(type.split(":")[0] ?? "", req.getVersion());
    }
    const propertyDependencies: Record<string, string[]> = {};
    register?.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const entry: Entry = {
      urn,
      type,
      name,
      parent,
      custom,
      remote: register?.getRemote() ?? false,
      read,
      defaultProvider: false,
      provider,
      inputs: structToJson(register !== undefined ? register.getObject() : (req as resproto.ReadResourceRequest).getProperties()),
      dependencies: register?.getDependenciesList() ?? (req as resproto.ReadResourceRequest).getDependenciesList(),
      propertyDependencies,
      options: register !== undefined ? options(register) : NO_OPTIONS,
    };
    if (type.startsWith(PROVIDER_PREFIX)) this.providers.set(urn, entry);
    this.add(entry);
    return entry;
  }

  override registerResource(req: resproto.RegisterResourceRequest, callback: Callback<resproto.RegisterResourceResponse>): Promise<void> {
    try {
      const entry = this.record(req, false);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(entry.urn);
      // An empty id is what a create looks like in preview: the SDK resolves `id` as unknown.
      response.setId("");
      // The state is the inputs: every computed output is absent, so the SDK makes it unknown.
      response.setObject(jsonToStruct(entry.inputs));
      response.setResult(resproto.Result.SUCCESS);
      callback(null, response);
    } catch (e) {
      callback(e as Error);
    }
    return Promise.resolve();
  }

  override readResource(req: resproto.ReadResourceRequest, callback: Callback<resproto.ReadResourceResponse>): Promise<void> {
    try {
      const entry = this.record(req, true);
      const response = new resproto.ReadResourceResponse();
      response.setUrn(entry.urn);
      response.setProperties(jsonToStruct(entry.inputs));
      callback(null, response);
    } catch (e) {
      callback(e as Error);
    }
    return Promise.resolve();
  }

  override registerResourceOutputs(req: resproto.RegisterResourceOutputsRequest, callback: Callback<object>): void {
    const entry = this.byUrn.get(req.getUrn());
    if (entry === undefined) {
      callback(new RpcError(`unknown resource ${req.getUrn()}`));
      return;
    }
    entry.outputs = structToJson(req.getOutputs());
    callback(null, {});
  }

  override invoke(req: resproto.ResourceInvokeRequest, callback: Callback<provproto.InvokeResponse>): Promise<void> {
    try {
      const token = req.getTok();
      const args = structToJson(req.getArgs());
      const response = new provproto.InvokeResponse();
      if (token === "pulumi:pulumi:getResource") {
        const urn = typeof args["urn"] === "string" ? args["urn"] : "";
        const entry = this.byUrn.get(urn);
        if (entry === undefined) throw new RpcError(`unknown resource ${JSON.stringify(args["urn"])}`);
        response.setReturn(jsonToStruct({ urn: entry.urn, id: UNKNOWN, state: entry.inputs }));
      } else {
        const result = answerInvoke(token, { args, region: this.regionFor(req.getProvider()) }, this.invokeHandlers);
        response.setReturn(jsonToStruct(result as PropertyMap));
      }
      callback(null, response);
    } catch (e) {
      callback(e instanceof RpcError ? e : new RpcError((e as Error).message));
    }
    return Promise.resolve();
  }

  /** The region of the provider serving an invoke: its `region` input, else `aws:region`. */
  private regionFor(providerRef: string): string | undefined {
    const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
    const region = this.providers.get(urn)?.inputs["region"];
    if (typeof region === "string") return region;
    return this.engineConfig["aws:region"];
  }

  override supportsFeature(req: resproto.SupportsFeatureRequest, callback: Callback<resproto.SupportsFeatureResponse>): void {
    const response = new resproto.SupportsFeatureResponse();
    response.setHassupport(FEATURES[req.getId()] ?? false);
    callback(null, response);
  }
}
