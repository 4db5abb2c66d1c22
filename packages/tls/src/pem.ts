/** PEM helpers shared by the components. */
import * as pulumi from "@pulumi/pulumi";

/** Joins PEM blocks, one per line group, ending with a newline (what nginx and Istio read). */
export function joinPem(blocks: readonly string[]): string {
  return blocks.map((b) => b.trim()).filter((b) => b !== "").join("\n") + "\n";
}

/** {@link joinPem} over outputs; secret when any input is secret. */
export function joinPemOutputs(blocks: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all([...blocks]).apply((bs) => joinPem(bs));
}
