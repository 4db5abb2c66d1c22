/**
 * The policy SDK's unknown-value handling, typed. `@pulumi/policy` hands policies their
 * resources' properties through `unknownCheckingProxy`; reading a value not known during
 * preview throws `UnknownValueError` with the property path. Both exist at runtime but are
 * left out of the published declarations, so this augmentation declares them. The pack turns
 * the error into a mandatory "could not be checked" violation instead of a silent pass.
 */
import { unknownCheckingProxy as sdkProxy, UnknownValueError } from "@pulumi/policy/proxy";

declare module "@pulumi/policy/proxy" {
  /** Wraps `value` so that reading an unknown property throws {@link UnknownValueError}. */
  export function unknownCheckingProxy<T extends object>(value: T): T;
  /** Thrown when a policy reads a property whose value is unknown during preview. */
  export class UnknownValueError extends Error {
    /** The path that was read, e.g. `["metadata", "namespace"]`. */
    readonly props: readonly (string | symbol)[];
  }
}

export { UnknownValueError };

/** Wraps plain properties as the SDK does before calling a policy. */
export function unknownCheckingProxy<T extends object>(value: T): T {
  return sdkProxy(value);
}

export function isUnknownValueError(e: unknown): e is UnknownValueError {
  return e instanceof UnknownValueError;
}

/** The path of an unknown-value error as code writes it, e.g. `metadata.namespace`. */
export function unknownPath(e: UnknownValueError): string {
  return e.props
    .map((p) => (typeof p === "symbol" ? p.toString() : /^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
}
