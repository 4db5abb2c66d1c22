/**
 * `AzureZoneFirewall`: one network security group per tier, its rules generated from the
 * zone flows.
 *
 * Rules are inline on the NSG (`securityRules`), never separate `SecurityRule` resources:
 * the provider treats the inline list as the whole truth, so mixing the two makes each
 * update delete what the other created
 * (https://github.com/pulumi/pulumi-azure-native/issues/3359). Inline also means one
 * NSG update per change rather than a rule-by-rule dance that can leave a half-open NSG.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { FLOWS, throwIfProblems } from "@pfv5/zones";
import type { PortRange, Problem, Tier } from "@pfv5/zones";
import { AZURE_FIREWALL_DEFAULTS } from "./model";
import type { AzureFlow, NsgPlan, NsgPlanInput, NsgRule } from "./model";
import { planNsgRules } from "./plan";
import { checkAzureFirewallPolicy, checkAzureTags, checkNsgPlan, checkTierCidrs } from "./validate";

export interface AzureZoneFirewallArgs {
  /** The resource group the NSGs go into. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The Azure region, e.g. `westeurope`. */
  readonly location: pulumi.Input<string>;
  /** The subnet block of each tier; rules name these blocks as sources and destinations. */
  readonly tierCidrs: Readonly<Record<Tier, string>>;
  /** The VNet block: the data tier's outbound traffic stays inside it. */
  readonly vnetCidr: string;
  /**
   * The administrator CIDRs allowed to reach the bastion on tcp 22. Never the whole
   * internet; each block must be IPv4 and outside the VNet.
   * @default AZURE_FIREWALL_DEFAULTS.adminCidrs (none: the bastion accepts no SSH)
   */
  readonly adminCidrs?: readonly string[];
  /**
   * The block WireGuard hands to VPN clients; their traffic reaches the tiers from it.
   * @default AZURE_FIREWALL_DEFAULTS.vpnCidr (10.100.0.0/24)
   */
  readonly vpnCidr?: string;
  /**
   * Sources to drop in every NSG, inbound and outbound, ahead of every allow (incident
   * response). A block may not overlap the VNet, the VPN client range or an administrator block.
   * @default AZURE_FIREWALL_DEFAULTS.blockedCidrs (none)
   */
  readonly blockedCidrs?: readonly string[];
  /**
   * Flows beyond the zone model's `FLOWS`, checked by the same rules (no internet ingress
   * except to the DMZ, no SSH from the internet, no egress from the data tier).
   * @default AZURE_FIREWALL_DEFAULTS.extraFlows (none)
   */
  readonly extraFlows?: readonly AzureFlow[];
  /**
   * Ports on which Azure Load Balancer health probes may reach each tier.
   * @default AZURE_FIREWALL_DEFAULTS.loadBalancerProbes (the DMZ on tcp 80 and 443)
   */
  readonly loadBalancerProbes?: Readonly<Partial<Record<Tier, readonly PortRange[]>>>;
  /**
   * The data subnet's service endpoints; the data NSG opens egress to each one's service
   * tag. Pass the same list the subnet gets.
   * @default AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints (Microsoft.Sql, Microsoft.Storage)
   */
  readonly dataServiceEndpoints?: readonly string[];
  /**
   * Tags for every NSG; each also gets `pfv5:tier` (a reserved key).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The planner input for these args, every default resolved. */
export function resolveAzureFirewallInput(args: AzureZoneFirewallArgs): NsgPlanInput {
  return {
    tierCidrs: args.tierCidrs,
    vnetCidr: args.vnetCidr,
    adminCidrs: args.adminCidrs ?? AZURE_FIREWALL_DEFAULTS.adminCidrs,
    vpnCidr: args.vpnCidr ?? AZURE_FIREWALL_DEFAULTS.vpnCidr,
    blockedCidrs: args.blockedCidrs ?? AZURE_FIREWALL_DEFAULTS.blockedCidrs,
    flows: [...FLOWS, ...(args.extraFlows ?? AZURE_FIREWALL_DEFAULTS.extraFlows)],
    loadBalancerProbes: args.loadBalancerProbes ?? AZURE_FIREWALL_DEFAULTS.loadBalancerProbes,
    dataServiceEndpoints: args.dataServiceEndpoints ?? AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints,
  };
}

