/**
 * The settings of a pfv5 stack, read from its configuration and validated in full before
 * any resource is registered. Stacks call {@link readStackSettings} first thing.
 */
import {
  AWS_ADDRESS_PLAN,
  AZURE_ADDRESS_PLAN,
  TIERS,
  checkAddressPlan,
  checkAdminCidrs,
  checkCidr,
  cidrsOverlap,
  throwIfProblems,
  type AddressPlan,
  type Tier,
} from "@pfv5/zones";
import { ConfigReader, type RawConfig } from "./reader";

export const CLOUDS = ["aws", "azure", "kubernetes"] as const;
export type Cloud = (typeof CLOUDS)[number];
export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const NAT_STRATEGIES = ["perAz", "single"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** @default 30 days in dev, 365 in prod. */
export const DEFAULT_FLOW_LOG_RETENTION: Record<Environment, number> = { dev: 30, prod: 365 };

export interface CommonSettings {
  readonly environment: Environment;
  /** Whether network resources are protected from deletion: prod only. */
  readonly protect: boolean;
  /** Tags (labels) applied to everything that takes them. */
  readonly tags: Readonly<Record<string, string>>;
  /** Administrator CIDRs allowed to reach the bastion on SSH. */
  readonly sshAllowedCidrs: readonly string[];
  /** Source CIDRs denied everywhere (incident response). */
  readonly blockedCidrs: readonly string[];
  readonly access: AccessSettings;
}

/**
 * The bastion and VPN. Users and peers are passed through as given: the access
 * components' own checks (run by the stack before anything is registered) name every
 * problem in them under these keys.
 */
export interface AccessSettings {
  /** Whether the bastion accepts SSH; `false` leaves Session Manager as the only way in. */
  readonly ssh: boolean;
  /** `pfv5:adminUsers`: `[{name, publicKeys: [...], sudo?}]`. */
  readonly users: readonly unknown[];
  /** `pfv5:wireguardPeers`: `[{name, publicKey, address}]`; none means no VPN host. */
  readonly peers: readonly unknown[];
  readonly instanceType?: string;
  readonly amiId?: string;
  /** Retention of the hosts' log group, in days. */
  readonly logRetentionDays: number;
}

export interface AwsSettings extends CommonSettings {
  readonly cloud: "aws";
  readonly region: string;
  /** Explicit AZ names; when absent the stack asks the provider and takes the first `azCount`. */
  readonly availabilityZones?: readonly string[];
  readonly azCount: number;
  readonly natStrategy: NatStrategy;
  readonly addressPlan: AddressPlan;
  readonly flowLogRetentionDays: number;
  /** `pfv5:networkAclRuleLimit`: the account's network ACL rule quota per direction. */
  readonly networkAclRuleLimit: number;
  /**
   * `pfv5:edge`: the internet-facing load balancer's arguments (its certificate, TLS
   * policy, access logs), passed through; absent means no load balancer. The edge
   * component's own check names every problem in them.
   */
  readonly edge?: Readonly<Record<string, unknown>>;
}

export interface AzureSettings extends CommonSettings {
  readonly cloud: "azure";
  readonly location: string;
  readonly addressPlan: AddressPlan;
  /** An existing resource group to deploy into; created when absent. */
  readonly resourceGroupName?: string;
}

export interface KubernetesSettings extends CommonSettings {
  readonly cloud: "kubernetes";
  /**
   * `pfv5:cluster`: the cluster-security arguments (namespaces, service accounts, JWT,
   * installs), passed through; the component's own check names every problem in them.
   */
  readonly cluster: Readonly<Record<string, unknown>>;
  /** `pfv5:tls`: the TLS arguments (domain, hosts, ACME account), passed through likewise. */
  readonly tls?: Readonly<Record<string, unknown>>;
  /** Whether `pfv5:kubeconfig` (a secret) is set; without it the ambient kubeconfig is used. */
  readonly hasKubeconfig: boolean;
  /** `pfv5:kubeContext`: the context to use from the kubeconfig. */
  readonly kubeContext?: string;
}

export type StackSettings = AwsSettings | AzureSettings | KubernetesSettings;

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]+$/;

