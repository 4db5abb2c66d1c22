/**
 * Whether the stack would still deploy with a new blocklist. Rather than guess, `block`
 * runs the stack's own checks on the config with the block added: the settings reader
 * every stack starts with, then the network component's blocklist checks (AWS: IPv4 only,
 * and the network ACL rule quota that the blocklist shares with the zone model's entries;
 * Azure: the whole network check, which holds the NSG blocklist rules). A block that passes
 * here is one the preview accepts. Pure.
 */
import {
  AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT,
  checkAwsBlockedCidrs,
  checkAwsNetworkAclQuota,
  checkAzureNetworkArgs,
} from "@pfv5/network";
import { readStackSettings, type AwsSettings, type AzureSettings, type StackSettings } from "@pfv5/stack-config";
import { ValidationError, formatProblem, type Problem } from "@pfv5/zones";
import { ADMIN_CIDRS_KEY, BLOCKED_CIDRS_KEY } from "./blocklist";

/** The stack's cloud key. */
export const CLOUD_KEY = "pfv5:cloud";

/** The pod label that isolates a pod on the Kubernetes stacks (see the cluster-security component). */
export const QUARANTINE_LABEL = "pfv5.io/quarantine=true";

/**
 * A Kubernetes stack reads `pfv5:blockedCidrs` but turns it into nothing (its policies
 * select pods, not source addresses), so a block there would be a silent no-op.
 */
export function checkBlockCloud(cloud: string | undefined): Problem[] {
  if (cloud !== "kubernetes") return [];
  return [
    {
      key: CLOUD_KEY,
      value: cloud,
      message:
        `a Kubernetes stack turns ${BLOCKED_CIDRS_KEY} into no rule, so the block would deny nothing: isolate a compromised pod with the label ${QUARANTINE_LABEL} ` +
        `(kubectl label pod <pod> -n <namespace> ${QUARANTINE_LABEL} --overwrite), or block the source on the AWS or Azure stack in front of the cluster`,
    },
  ];
}

/** The AWS stack's blocklist checks, with the arguments stacks/aws.ts gives the network. */
function awsProblems(settings: AwsSettings): Problem[] {
  // With SSH off, the stack gives the network no admin CIDRs (see stacks/aws.ts).
  const adminCidrs = settings.access.ssh ? settings.sshAllowedCidrs : [];
  const vpcCidr = settings.addressPlan.cidr;
  return [
    ...checkAwsBlockedCidrs(BLOCKED_CIDRS_KEY, settings.blockedCidrs, { vpcCidr, adminCidrs, adminCidrsKey: ADMIN_CIDRS_KEY }),
    ...checkAwsNetworkAclQuota(
      // The stacks leave networkAclRuleLimit at AWS's default quota.
      { vpcCidr, blockedCidrs: settings.blockedCidrs, adminCidrs, ruleLimit: AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT },
      { blockedCidrs: BLOCKED_CIDRS_KEY, adminCidrs: ADMIN_CIDRS_KEY, ruleLimit: "networkAclRuleLimit (the AwsNetwork argument in stacks/aws.ts)" },
    ),
  ];
}

/** The network component's argument names, as the stack file spells them. */
const AZURE_CONFIG_KEYS: readonly (readonly [RegExp, string])[] = [
  [/^blockedCidrs/, BLOCKED_CIDRS_KEY],
  [/^adminCidrs/, ADMIN_CIDRS_KEY],
  [/^addressPlan/, "pfv5:addressPlan"],
  [/^tags/, "pfv5:tags"],
  [/^location$/, "azure-native:location"],
  [/^resourceGroupName$/, "pfv5:resourceGroupName"],
];

function configKey(key: string): string {
  for (const [pattern, configName] of AZURE_CONFIG_KEYS) {
    if (pattern.test(key)) return key.replace(pattern, configName);
  }
  return key;
}

/** The Azure stack's network check, with the arguments stacks/azure.ts gives the network. */
function azureProblems(settings: AzureSettings): Problem[] {
  return checkAzureNetworkArgs({
    location: settings.location,
    addressPlan: settings.addressPlan,
    adminCidrs: settings.access.ssh ? settings.sshAllowedCidrs : [],
    blockedCidrs: settings.blockedCidrs,
    tags: settings.tags,
    ...(settings.resourceGroupName !== undefined ? { resourceGroupName: settings.resourceGroupName } : {}),
  }).map((p) => ({ ...p, key: configKey(p.key) }));
}

/**
 * Every problem the stack's own validation finds in `config` (the edited stack file's
 * config as the engine hands it over, see `engineConfig`); none when it would deploy.
 */
export function checkBlockedStack(stack: string, config: Readonly<Record<string, string>>): Problem[] {
  let settings: StackSettings;
  try {
    settings = readStackSettings(stack, config);
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  const problems = settings.cloud === "aws" ? awsProblems(settings) : settings.cloud === "azure" ? azureProblems(settings) : [];
  // The settings reader and the network check may name the same fault alike: say it once.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const line = formatProblem(p);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}
