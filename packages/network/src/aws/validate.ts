/**
 * Validation of `AwsNetwork` arguments. Every check returns problems instead of throwing,
 * so the component reports all of them in one error before it registers anything. The
 * arguments are checked as unknown values: stacks pass config that no compiler has seen.
 */
import { TIERS, checkAddressPlan, checkAdminCidrs, checkCidr, parseCidr, type AddressPlan, type Problem } from "@pfv5/zones";
import { checkAwsBlockedCidrs } from "./blocklist";
import { checkAwsNetworkAclQuota } from "./network-acl";
import {
  AWS_DEFAULT_ADDRESS_PLAN,
  AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT,
  AWS_LOG_RETENTION_DAYS,
  AWS_MAX_NETWORK_ACL_RULE_LIMIT,
  AWS_NAT_STRATEGIES,
  AWS_RESERVED_TAG_KEYS,
} from "./defaults";

/** The plain (non-Output) arguments that shape the network, as received. */
export interface AwsNetworkArgsToCheck {
  readonly availabilityZones?: unknown;
  readonly azCount?: unknown;
  readonly addressPlan?: unknown;
  readonly natStrategy?: unknown;
  readonly flowLogRetentionDays?: unknown;
  readonly blockedCidrs?: unknown;
  readonly adminCidrs?: unknown;
  readonly networkAclRuleLimit?: unknown;
  readonly kubernetesClusterName?: unknown;
  readonly nameTagPrefix?: unknown;
  readonly tags?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkZones(args: AwsNetworkArgsToCheck): { problems: Problem[]; count: number } {
  const zones = args.availabilityZones;
  const problems: Problem[] = [];
  if (!Array.isArray(zones) || zones.length === 0) {
    problems.push({
      key: "availabilityZones",
      value: zones,
      message: 'expected a non-empty list of zone names, e.g. ["eu-west-1a", "eu-west-1b"] (from config or an awaited aws.getAvailabilityZones)',
    });
    return { problems, count: 0 };
  }
  const seen = new Map<string, number>();
  zones.forEach((z: unknown, i) => {
    const key = `availabilityZones[${i}]`;
    if (typeof z !== "string" || z.trim() === "" || z.trim() !== z) {
      problems.push({ key, value: z, message: "expected a zone name such as eu-west-1a" });
      return;
    }
    const earlier = seen.get(z);
    if (earlier !== undefined) problems.push({ key, value: z, message: `repeats availabilityZones[${earlier}]: each zone gets its own subnets, list it once` });
    seen.set(z, i);
  });
  let count = zones.length;
  if (args.azCount !== undefined) {
    const n = args.azCount;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      problems.push({ key: "azCount", value: n, message: "expected a whole number of zones, 1 or more" });
    } else if (n > zones.length) {
      problems.push({ key: "azCount", value: n, message: `asks for ${n} zones but availabilityZones lists ${zones.length}: list more zones or lower azCount` });
    } else {
      count = n;
    }
  }
  return { problems, count };
}

function checkPlanShape(value: unknown): Problem[] {
  if (!isRecord(value)) return [{ key: "addressPlan", value, message: `expected { cidr, subnets: { ${TIERS.join(", ")} } }` }];
  const problems: Problem[] = [];
  if (typeof value["cidr"] !== "string") problems.push({ key: "addressPlan.cidr", value: value["cidr"], message: "expected the VPC block as text, e.g. 10.0.0.0/16" });
  const subnets = value["subnets"];
  if (!isRecord(subnets)) {
    problems.push({ key: "addressPlan.subnets", value: subnets, message: `expected an object with a list of blocks for each of ${TIERS.join(", ")}` });
    return problems;
  }
  for (const tier of TIERS) {
    const list = subnets[tier];
    if (!Array.isArray(list)) problems.push({ key: `addressPlan.subnets.${tier}`, value: list, message: 'expected a list of blocks, one per zone, e.g. ["10.0.1.0/24"]' });
  }
  return problems;
}

function checkVpcBlock(cidr: string): Problem[] {
  const bad = checkCidr("addressPlan.cidr", cidr);
  if (bad.length > 0) return [];
  const c = parseCidr(cidr);
  // AWS accepts VPC blocks from /16 to /28, IPv4 only (IPv6 is added to a VPC, not its base).
  if (c.version !== 4 || c.prefix < 16 || c.prefix > 28) {
    return [{ key: "addressPlan.cidr", value: cidr, message: "AWS needs an IPv4 VPC block from /16 to /28: choose e.g. 10.0.0.0/16" }];
  }
  return [];
}