function readPlan(r: ConfigReader, fallback: AddressPlan): AddressPlan {
  const obj = r.object("pfv5:addressPlan");
  if (obj === undefined) return fallback;
  const cidr = typeof obj["cidr"] === "string" ? obj["cidr"] : fallback.cidr;
  const subnetsRaw = obj["subnets"];
  const subnets: Record<Tier, readonly string[]> = { ...fallback.subnets };
  if (subnetsRaw !== undefined) {
    if (typeof subnetsRaw !== "object" || subnetsRaw === null || Array.isArray(subnetsRaw)) {
      r.problem("pfv5:addressPlan.subnets", subnetsRaw, `expected an object with lists for ${TIERS.join(", ")}`);
    } else {
      for (const [tier, list] of Object.entries(subnetsRaw as Record<string, unknown>)) {
        if (!(TIERS as readonly string[]).includes(tier)) {
          r.problem(`pfv5:addressPlan.subnets.${tier}`, list, `is not a tier: use ${TIERS.join(", ")}`);
        } else if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) {
          r.problem(`pfv5:addressPlan.subnets.${tier}`, list, 'expected a list of CIDR blocks, e.g. ["10.0.1.0/24"]');
        } else {
          subnets[tier as Tier] = list as string[];
        }
      }
    }
  }
  return { cidr, subnets };
}

/** Block sizes each cloud accepts, as prefix lengths: AWS VPCs and subnets /16 to /28. */
export const PREFIX_LIMITS: Readonly<Record<"aws" | "azure", { readonly network: readonly [number, number]; readonly subnet: readonly [number, number] }>> = {
  aws: { network: [16, 28], subnet: [16, 28] },
  // Azure reserves five addresses per subnet, so /29 is the smallest usable one.
  azure: { network: [8, 29], subnet: [8, 29] },
};

function checkPrefixes(r: ConfigReader, plan: AddressPlan, cloud: "aws" | "azure"): void {
  const limits = PREFIX_LIMITS[cloud];
  const name = cloud === "aws" ? "AWS" : "Azure";
  const check = (key: string, cidr: string, [min, max]: readonly [number, number], what: string): void => {
    const m = /\/(\d+)$/.exec(cidr);
    if (m === null || checkCidr(key, cidr).length > 0) return; // reported by the plan check
    const prefix = Number(m[1]);
    if (prefix < min || prefix > max) r.problem(key, cidr, `${name} accepts ${what} from /${min} to /${max}: choose a block in that range`);
  };
  check("pfv5:addressPlan.cidr", plan.cidr, limits.network, cloud === "aws" ? "VPC blocks" : "VNet blocks");
  for (const tier of TIERS) plan.subnets[tier].forEach((c, i) => check(`pfv5:addressPlan.subnets.${tier}[${i}]`, c, limits.subnet, "subnets"));
}

/** SSH on with nobody allowed in is a mistake the firewall would refuse later, less clearly. */
function checkSshSources(r: ConfigReader, common: CommonSettings): void {
  if (common.access.ssh && common.sshAllowedCidrs.length === 0 && !r.problems.some((p) => p.key.startsWith("pfv5:sshAllowedCidrs"))) {
    r.problem("pfv5:sshAllowedCidrs", [], "lists no administrator CIDR while bastion SSH is on: list your offices' or VPN egress blocks, or set pfv5:bastionSsh to false (Session Manager only)");
  }
}

