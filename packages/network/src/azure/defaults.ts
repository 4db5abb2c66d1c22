/**
 * Defaults and fixed values of the Azure network, named once and used by both the
 * argument documentation and the code.
 */
import { AZURE_ADDRESS_PLAN, type AddressPlan, type Tier } from "@pfv5/zones";

/** The address plan used when none is given: 10.0.0.0/16 with one /24 per tier. */
export const AZURE_DEFAULT_ADDRESS_PLAN: AddressPlan = AZURE_ADDRESS_PLAN;

/**
 * The tiers whose subnets send internet traffic through the NAT gateway. The DMZ's hosts
 * reach out through their own public IPs or the load balancer; the data tier has no
 * internet egress at all.
 */
export const AZURE_NAT_TIERS: readonly Tier[] = ["app", "mgmt"];

/** The tiers whose subnets get the service endpoints. */
export const AZURE_SERVICE_ENDPOINT_TIERS: readonly Tier[] = ["data"];

/** Azure's default NAT idle timeout; the accepted range is 4 to 120 minutes. */
export const AZURE_DEFAULT_NAT_IDLE_TIMEOUT_MINUTES = 4;
export const AZURE_NAT_IDLE_TIMEOUT_RANGE = { min: 4, max: 120 } as const;

/** The availability zones a zonal NAT gateway and its public IP may be pinned to. */
export const AZURE_AVAILABILITY_ZONES: readonly string[] = ["1", "2", "3"];
