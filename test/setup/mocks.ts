/**
 * The one mock setup for the whole mocha run. Loaded through `.mocharc.json` before any
 * spec file, so no spec calls `setMocks` itself (the last caller would silently win).
 *
 * It records every registered resource, gives each a non-empty id (an empty id leaves
 * `id` unknown and any test awaiting it hangs), fills the computed outputs our
 * components read, and throws on an invoke token it does not know.
 */
import * as pulumi from "@pulumi/pulumi";
import { invokeHandlers } from "./invokes";
import { computedOutputs } from "./outputs";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
}

/** Every resource registered during the run, in registration order. */
export const recorded: RecordedResource[] = [];

let counter = 0;

// setMocks resolves once the mock monitor is installed; nothing to wait for here.
void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
      counter += 1;
      const id = args.id && args.id !== "" ? args.id : `${args.name}-id-${counter}`;
      const inputs = args.inputs as Record<string, unknown>;
      const extra = computedOutputs[args.type]?.({ type: args.type, name: args.name, inputs }, id) ?? {};
      const state: Record<string, unknown> = { ...inputs, ...extra };
      recorded.push({
        type: args.type,
        name: args.name,
        urn: `urn:pulumi:test::pfv5::${args.type}::${args.name}`,
        id,
        inputs,
        ...(args.provider !== undefined ? { provider: args.provider } : {}),
      });
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      const handler = invokeHandlers[args.token];
      if (handler === undefined) {
        throw new Error(
          `test mocks: no handler for invoke "${args.token}"; add one to test/setup/invokes.ts`,
        );
      }
      return handler(args.inputs as Record<string, unknown>);
    },
  },
  "pfv5",
  "test",
  false,
);