function readCommon(r: ConfigReader, environment: Environment, vpcCidr: string): CommonSettings {
  const sshKey = "pfv5:sshAllowedCidrs";
  const rawSsh = r.list(sshKey);
  r.problems.push(...checkAdminCidrs(sshKey, rawSsh));
  const sshAllowedCidrs = rawSsh.filter((v): v is string => typeof v === "string");
  const blockedKey = "pfv5:blockedCidrs";
  const blocked = r.list(blockedKey);
  const blockedCidrs: string[] = [];
  blocked.forEach((v, i) => {
    const key = `${blockedKey}[${i}]`;
    const bad = checkCidr(key, v);
    if (bad.length > 0) {
      r.problems.push(...bad);
      return;
    }
    const cidr = v as string;
    if (checkCidr("vpc", vpcCidr).length === 0 && cidrsOverlap(cidr, vpcCidr)) {
      r.problem(key, cidr, `overlaps the network's own block ${vpcCidr}: blocking it would cut the network off from itself; block the attacker's public range instead`);
    }
    for (const admin of sshAllowedCidrs) {
      if (checkCidr("admin", admin).length === 0 && cidrsOverlap(cidr, admin)) {
        r.problem(key, cidr, `overlaps the authorized admin CIDR ${admin}: it would lock administrators out; remove it from pfv5:sshAllowedCidrs first if that is intended`);
      }
    }
    blockedCidrs.push(cidr);
  });
  const logKey = "pfv5:hostLogRetentionDays";
  const logRetentionDays = r.integer(logKey, DEFAULT_FLOW_LOG_RETENTION[environment], 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    r.problem(logKey, logRetentionDays, `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(", ")} days`);
  }
  const instanceType = r.string("pfv5:bastionInstanceType");
  const amiId = r.string("pfv5:bastionAmiId");
  if (amiId !== undefined && !/^ami-[0-9a-f]{8,17}$/.test(amiId)) {
    r.problem("pfv5:bastionAmiId", amiId, "is not an AMI id such as ami-0123456789abcdef0; leave it unset to use the latest Amazon Linux 2023");
  }
  const access: AccessSettings = {
    ssh: r.boolean("pfv5:bastionSsh", true),
    users: r.list("pfv5:adminUsers"),
    peers: r.list("pfv5:wireguardPeers"),
    ...(instanceType !== undefined ? { instanceType } : {}),
    ...(amiId !== undefined ? { amiId } : {}),
    logRetentionDays,
  };
  return {
    environment,
    protect: environment === "prod",
    access,
    tags: r.stringMap("pfv5:tags"),
    sshAllowedCidrs,
    blockedCidrs,
  };
}

function readAws(r: ConfigReader, environment: Environment): AwsSettings {
  const region = r.string("aws:region");
  if (region === undefined) r.problem("aws:region", undefined, "is required for AWS stacks: set it, e.g. `pulumi config set aws:region eu-west-1`");
  else if (!AWS_REGION.test(region)) r.problem("aws:region", region, "is not an AWS region name such as eu-west-1");
  const addressPlan = readPlan(r, AWS_ADDRESS_PLAN);
  const maxAz = Math.min(...TIERS.map((t) => addressPlan.subnets[t].length), 6);
  const hasAzs = r.has("pfv5:availabilityZones");
  const azs = hasAzs ? r.stringList("pfv5:availabilityZones") : undefined;
  const defaultAzCount = environment === "prod" ? 3 : 2;
  const azCount = r.integer("pfv5:azCount", azs?.length ?? defaultAzCount, 1, Math.max(maxAz, 1));
  if (azs !== undefined) {
    if (azs.length < azCount) r.problem("pfv5:availabilityZones", azs, `lists ${azs.length} zones but pfv5:azCount is ${azCount}: list ${azCount} or lower the count`);
    if (new Set(azs).size !== azs.length) r.problem("pfv5:availabilityZones", azs, "lists a zone twice: each AZ gets its own subnets");
    azs.forEach((az, i) => {
      if (region !== undefined && !az.startsWith(region)) r.problem(`pfv5:availabilityZones[${i}]`, az, `is not a zone of region ${region} (expected e.g. ${region}a)`);
    });
  }
  const natStrategy = r.oneOf("pfv5:natStrategy", NAT_STRATEGIES, environment === "prod" ? "perAz" : "single") ?? "perAz";
  if (environment === "prod" && natStrategy === "single") {
    r.problem("pfv5:natStrategy", natStrategy, "prod needs a NAT gateway per AZ so that losing one zone does not cut every zone's egress: use perAz");
  }
  if (environment === "prod" && azCount < 3) {
    r.problem("pfv5:azCount", azCount, "prod runs in 3 availability zones: set 3");
  }
  r.problems.push(...checkAddressPlan("pfv5:addressPlan", addressPlan, azCount));
  const retentionKey = "pfv5:flowLogRetentionDays";
  const retention = r.integer(retentionKey, DEFAULT_FLOW_LOG_RETENTION[environment], 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    r.problem(retentionKey, retention, `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(", ")} days`);
  }
  checkPrefixes(r, addressPlan, "aws");
  const common = readCommon(r, environment, addressPlan.cidr);
  checkSshSources(r, common);
  const edge = r.object("pfv5:edge");
  const networkAclRuleLimit = r.integer("pfv5:networkAclRuleLimit", 20, 1, 40);
  return {
    networkAclRuleLimit,
    cloud: "aws",
    ...(edge !== undefined ? { edge } : {}),
    ...common,
    region: region ?? "",
    ...(azs !== undefined ? { availabilityZones: azs.slice(0, azCount) } : {}),
    azCount,
    natStrategy,
    addressPlan,
    flowLogRetentionDays: retention,
  };
}

