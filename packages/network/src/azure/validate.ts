/**
 * Validation of the Azure network's args, the firewall's included, so that one error lists
 * every problem before anything is registered.
 */
import {
  AZURE_FIREWALL_DEFAULTS,
  checkAzureFirewallPolicy,
  checkAzureTags,
  checkAzureZoneFirewall,
  type AzureFlow,
  type AzureZoneFirewallArgs,
} from "@pfv5/firewall";
import { TIERS, checkAddressPlan, type AddressPlan, type PortRange, type Problem, type Tier } from "@pfv5/zones";
import {
  AZURE_AVAILABILITY_ZONES,
  AZURE_DEFAULT_ADDRESS_PLAN,
  AZURE_NAT_IDLE_TIMEOUT_RANGE,
} from "./defaults";

/** The args as validation reads them (the component's args, every one optional here). */
export interface AzureNetworkArgsToCheck {
  readonly location?: unknown;
  readonly resourceGroupName?: unknown;
  readonly addressPlan?: AddressPlan;
  readonly adminCidrs?: readonly string[];
  readonly vpnCidr?: string;
  readonly blockedCidrs?: readonly string[];
  readonly extraFlows?: readonly AzureFlow[];
  readonly loadBalancerProbes?: Readonly<Partial<Record<Tier, readonly PortRange[]>>>;
  readonly dataServiceEndpoints?: readonly string[];
  readonly natZone?: unknown;
  readonly natIdleTimeoutMinutes?: unknown;
  readonly tags?: Readonly<Record<string, string>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems with the address plan: the zone checks plus Azure's one block per tier. */
function checkAzurePlan(plan: AddressPlan): Problem[] {
  // Config can hand over anything; look at the shape before trusting the type.
  const raw: unknown = plan;
  const subnets: unknown = isRecord(raw) ? raw["subnets"] : undefined;
  if (!isRecord(subnets)) {
    return [{ key: "addressPlan", value: raw, message: "expected { cidr, subnets: { dmz: [..], app: [..], data: [..], mgmt: [..] } }" }];
  }
  const problems: Problem[] = [];
  let shapeOk = true;
  for (const tier of TIERS) {
    const blocks = subnets[tier];
    if (!Array.isArray(blocks)) {
      shapeOk = false;
      problems.push({ key: `addressPlan.subnets.${tier}`, value: blocks, message: 'expected a list with one CIDR block, e.g. ["10.0.10.0/24"]' });
    } else if (blocks.length > 1) {
      problems.push({
        key: `addressPlan.subnets.${tier}`,
        value: blocks,
        message: "Azure subnets span availability zones, so each tier takes exactly one block: keep the first and remove the rest",
      });
    }
  }
  // The shape is right; the zone checks do the rest (CIDRs, inside the VNet, overlaps).
  return shapeOk ? [...problems, ...checkAddressPlan("addressPlan", plan, 1)] : problems;
}

/** The firewall's key for an address, as the network's user writes it. */
function networkKey(key: string): string {
  if (key === "vnetCidr") return "addressPlan.cidr";
  const tier = /^tierCidrs\.(\w+)$/.exec(key)?.[1];
  return tier === undefined ? key : `addressPlan.subnets.${tier}[0]`;
}

/** The firewall args these network args imply, every default resolved. */
export function firewallArgsOf(
  args: AzureNetworkArgsToCheck & { readonly resourceGroupName: AzureZoneFirewallArgs["resourceGroupName"]; readonly location: AzureZoneFirewallArgs["location"] },
  tierCidrs: Readonly<Record<Tier, string>>,
  vnetCidr: string,
): AzureZoneFirewallArgs {
  return {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    tierCidrs,
    vnetCidr,
    adminCidrs: args.adminCidrs ?? AZURE_FIREWALL_DEFAULTS.adminCidrs,
    vpnCidr: args.vpnCidr ?? AZURE_FIREWALL_DEFAULTS.vpnCidr,
    blockedCidrs: args.blockedCidrs ?? AZURE_FIREWALL_DEFAULTS.blockedCidrs,
    extraFlows: args.extraFlows ?? AZURE_FIREWALL_DEFAULTS.extraFlows,
    loadBalancerProbes: args.loadBalancerProbes ?? AZURE_FIREWALL_DEFAULTS.loadBalancerProbes,
    dataServiceEndpoints: args.dataServiceEndpoints ?? AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints,
    ...(args.tags === undefined ? {} : { tags: args.tags }),
  };
}

/** Every problem with the args of `AzureNetwork`, or none. */
export function checkAzureNetworkArgs(args: AzureNetworkArgsToCheck): Problem[] {
  const problems: Problem[] = [];
  if (typeof args.location !== "string" || args.location.trim() === "") {
    problems.push({ key: "location", value: args.location, message: "expected an Azure region such as westeurope" });
  }
  const rg = args.resourceGroupName;
  if (rg !== undefined && (typeof rg !== "string" || !/^[-\w.()]{1,90}$/.test(rg) || rg.endsWith("."))) {
    problems.push({
      key: "resourceGroupName",
      value: rg,
      message: "an Azure resource group name has 1-90 letters, digits, and - _ . ( ), and does not end with a dot; omit it to create one",
    });
  }
  const zone = args.natZone;
  if (zone !== undefined && (typeof zone !== "string" || !AZURE_AVAILABILITY_ZONES.includes(zone))) {
    problems.push({
      key: "natZone",
      value: zone,
      message: `a NAT gateway lives in one zone: expected one of ${AZURE_AVAILABILITY_ZONES.map((z) => `"${z}"`).join(", ")}, or omit it to let Azure choose`,
    });
  }
  const idle = args.natIdleTimeoutMinutes;
  const { min, max } = AZURE_NAT_IDLE_TIMEOUT_RANGE;
  if (idle !== undefined && (typeof idle !== "number" || !Number.isInteger(idle) || idle < min || idle > max)) {
    problems.push({ key: "natIdleTimeoutMinutes", value: idle, message: `expected whole minutes from ${min} to ${max}` });
  }

  problems.push(...checkAzureTags("tags", args.tags));

  const plan = args.addressPlan ?? AZURE_DEFAULT_ADDRESS_PLAN;
  const planProblems = checkAzurePlan(plan);
  problems.push(...planProblems);
  // Tags are checked above; placeholders stand in for values only known at deploy time.
  const checkArgs = { ...args, tags: undefined, resourceGroupName: "check", location: "check" };
  if (planProblems.length === 0) {
    // With a sound plan the firewall's own check runs whole (tiers, policy, planned rules).
    const tierCidrs: Record<Tier, string> = {
      dmz: plan.subnets.dmz[0] ?? "",
      app: plan.subnets.app[0] ?? "",
      mgmt: plan.subnets.mgmt[0] ?? "",
      data: plan.subnets.data[0] ?? "",
    };
    const fw = checkAzureZoneFirewall(firewallArgsOf(checkArgs, tierCidrs, plan.cidr));
    problems.push(...fw.problems.map((p) => ({ ...p, key: networkKey(p.key) })));
  } else {
    const vnetOk = !planProblems.some((p) => p.key === "addressPlan.cidr" || p.key === "addressPlan");
    const fw = firewallArgsOf(checkArgs, { dmz: "", app: "", mgmt: "", data: "" }, "");
    problems.push(
      ...checkAzureFirewallPolicy(
        {
          adminCidrs: fw.adminCidrs,
          vpnCidr: fw.vpnCidr,
          blockedCidrs: fw.blockedCidrs,
          extraFlows: fw.extraFlows,
          loadBalancerProbes: fw.loadBalancerProbes,
          dataServiceEndpoints: fw.dataServiceEndpoints,
        },
        vnetOk ? plan.cidr : undefined,
      ),
    );
  }
  return problems;
}
