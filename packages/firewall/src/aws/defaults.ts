/**
 * Fixed values and defaults of the AWS zone firewall.
 */
import type { Role } from "@pfv5/zones";

/** The roles that get a security group of their own. */
export type AwsGroupRole = Extract<Role, "edge" | "app" | "data" | "bastion" | "mgmt" | "vpn-server">;
export const AWS_GROUP_ROLES: readonly AwsGroupRole[] = ["edge", "bastion", "vpn-server", "app", "mgmt", "data"];

/** The roles that are address ranges rather than groups: rules name them by CIDR. */
export type AwsCidrRole = Extract<Role, "internet" | "admins" | "vpn-clients">;
export const AWS_CIDR_ROLES: readonly AwsCidrRole[] = ["internet", "admins", "vpn-clients"];

/** The DMZ roles: the only groups that may take traffic from the internet. */
export const AWS_DMZ_ROLES: readonly AwsGroupRole[] = ["edge", "bastion", "vpn-server"];

/**
 * The internet as a rule peer. IPv4 only: the VPC carries no IPv6, so a `::/0` rule would
 * open nothing and only blur what the groups allow.
 */
export const AWS_INTERNET_CIDR = "0.0.0.0/0";

/** SSH from the authorized CIDRs to the bastion is on unless turned off. */
export const AWS_DEFAULT_BASTION_SSH = true;

/** Tag keys the firewall sets itself; `tags` may not use them. */
export const AWS_FIREWALL_RESERVED_TAG_KEYS: readonly string[] = ["Name", "pfv5:role", "pfv5:zone", "pfv5:flow"];

/** What AWS accepts in security group and rule descriptions. */
export const AWS_DESCRIPTION_PATTERN = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
