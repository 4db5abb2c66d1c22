/**
 * The two parts of the policy SDK's unknown-value handling that its declarations leave out.
 *
 * `@pulumi/policy` wraps every resource's properties in `unknownCheckingProxy` before a
 * policy sees them: reading a value that is not known yet (an id during preview) throws an
 * `UnknownValueError` carrying the property path. Both are exported at runtime but marked
 * internal, so the published `.d.ts` omits them; this augmentation gives them their real
 * signatures. The pack catches the error to turn "could not decide" into a mandatory
 * violation (the SDK on its own downgrades it to an advisory note); the tests use the proxy
 * to hand policies exactly what the engine hands them.
 */
import { unknownCheckingProxy as sdkUnknownCheckingProxy, UnknownValueError } from "@pulumi/policy/proxy";

declare module "@pulumi/policy/proxy" {
  /** Wraps `value` so that reading an unknown property throws {@link UnknownValueError}. */
  export function unknownCheckingProxy<T extends object>(value: T): T;
  /** Thrown when a policy reads a property whose value is unknown during preview. */
  export class UnknownValueError extends Error {
    /** The property path that was read, e.g. `["networkSecurityGroup", "id"]`. */
    readonly props: readonly (string | symbol)[];
  }
}

export { UnknownValueError };

/** Wraps plain properties the way the SDK does before calling a policy. */
export function unknownCheckingProxy<T extends object>(value: T): T {
  return sdkUnknownCheckingProxy(value);
}

/** Whether `e` is the SDK's unknown-value error. */
export function isUnknownValueError(e: unknown): e is UnknownValueError {
  return e instanceof UnknownValueError;
}

/** The property path of an unknown-value error as written in code, e.g. `networkSecurityGroup.id`. */
export function unknownPath(e: UnknownValueError): string {
  return e.props.map((p) => (typeof p === "symbol" ? p.toString() : /^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}
