/** The Azure stack: placeholder until the Azure network lands. */
import type { AzureSettings } from "@pfv5/stack-config";

export function azureStack(_settings: AzureSettings): Promise<Record<string, unknown>> {
  return Promise.reject(new Error("azure stacks are not composed yet"));
}
