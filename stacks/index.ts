/**
 * The pfv5 program: one Pulumi project, one stack per cloud and environment. It reads
 * and validates the stack's settings first (nothing is registered when any value is
 * wrong), then composes the components for the stack's cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings } from "@pfv5/stack-config";
import { ValidationError, redactSecrets } from "@pfv5/zones";
import { awsStack } from "./aws";
import { azureStack } from "./azure";
import { clusterStack } from "./cluster";

/**
 * The config keys the engine marks secret. It lists them for the program in this
 * environment variable; the Node SDK has no public accessor for the list.
 */
function secretKeys(): string[] {
  try {
    const keys: unknown = JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]");
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

async function compose(): Promise<Record<string, unknown>> {
  const settings = readStackSettings(pulumi.getStack(), pulumi.runtime.allConfig());
  switch (settings.cloud) {
    case "aws":
      return awsStack(settings);
    case "azure":
      return azureStack(settings);
    case "kubernetes":
      return clusterStack(settings);
  }
}

async function main(): Promise<Record<string, unknown>> {
  try {
    return await compose();
  } catch (e) {
    // A problem with a secret setting names the key but never echoes the value.
    if (e instanceof ValidationError) throw new ValidationError(e.subject, redactSecrets(e.problems, secretKeys()));
    throw e;
  }
}

export = main;
