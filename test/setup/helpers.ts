/** Small helpers shared by the specs: await an Output, find recorded resources. */
import * as pulumi from "@pulumi/pulumi";
import { recorded, type RecordedResource } from "./mocks";

/** Resolves an Output (or plain value) to its value. Never use `done` inside `apply`. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    pulumi.output(output).apply((v) => {
      resolve(v as T);
      return v;
    });
  });
}

/** Whether an Output is marked secret. */
export function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/**
 * The resources recorded so far whose logical name starts with `prefix` (use the
 * component name of the spec, so specs do not see each other's resources), optionally of
 * one type.
 */
export function resourcesNamed(prefix: string, type?: string): RecordedResource[] {
  return recorded.filter(
    (r) => r.name.startsWith(prefix) && (type === undefined || r.type === type),
  );
}

/** Waits until every resource registration started so far has been answered. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Registrations are asynchronous; a few turns of the event loop let them finish.
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