function checkTags(value: unknown): Problem[] {
  if (value === undefined) return [];
  if (!isRecord(value)) return [{ key: "tags", value, message: 'expected an object of text values, e.g. { project: "pfv5" }' }];
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = `tags.${k}`;
    if (typeof v !== "string") problems.push({ key, value: v, message: "expected a text value" });
    else if (v.length > 256) problems.push({ key, value: v, message: "is longer than the 256 characters AWS allows in a tag value" });
    if (AWS_RESERVED_TAG_KEYS.includes(k)) problems.push({ key, value: v, message: `is set by the component itself (${AWS_RESERVED_TAG_KEYS.join(", ")}): use another key` });
    if (k.toLowerCase().startsWith("aws:")) problems.push({ key, value: v, message: "keys starting with aws: are reserved by AWS: use another key" });
    if (k.length === 0 || k.length > 128) problems.push({ key, value: v, message: "tag keys must have 1 to 128 characters" });
  }
  return problems;
}

/** Every problem with the arguments of an `AwsNetwork`, or none. */
export function checkAwsNetworkArgs(args: AwsNetworkArgsToCheck): Problem[] {
  const problems: Problem[] = [];
  const zones = checkZones(args);
  problems.push(...zones.problems);

  const planValue = args.addressPlan ?? AWS_DEFAULT_ADDRESS_PLAN;
  const shape = checkPlanShape(planValue);
  problems.push(...shape);
  const plan = shape.length === 0 ? (planValue as AddressPlan) : undefined;
  if (plan !== undefined) {
    problems.push(...checkVpcBlock(plan.cidr));
    // The plan check also reports more zones than the plan has subnets for.
    if (zones.count > 0) problems.push(...checkAddressPlan("addressPlan", plan, zones.count));
  }

  if (args.natStrategy !== undefined && !(AWS_NAT_STRATEGIES as readonly unknown[]).includes(args.natStrategy)) {
    problems.push({ key: "natStrategy", value: args.natStrategy, message: `expected one of ${AWS_NAT_STRATEGIES.join(", ")}` });
  }
  if (args.flowLogRetentionDays !== undefined && !AWS_LOG_RETENTION_DAYS.includes(args.flowLogRetentionDays as number)) {
    problems.push({
      key: "flowLogRetentionDays",
      value: args.flowLogRetentionDays,
      message: `CloudWatch Logs accepts only ${AWS_LOG_RETENTION_DAYS.join(", ")} days`,
    });
  }

  const limit = args.networkAclRuleLimit ?? AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT;
  const limitOk = typeof limit === "number" && Number.isInteger(limit) && limit >= 2 && limit <= AWS_MAX_NETWORK_ACL_RULE_LIMIT;
  if (!limitOk) {
    problems.push({
      key: "networkAclRuleLimit",
      value: limit,
      message: `expected the account's rules-per-ACL quota, a whole number from 2 to ${AWS_MAX_NETWORK_ACL_RULE_LIMIT} (AWS's default is ${AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT})`,
    });
  }

  let adminCidrs: string[] = [];
  if (args.adminCidrs !== undefined) {
    const bad = checkAdminCidrs("adminCidrs", args.adminCidrs);
    problems.push(...bad);
    if (Array.isArray(args.adminCidrs)) adminCidrs = args.adminCidrs.filter((c): c is string => typeof c === "string");
  }
  if (args.blockedCidrs !== undefined) {
    problems.push(...checkAwsBlockedCidrs("blockedCidrs", args.blockedCidrs, { vpcCidr: plan?.cidr ?? "", adminCidrs, adminCidrsKey: "adminCidrs" }));
  }
  // Every entry of the busiest ACL counts, valid or not: each becomes a rule once fixed.
  if (limitOk) {
    const blocked: unknown[] = Array.isArray(args.blockedCidrs) ? args.blockedCidrs : [];
    problems.push(
      ...checkAwsNetworkAclQuota({
        vpcCidr: plan?.cidr ?? AWS_DEFAULT_ADDRESS_PLAN.cidr,
        blockedCidrs: blocked.map(String),
        adminCidrs: Array.isArray(args.adminCidrs) ? (args.adminCidrs as unknown[]).map(String) : [],
        ruleLimit: limit,
      }),
    );
  }

  if (args.kubernetesClusterName !== undefined) {
    const n = args.kubernetesClusterName;
    if (typeof n !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(n)) {
      problems.push({ key: "kubernetesClusterName", value: n, message: "expected an EKS cluster name: letters, digits, - and _, up to 100 characters" });
    }
  }
  if (args.nameTagPrefix !== undefined && (typeof args.nameTagPrefix !== "string" || args.nameTagPrefix === "")) {
    problems.push({ key: "nameTagPrefix", value: args.nameTagPrefix, message: "expected non-empty text" });
  }
  problems.push(...checkTags(args.tags));
  return problems;
}
