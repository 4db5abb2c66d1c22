/**
 * Defaults and fixed values of the AWS network, named once and used by both the argument
 * documentation and the code.
 */
import { AWS_ADDRESS_PLAN, type AddressPlan } from "@pfv5/zones";

/** How private subnets reach the internet. */
export type AwsNatStrategy = "perAz" | "single";
export const AWS_NAT_STRATEGIES: readonly AwsNatStrategy[] = ["perAz", "single"];

/**
 * One NAT gateway per AZ: losing a zone then costs only that zone's egress, and no
 * traffic crosses zones (which AWS bills). `single` saves the hourly cost in dev.
 */
export const AWS_DEFAULT_NAT_STRATEGY: AwsNatStrategy = "perAz";

/** The address plan used when none is given: the architecture's 10.0.0.0/16 layout. */
export const AWS_DEFAULT_ADDRESS_PLAN: AddressPlan = AWS_ADDRESS_PLAN;

/** The retention periods CloudWatch Logs accepts, in days. */
export const AWS_LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Flow logs are security evidence: keep a year unless the stack says otherwise. */
export const AWS_DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

/**
 * AWS's default quota of rules per network ACL and direction (it can be raised to 40).
 * The blocklist shares it with the one allow-all rule per direction.
 */
export const AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT = 20;

/** The highest rules-per-ACL quota AWS grants on request. */
export const AWS_MAX_NETWORK_ACL_RULE_LIMIT = 40;

/** Rule number of the first blocklist deny entry; later entries take the next numbers. */
export const AWS_BLOCKLIST_FIRST_RULE_NUMBER = 10;

/** Rule number of the allow-all entry that follows the denies in every tier's ACL. */
export const AWS_NETWORK_ACL_ALLOW_RULE_NUMBER = 100;

/** Tag keys the component sets itself; `tags` may not use them. */
export const AWS_RESERVED_TAG_KEYS: readonly string[] = [
  "Name",
  "pfv5:tier",
  "pfv5:egress",
  "kubernetes.io/role/elb",
  "kubernetes.io/role/internal-elb",
];
