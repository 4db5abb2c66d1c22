/**
 * Defaults and fixed values of the AWS network, named once and used by both the argument
 * documentation and the code.
 */
import { AWS_ADDRESS_PLAN, type AddressPlan, type Tier } from "@pfv5/zones";

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
 * The blocklist shares it with the allow entries the zone model needs; the DMZ's ACL is
 * the busiest, with one SSH entry per authorized admin CIDR.
 */
export const AWS_DEFAULT_NETWORK_ACL_RULE_LIMIT = 20;

/** The highest rules-per-ACL quota AWS grants on request. */
export const AWS_MAX_NETWORK_ACL_RULE_LIMIT = 40;

/** Rule number of the first blocklist deny entry; later entries take the next numbers. */
export const AWS_BLOCKLIST_FIRST_RULE_NUMBER = 10;

/**
 * Where each kind of allow entry starts in a tier's network ACL; within a band the entries
 * are `AWS_NETWORK_ACL_RULE_STEP` apart. Separate bands keep one list from renumbering
 * another: a new admin CIDR, or a port added to the zone model, moves only the entries of
 * its own band. The bands that grow with the configuration and the zone model (internet,
 * admins) have room for more than the 40 entries of the highest quota; the fixed ones
 * less: one VPC entry, room for five administration-port denies (two today), two reply
 * entries. The blocklist (10 to 49 at most) always comes first.
 *
 * Number 100 is left free on purpose: it carried the allow-all entries of the first
 * layout. Pulumi deletes a removed resource only at the end of an update, so a new entry
 * on 100 would be created while the old one still holds the number, and EC2 refuses two
 * entries with one number in one direction.
 */
export const AWS_NETWORK_ACL_RULE_NUMBERS = {
  /** Everything to and from the VPC block, both directions. */
  vpc: 200,
  /**
   * Inbound denies from anywhere of the administration ports the reply range covers (RDP,
   * 3389, on tcp and udp), numbered below the reply entries so that they match first: AWS
   * Security Hub control EC2.21 asks that no ACL admit 22 or 3389 from 0.0.0.0/0, and
   * the policy pack's no-internet-admin-ports counts the reply range as opening 3389. The
   * cost: a connection to which the NAT gateway happens to give source port 3389 (about
   * one in 64,500; Linux and Windows hosts pick theirs above 32768) gets no reply and
   * fails, and the client's retry gets another port.
   */
  adminPortDeny: 250,
  /** Inbound replies to the tier's connections out to the internet (ephemeral ports). */
  returnTraffic: 300,
  /** Inbound: the zone model's flows from the internet. Outbound: traffic to the internet. */
  internet: 400,
  /** Inbound: the zone model's flows from the authorized admin CIDRs, per CIDR. */
  admins: 1000,
} as const;

/** The gap between consecutive entries of one band. */
export const AWS_NETWORK_ACL_RULE_STEP = 10;

/**
 * The ports a stateless ACL must accept replies on: clients and NAT gateways pick their
 * source ports in this range (a NAT gateway uses 1024-65535; Linux 32768-60999, Windows
 * 49152-65535), so it is the smallest range that fits them all.
 */
export const AWS_EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/** Where each tier's traffic to the internet goes. */
export type AwsEgressPath = "internet-gateway" | "nat-gateway" | "none";

/**
 * The DMZ reaches the internet directly, app and mgmt through the NAT gateways (which
 * sit in the DMZ), and the data tier not at all.
 */
export const AWS_TIER_EGRESS: Readonly<Record<Tier, AwsEgressPath>> = { dmz: "internet-gateway", app: "nat-gateway", mgmt: "nat-gateway", data: "none" };

/** The tier whose subnets hold the NAT gateways (public subnets: they need the internet gateway). */
export const AWS_NAT_GATEWAY_TIER: Tier = "dmz";

/** Tag keys the component sets itself; `tags` may not use them. */
export const AWS_RESERVED_TAG_KEYS: readonly string[] = [
  "Name",
  "pfv5:tier",
  "pfv5:egress",
  "kubernetes.io/role/elb",
  "kubernetes.io/role/internal-elb",
];
