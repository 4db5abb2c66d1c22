/**
 * The data an offline preview works with: resource registrations as the engine receives
 * them, policy violations as the analyzer reports them, and the result a run returns.
 * Everything here is plain JSON so it crosses the process boundary unchanged.
 */

/** A JSON value as it travels in a protobuf Struct. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A property map as serialized by the SDK (unknowns as the sentinel, secrets enveloped). */
export type PropertyMap = Record<string, Json>;

/** The options of a registration that the engine keeps and hands to policies. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  /** Present only when the program set it, as the engine distinguishes "unset". */
  readonly deleteBeforeReplace?: boolean;
  readonly additionalSecretOutputs: readonly string[];
  /** Alias URNs, resolved by the SDK (the preview does not advertise alias specs). */
  readonly aliases: readonly string[];
  /** Go duration strings such as `10m`, empty when unset. */
  readonly customTimeouts: { readonly create: string; readonly update: string; readonly delete: string };
  readonly retainOnDelete?: boolean;
  readonly deletedWith?: string;
  readonly replaceOnChanges: readonly string[];
  readonly importId?: string;
  /** The provider plugin version the SDK asked for, e.g. `7.48.0`. */
  readonly version?: string;
  /** Package name to provider reference, for components. */
  readonly providers: Readonly<Record<string, string>>;
}

/** One resource as the engine would hold it after a first preview. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent URN; empty for the stack itself. */
  readonly parent: string;
  readonly custom: boolean;
  /** A multi-language component constructed by a provider. */
  readonly remote: boolean;
  /** Read with `Resource.get` rather than created. */
  readonly read: boolean;
  /** A provider the engine creates on its own for resources that name none. */
  readonly defaultProvider: boolean;
  /** The provider reference `urn::id` (the id is the unknown sentinel in preview), or "". */
  readonly provider: string;
  /** The inputs exactly as serialized in the registration. */
  readonly inputs: PropertyMap;
  /** Outputs registered by a component or the stack (`registerOutputs`). */
  readonly outputs?: PropertyMap;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly options: RecordedOptions;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One diagnostic a policy reported. */
export interface Violation {
  /** The pack's name, e.g. `security-zones`. */
  readonly policyPack: string;
  readonly policy: string;
  readonly level: EnforcementLevel;
  /** The resource the violation is about; empty when a stack policy names none. */
  readonly urn: string;
  readonly message: string;
}

/** What a policy pack said about itself. */
export interface PolicyPackSummary {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly policies: readonly {
    readonly name: string;
    readonly level: EnforcementLevel;
    readonly kind: "resource" | "stack" | "unknown";
  }[];
}

/** Why a run could not complete; every kind exits 2. */
export interface PreviewFailure {
  readonly kind: "usage" | "config" | "program" | "policy-pack";
  readonly message: string;
}

/** A section computed from the resources by a reporter (see reporters.ts). */
export interface Report {
  /** The section heading; the reporter's title when it gives none. */
  readonly title?: string;
  /** Lines for the human output, printed under the reporter's title. */
  readonly text?: string;
  /** A value for the `--json` output, under the reporter's key. */
  readonly json?: unknown;
}

export interface PreviewResult {
  readonly stack: string;
  readonly project: string;
  /** Every resource the program registered, the stack first, in registration order. */
  readonly resources: readonly RecordedResource[];
  /** Providers the engine would add for resources that name none (not shown in the tree). */
  readonly defaultProviders: readonly RecordedResource[];
  /** The stack outputs the program returned, as serialized. */
  readonly outputs: PropertyMap;
  readonly violations: readonly Violation[];
  readonly policyPacks: readonly PolicyPackSummary[];
  readonly summary: { readonly resources: number; readonly violations: number; readonly mandatory: number };
  readonly reports: Readonly<Record<string, Report>>;
  /** Lines the program and the packs wrote to stdout or stderr. */
  readonly diagnostics: readonly string[];
  readonly timings: { readonly programMs: number; readonly policyMs: number; readonly totalMs: number };
  readonly failure?: PreviewFailure;
  /** 0 without mandatory violations, 1 with one, 2 when the run failed. */
  readonly exitCode: 0 | 1 | 2;
}