function readAzure(r: ConfigReader, environment: Environment): AzureSettings {
  const location = r.string("azure-native:location");
  if (location === undefined) r.problem("azure-native:location", undefined, "is required for Azure stacks: set it, e.g. `pulumi config set azure-native:location westeurope`");
  else if (!AZURE_LOCATION.test(location)) r.problem("azure-native:location", location, "is not an Azure location name such as westeurope (lower case, no spaces)");
  const addressPlan = readPlan(r, AZURE_ADDRESS_PLAN);
  r.problems.push(...checkAddressPlan("pfv5:addressPlan", addressPlan, 1));
  const resourceGroupName = r.string("pfv5:resourceGroupName");
  checkPrefixes(r, addressPlan, "azure");
  const common = readCommon(r, environment, addressPlan.cidr);
  checkSshSources(r, common);
  return {
    cloud: "azure",
    ...common,
    location: location ?? "",
    addressPlan,
    ...(resourceGroupName !== undefined ? { resourceGroupName } : {}),
  };
}

function readKubernetes(r: ConfigReader, environment: Environment): KubernetesSettings {
  const hasKubeconfig = r.has("pfv5:kubeconfig");
  r.string("pfv5:kubeconfig");
  const kubeContext = r.string("pfv5:kubeContext");
  const tls = r.object("pfv5:tls");
  return {
    cloud: "kubernetes",
    ...readCommon(r, environment, AWS_ADDRESS_PLAN.cidr),
    cluster: r.object("pfv5:cluster") ?? {},
    ...(tls !== undefined ? { tls } : {}),
    hasKubeconfig,
    ...(kubeContext !== undefined ? { kubeContext } : {}),
  };
}

/**
 * Reads and validates the settings of stack `stack`. Throws one `ValidationError` listing
 * every problem (key, value, fix) when anything is wrong; returns plain values otherwise.
 * `extraKeys` are further `pfv5:` keys a stack reads itself (so they are not reported
 * as unknown).
 */
export function readStackSettings(stack: string, raw: RawConfig, extraKeys: readonly string[] = []): StackSettings {
  const r = new ConfigReader(raw);
  const cloud = r.oneOf("pfv5:cloud", CLOUDS);
  const environment = r.oneOf("pfv5:environment", ENVIRONMENTS) ?? "dev";
  let settings: StackSettings | undefined;
  if (cloud === "aws") settings = readAws(r, environment);
  else if (cloud === "azure") settings = readAzure(r, environment);
  else if (cloud === "kubernetes") settings = readKubernetes(r, environment);
  if (settings !== undefined) r.unknownKeys("pfv5", extraKeys);
  throwIfProblems(`stack "${stack}" configuration`, r.problems);
  if (settings === undefined) throw new Error("unreachable: a missing cloud is reported as a problem");
  return settings;
}
