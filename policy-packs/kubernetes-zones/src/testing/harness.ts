/**
 * A typed test harness for the pack's policies. It builds the arguments the SDK hands a
 * policy, typed by the Kubernetes SDK class's `Args` (or by the Istio shapes for custom
 * resources), wraps the properties in the SDK's own unknown-checking proxy, and collects
 * violations and not-applicable answers as the analyzer server does.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { PackPolicy } from "../lib/policy";
import { isUnknownValueError, unknownCheckingProxy } from "../lib/sdk";
import type { Props, PropsByType, TypeToken } from "../lib/types";

/** The value the engine sends for a property not known until deployment. */
export const UNKNOWN: string = pulumi.runtime.unknownValue;

/** A provider SDK class: its constructor's second parameter is its `Args`. */
export type ResourceClass<TArgs> = new (name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The type token of a provider SDK class. */
export function typeToken(cls: ResourceClass<never>): string {
  const token: unknown = Reflect.get(cls, "__pulumiType");
  if (typeof token !== "string") throw new Error(`${cls.name} has no __pulumiType: not a provider SDK resource class`);
  return token;
}

/** What a test names a resource type by: an SDK class, or a type token with typed props. */
export type Kind<P> = ResourceClass<P> | TypeToken;

export interface BuildOptions {
  readonly name?: string;
  /** Dotted paths to set to the unknown value, e.g. `metadata.namespace`. */
  readonly unknowns?: readonly string[];
  /** The policy config the engine would send. */
  readonly config?: Readonly<Record<string, unknown>>;
}

function setUnknown(target: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  let cursor: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    const next = cursor[k];
    if (typeof next !== "object" || next === null) throw new Error(`unknown path "${path}": "${k}" is not an object in the props`);
    cursor = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (last === undefined || last === "") throw new Error(`unknown path "${path}" is empty`);
  cursor[last] = UNKNOWN;
}

/** Properties as the engine deserializes them: no undefined members, unknowns as the sentinel. */
function wire(props: unknown, unknowns: readonly string[]): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  for (const path of unknowns) setUnknown(plain, path);
  return plain;
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const urnOf = (type: string, name: string): string => `urn:pulumi:test::pfv5::${type}::${name}`;

export class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

const tokenOf = <P>(kind: Kind<P>): string => (typeof kind === "string" ? kind : typeToken(kind as ResourceClass<never>));
const noAsType = (): never => {
  throw new Error("the harness does not implement asType: the pack's policies read props through propsOf");
};

/** The arguments a resource policy receives for one resource. */
export function resourceArgs<TArgs>(kind: ResourceClass<TArgs>, props: Props<TArgs>, options?: BuildOptions): ResourceValidationArgs;
export function resourceArgs<K extends TypeToken>(kind: K, props: PropsByType[K], options?: BuildOptions): ResourceValidationArgs;
export function resourceArgs(kind: Kind<unknown>, props: object, options: BuildOptions = {}): ResourceValidationArgs {
  const type = tokenOf(kind);
  const name = options.name ?? type.split(":").pop()?.toLowerCase() ?? "resource";
  const config = options.config ?? {};
  return {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(wire(props, options.unknowns ?? [])),
    opts: OPTIONS,
    stackTags: new Map(),
    isType: (c) => Reflect.get(c, "__pulumiType") === type,
    asType: noAsType,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

export interface StackResourceOptions {
  readonly unknowns?: readonly string[];
  /** The resources each property's value came from (the engine's property dependencies). */
  readonly dependsOn?: Readonly<Record<string, readonly PolicyResource[]>>;
}

/** Builds the resources of a stack for stack policies, linked as the SDK links them. */
export class StackBuilder {
  private readonly list: PolicyResource[] = [];

  add<TArgs>(kind: ResourceClass<TArgs>, name: string, props: Props<TArgs>, options?: StackResourceOptions): PolicyResource;
  add<K extends TypeToken>(kind: K, name: string, props: PropsByType[K], options?: StackResourceOptions): PolicyResource;
  add(kind: Kind<unknown>, name: string, props: object, options: StackResourceOptions = {}): PolicyResource {
    const type = tokenOf(kind);
    if (this.list.some((r) => r.name === name && r.type === type)) throw new Error(`the stack already has a ${type} named "${name}"`);
    const propertyDependencies: Record<string, PolicyResource[]> = {};
    for (const [k, v] of Object.entries(options.dependsOn ?? {})) propertyDependencies[k] = [...v];
    const resource: PolicyResource = {
      type,
      name,
      urn: urnOf(type, name),
      props: unknownCheckingProxy(wire(props, options.unknowns ?? [])),
      opts: OPTIONS,
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
      isType: (c) => Reflect.get(c, "__pulumiType") === type,
      asType: noAsType,
    };
    this.list.push(resource);
    return resource;
  }

  get resources(): readonly PolicyResource[] {
    return this.list;
  }
}

export interface Violation {
  readonly message: string;
  readonly urn?: string;
}

export interface Outcome {
  readonly violations: readonly Violation[];
  readonly notApplicable?: string;
}

async function collect(run: (report: (message: string, urn?: string) => void) => Promise<void> | void): Promise<Outcome> {
  const violations: Violation[] = [];
  try {
    await run((message, urn) => violations.push(urn === undefined ? { message } : { message, urn }));
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason ?? "" };
    if (isUnknownValueError(e)) throw new Error(`an unknown value escaped the policy (the SDK would only log an advisory note): ${e.message}`);
    throw e;
  }
  return { violations };
}

export function runResource(p: PackPolicy, args: ResourceValidationArgs): Promise<Outcome> {
  const policy = p.policy;
  const validate = "validateResource" in policy ? policy.validateResource : undefined;
  if (validate === undefined) throw new Error(`${p.doc.name} has no resource part`);
  const validations = Array.isArray(validate) ? validate : [validate];
  return collect(async (report) => {
    for (const v of validations) await v(args, report);
  });
}

export function runStack(p: PackPolicy, resources: readonly PolicyResource[], config: Readonly<Record<string, unknown>> = {}): Promise<Outcome> {
  const policy = p.policy;
  const validateStack = "validateStack" in policy ? policy.validateStack : undefined;
  if (validateStack === undefined) throw new Error(`${p.doc.name} has no stack part`);
  const args: StackValidationArgs = {
    resources: [...resources],
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  return collect((report) => validateStack(args, report));
}

/** Runs a policy over a whole stack, resource part on each resource of its types, or stack part. */
export async function runOnStack(p: PackPolicy, resources: readonly PolicyResource[]): Promise<Violation[]> {
  if ("validateStack" in p.policy) return [...(await runStack(p, resources)).violations];
  const out: Violation[] = [];
  for (const r of resources.filter((x) => (p.doc.appliesTo as readonly string[]).includes(x.type))) {
    const args: ResourceValidationArgs = {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: r.props,
      opts: r.opts,
      stackTags: new Map(),
      isType: (c) => Reflect.get(c, "__pulumiType") === r.type,
      asType: noAsType,
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    out.push(...(await runResource(p, args)).violations.map((v) => ({ ...v, urn: v.urn ?? r.urn })));
  }
  return out;
}

/** The first line of each violation: what is wrong (the rest is why and fix). */
export function whats(outcome: Outcome | readonly Violation[]): string[] {
  const list = "violations" in outcome ? outcome.violations : outcome;
  return list.map((v) => v.message.split("\n")[0] ?? "");
}
