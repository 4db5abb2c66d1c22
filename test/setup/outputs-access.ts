/**
 * Computed outputs of the resources the access hosts read. Spread into `computedOutputs`.
 * Random bytes are derived from the resource name, so each key is stable across runs and
 * differs between components.
 */
import { createHash } from "node:crypto";
import type { MockRegistration } from "./outputs";

type Filler = (args: MockRegistration, id: string) => Record<string, unknown>;

export const accessComputedOutputs: Record<string, Filler> = {
  "random:index/randomBytes:RandomBytes": (args) => {
    const length = typeof args.inputs["length"] === "number" ? args.inputs["length"] : 32;
    const bytes = createHash("sha512").update(args.name).digest().subarray(0, length);
    return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
  },
  "aws:ec2/networkInterface:NetworkInterface": () => ({ privateIp: "10.0.1.10" }),
};