/**
 * Every problem with the args, or none. When there are none, `plan` holds the rules.
 * The network component calls this too, to fail before registering anything.
 */
export function checkAzureZoneFirewall(args: AzureZoneFirewallArgs): { problems: Problem[]; plan?: NsgPlan } {
  const addressProblems = checkTierCidrs(args.tierCidrs, args.vnetCidr);
  const input = resolveAzureFirewallInput(args);
  const problems = [
    ...addressProblems,
    ...checkAzureTags("tags", args.tags),
    ...checkAzureFirewallPolicy(
      {
        adminCidrs: input.adminCidrs,
        vpnCidr: input.vpnCidr,
        blockedCidrs: input.blockedCidrs,
        extraFlows: args.extraFlows ?? AZURE_FIREWALL_DEFAULTS.extraFlows,
        loadBalancerProbes: input.loadBalancerProbes,
        dataServiceEndpoints: input.dataServiceEndpoints,
      },
      addressProblems.some((p) => p.key === "vnetCidr") ? undefined : args.vnetCidr,
    ),
  ];
  if (problems.length > 0) return { problems };
  const plan = planNsgRules(input);
  const planProblems = checkNsgPlan(plan);
  return planProblems.length > 0 ? { problems: planProblems } : { problems: [], plan };
}

/** One planned rule as the provider's inline rule; lists of one become the single fields. */
export function toSecurityRuleArgs(rule: NsgRule): azureInputs.network.SecurityRuleArgs {
  const [source, ...moreSources] = rule.sources;
  const [destination, ...moreDestinations] = rule.destinations;
  const [port, ...morePorts] = rule.ports;
  return {
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    description: rule.description,
    sourcePortRange: "*",
    ...(moreSources.length === 0 ? { sourceAddressPrefix: source } : { sourceAddressPrefixes: [...rule.sources] }),
    ...(moreDestinations.length === 0
      ? { destinationAddressPrefix: destination }
      : { destinationAddressPrefixes: [...rule.destinations] }),
    ...(morePorts.length === 0 ? { destinationPortRange: port } : { destinationPortRanges: [...rule.ports] }),
  };
}

export class AzureZoneFirewall extends pulumi.ComponentResource {
  /** The NSG id of each tier; give it to that tier's subnet. */
  public readonly nsgIds: Record<Tier, pulumi.Output<string>>;
  /** The NSG name of each tier. */
  public readonly nsgNames: Record<Tier, pulumi.Output<string>>;
  /** The planned rules of each tier's NSG, in priority order (plain values). */
  public readonly rules: NsgPlan;

  constructor(name: string, args: AzureZoneFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate and plan before `super`: a rejected spec registers nothing, not even the component.
    const { problems, plan } = checkAzureZoneFirewall(args);
    throwIfProblems(`AzureZoneFirewall "${name}"`, problems);
    if (plan === undefined) throw new Error(`AzureZoneFirewall "${name}": no rule plan despite valid args`);
    super("pfv5:firewall:AzureZoneFirewall", name, {}, opts);

    const nsg = (tier: Tier): network.NetworkSecurityGroup =>
      new network.NetworkSecurityGroup(
        `${name}-${tier}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          securityRules: plan[tier].map(toSecurityRuleArgs),
          tags: { ...args.tags, "pfv5:tier": tier },
        },
        { parent: this },
      );
    // In TIERS order, so the registration order is stable.
    const nsgs: Record<Tier, network.NetworkSecurityGroup> = { dmz: nsg("dmz"), app: nsg("app"), mgmt: nsg("mgmt"), data: nsg("data") };
    this.nsgIds = { dmz: nsgs.dmz.id, app: nsgs.app.id, mgmt: nsgs.mgmt.id, data: nsgs.data.id };
    this.nsgNames = { dmz: nsgs.dmz.name, app: nsgs.app.name, mgmt: nsgs.mgmt.name, data: nsgs.data.name };
    this.rules = plan;
    this.registerOutputs({ nsgIds: this.nsgIds, nsgNames: this.nsgNames, rules: this.rules });
  }
}
