/**
 * A typed test harness for the pack's policies. It builds the arguments the SDK hands a
 * policy, typed by the provider SDK class's `Args` (so a test cannot set a property the
 * provider does not have), wraps the properties in the SDK's own unknown-checking proxy, and
 * collects violations and not-applicable answers the way the analyzer server does.
 *
 * ```ts
 * const r = resourceArgs(aws.vpc.SecurityGroupIngressRule, { securityGroupId: "sg-1", ipProtocol: "tcp" });
 * const outcome = await runResource(policy, r);
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { ZonePolicy } from "../lib/policy";
import { isUnknownValueError, unknownCheckingProxy } from "../lib/sdk";
import type { Props } from "../lib/types";

/** The value the engine sends for a property not known until deployment. */
export const UNKNOWN: string = pulumi.runtime.unknownValue;

/** A provider SDK resource class: its constructor's second parameter is its `Args`. */
export type ResourceClass<TArgs> = new (name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The type token of a provider SDK class (its static `__pulumiType`, which the SDK's own `isType` reads). */
export function typeToken(cls: ResourceClass<never> | (abstract new (...args: never[]) => unknown)): string {
  const token: unknown = Reflect.get(cls, "__pulumiType");
  if (typeof token !== "string") throw new Error(`${cls.name} has no __pulumiType: not a provider SDK resource class`);
  return token;
}

export interface BuildOptions {
  /** The logical name; defaults to a name derived from the type. */
  readonly name?: string;
  /** Dotted paths to set to the unknown value, e.g. `networkSecurityGroup.id`, `ingress.0.cidrBlocks`. */
  readonly unknowns?: readonly string[];
}

export interface ResourceBuildOptions extends BuildOptions {
  /** The policy config the engine would send for the policy under test. */
  readonly config?: Readonly<Record<string, unknown>>;
}

function setUnknown(target: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  let cursor: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((k) => {
    const next = cursor[k];
    if (typeof next !== "object" || next === null) throw new Error(`unknown path "${path}": "${k}" is not an object in the props`);
    cursor = next as Record<string, unknown>;
  });
  const last = keys[keys.length - 1];
  if (last === undefined || last === "") throw new Error(`unknown path "${path}" is empty`);
  cursor[last] = UNKNOWN;
}

/** Plain properties as the engine deserializes them: no undefined members, unknowns as the sentinel. */
function wireProps(props: unknown, unknowns: readonly string[]): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  for (const path of unknowns) setUnknown(plain, path);
  return plain;
}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::pfv5::${type}::${name}`;
}

/** Raised by the harness's `notApplicable`, as the SDK raises its own. */
export class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

function isTypeOf(type: string, cls: abstract new (...args: never[]) => unknown): boolean {
  return Reflect.get(cls, "__pulumiType") === type;
}

const noAsType = (): never => {
  throw new Error("the harness does not implement asType: the pack's policies read props through propsOf");
};

/** The arguments a resource policy receives for one resource, typed by `cls`'s Args. */
export function resourceArgs<TArgs>(cls: ResourceClass<TArgs>, props: Props<TArgs>, options: ResourceBuildOptions = {}): ResourceValidationArgs {
  const type = typeToken(cls);
  const name = options.name ?? type.split(":").pop()?.toLowerCase() ?? "resource";
  const config = options.config ?? {};
  return {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(wireProps(props, options.unknowns ?? [])),
    opts: DEFAULT_OPTIONS,
    stackTags: new Map(),
    isType: (c) => isTypeOf(type, c),
    asType: noAsType,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

export interface StackResourceOptions extends BuildOptions {
  readonly parent?: PolicyResource;
  /** The resources each property's value came from (the engine's property dependencies). */
  readonly dependsOn?: Readonly<Record<string, readonly PolicyResource[]>>;
}

/** Builds the resources of a stack for a stack policy, linked as the SDK links them. */
export class StackBuilder {
  private readonly list: PolicyResource[] = [];

  add<TArgs>(cls: ResourceClass<TArgs>, name: string, props: Props<TArgs>, options: StackResourceOptions = {}): PolicyResource {
    const type = typeToken(cls);
    if (this.list.some((r) => r.name === name && r.type === type)) throw new Error(`the stack already has a ${type} named "${name}"`);
    const propertyDependencies: Record<string, PolicyResource[]> = {};
    for (const [k, v] of Object.entries(options.dependsOn ?? {})) propertyDependencies[k] = [...v];
    const resource: PolicyResource = {
      type,
      name,
      urn: urnOf(type, name),
      props: unknownCheckingProxy(wireProps(props, options.unknowns ?? [])),
      opts: { ...DEFAULT_OPTIONS, ...(options.parent !== undefined ? { parent: options.parent.urn } : {}) },
      ...(options.parent !== undefined ? { parent: options.parent } : {}),
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
      isType: (c) => isTypeOf(type, c),
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
  /** Set when the policy declared itself not applicable, with its reason. */
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

/** Runs the resource part of `p` on one resource. */
export function runResource(p: ZonePolicy, args: ResourceValidationArgs): Promise<Outcome> {
  const policy = p.policy;
  if (!("validateResource" in policy) || policy.validateResource === undefined) throw new Error(`${p.doc.name} has no resource part`);
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  return collect(async (report) => {
    for (const v of validations) await v(args, report);
  });
}

/** Runs the stack part of `p` on the stack's resources. */
export function runStack(p: ZonePolicy, resources: readonly PolicyResource[], config: Readonly<Record<string, unknown>> = {}): Promise<Outcome> {
  const validateStack = p.policy.validateStack;
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

/** The first line of each violation: what is wrong (the rest is why and fix). */
export function whats(outcome: Outcome): string[] {
  return outcome.violations.map((v) => v.message.split("\n")[0] ?? "");
}
