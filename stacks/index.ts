/**
 * The pfv5 program: one Pulumi project, one stack per cloud and environment. It reads
 * and validates the stack's settings first (nothing is registered when any value is
 * wrong), then composes the components for the stack's cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings } from "@pfv5/stack-config";
import { awsStack } from "./aws";
import { azureStack } from "./azure";
import { clusterStack } from "./cluster";

async function main(): Promise<Record<string, unknown>> {
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

export = main;
