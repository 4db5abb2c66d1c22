/**
 * The default address plans (the architecture's CIDRs) per cloud, and the VPN range.
 */
import type { ZoneName } from "./model";

/** The zones that get subnets inside the VPC or VNet. */
export type Tier = Extract<ZoneName, "dmz" | "app" | "data" | "mgmt">;
export const TIERS: readonly Tier[] = ["dmz", "app", "mgmt", "data"];

export interface AddressPlan {
  /** The VPC or VNet block. */
  readonly cidr: string;
  /** Per tier, one subnet block per availability zone in order (Azure: one each). */
  readonly subnets: Readonly<Record<Tier, readonly string[]>>;
}

/** AWS: a /24 per tier per AZ, room for three AZs. */
export const AWS_ADDRESS_PLAN: AddressPlan = {
  cidr: "10.0.0.0/16",
  subnets: {
    dmz: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    app: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"],
    data: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"],
    mgmt: ["10.0.30.0/24", "10.0.31.0/24", "10.0.32.0/24"],
  },
};

/** Azure: subnets span zones, so one /24 per tier. */
export const AZURE_ADDRESS_PLAN: AddressPlan = {
  cidr: "10.0.0.0/16",
  subnets: {
    dmz: ["10.0.1.0/24"],
    app: ["10.0.10.0/24"],
    data: ["10.0.20.0/24"],
    mgmt: ["10.0.30.0/24"],
  },
};

/** Addresses handed to WireGuard peers; the server takes the first host address. */
export const VPN_CIDR = "10.100.0.0/24";
export const VPN_SERVER_ADDRESS = "10.100.0.1";

/** The Amazon-provided DNS resolver of a 10.0.0.0/16 VPC (base address plus two). */
export const VPC_DNS_RESOLVER = "10.0.0.2";
