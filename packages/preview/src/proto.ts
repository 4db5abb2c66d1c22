/**
 * Small helpers over the SDK's protobuf values: Structs in and out as plain JSON, and the
 * SDK's markers for unknown and secret values.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Json, PropertyMap } from "./types";

/** The string the SDK and the engine use for a value not known until apply. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key and value that mark a serialized secret envelope `{<sig>: <secret>, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** An error as a gRPC peer reports it: the SDK shows `details` for failed invokes. */
export class RpcError extends Error {
  readonly details: string;
  constructor(message: string) {
    super(message);
    this.name = "RpcError";
    this.details = message;
  }
}

/** A Struct's fields as JSON (a Struct can only hold JSON values). */
export function structToJson(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

export function jsonToStruct(map: PropertyMap): Struct {
  return Struct.fromJavaScript(map);
}

export function isSecretEnvelope(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && v[SIG_KEY] === SECRET_SIG;
}

/** Whether a value is or contains an unknown. */
export function containsUnknown(v: Json | undefined): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * A copy fit for display and for `--json`: secrets become `"[secret]"` so no secret value
 * is ever printed; unknowns keep the sentinel, which consumers compare against UNKNOWN.
 */
export function redact(v: Json): Json {
  if (isSecretEnvelope(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(redact);
  if (typeof v === "object" && v !== null) {
    const out: { [key: string]: Json } = {};
    for (const [k, x] of Object.entries(v as { [key: string]: Json })) out[k] = redact(x);
    return out;
  }
  return v;
}

export function redactMap(map: PropertyMap): PropertyMap {
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(map)) out[k] = redact(v);
  return out;
}
