/**
 * `AzureNetwork`: a VNet laid out by security zone, one subnet per tier, each carrying
 * its own tier's NSG, and a NAT gateway for the tiers that may reach the internet.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import { AZURE_FIREWALL_DEFAULTS, AzureZoneFirewall, type AzureFlow, type NsgPlan } from "@pfv5/firewall";
import { throwIfProblems, type AddressPlan, type PortRange, type Tier } from "@pfv5/zones";
import { AZURE_DEFAULT_ADDRESS_PLAN, AZURE_DEFAULT_NAT_IDLE_TIMEOUT_MINUTES } from "./defaults";
import { planAzureNetwork } from "./plan";
import { checkAzureNetworkArgs, firewallArgsOf } from "./validate";

export interface AzureNetworkArgs {
  /** The Azure region of every resource, e.g. `westeurope`. */
  readonly location: string;
  /**
   * An existing resource group to deploy into. When omitted the component creates one
   * (named after the component, tagged like everything else).
   * @default none: a new resource group
   */
  readonly resourceGroupName?: string;
  /**
   * The VNet block and one subnet block per tier. Subnets must lie inside the VNet and not
   * overlap; Azure subnets span zones, so each tier takes exactly one block.
   * @default AZURE_DEFAULT_ADDRESS_PLAN (10.0.0.0/16; dmz 10.0.1.0/24, app 10.0.10.0/24, data 10.0.20.0/24, mgmt 10.0.30.0/24)
   */
  readonly addressPlan?: AddressPlan;
  /**
   * The administrator CIDRs that may reach the bastion on tcp 22 (IPv4, never the whole
   * internet, outside the VNet).
   * @default AZURE_FIREWALL_DEFAULTS.adminCidrs (none: no SSH from outside)
   */
  readonly adminCidrs?: readonly string[];
  /**
   * The WireGuard client block; its traffic reaches the tiers' SSH.
   * @default AZURE_FIREWALL_DEFAULTS.vpnCidr (10.100.0.0/24)
   */
  readonly vpnCidr?: string;
  /**
   * Sources denied in every NSG, inbound and outbound, ahead of every allow (incident
   * response). A block may not overlap the VNet, the VPN range or an administrator CIDR.
   * @default AZURE_FIREWALL_DEFAULTS.blockedCidrs (none)
   */
  readonly blockedCidrs?: readonly string[];
  /**
   * Flows beyond the zone model's, checked by its rules.
   * @default AZURE_FIREWALL_DEFAULTS.extraFlows (none)
   */
  readonly extraFlows?: readonly AzureFlow[];
  /**
   * Ports on which Azure Load Balancer health probes may reach each tier.
   * @default AZURE_FIREWALL_DEFAULTS.loadBalancerProbes (the DMZ on tcp 80 and 443)
   */
  readonly loadBalancerProbes?: Readonly<Partial<Record<Tier, readonly PortRange[]>>>;
  /**
   * Service endpoints of the data subnet; the data NSG opens egress to each one's service
   * tag and nothing else outside the VNet.
   * @default AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints (Microsoft.Sql, Microsoft.Storage)
   */
  readonly dataServiceEndpoints?: readonly string[];
  /**
   * The availability zone ("1", "2" or "3") of the NAT gateway and its public IP. A NAT
   * gateway is zonal: pinning it lets zonal workloads fail with their zone; omitting it
   * lets Azure choose. Either way one NAT serves the whole region's subnets.
   * @default none: Azure chooses
   */
  readonly natZone?: string;
  /**
   * Minutes an idle outbound flow keeps its NAT port.
   * @default AZURE_DEFAULT_NAT_IDLE_TIMEOUT_MINUTES (4)
   */
  readonly natIdleTimeoutMinutes?: number;
  /**
   * Tags for every resource; NSGs also get `pfv5:tier` (reserved).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class AzureNetwork extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly vnetId: pulumi.Output<string>;
  public readonly vnetName: pulumi.Output<string>;
  public readonly vnetCidr: string;
  /** The subnet id of each tier. */
  public readonly subnetIds: Record<Tier, pulumi.Output<string>>;
  /** The subnet block of each tier. */
  public readonly subnetCidrs: Readonly<Record<Tier, string>>;
  /** The NSG id of each tier (the one its subnet carries). */
  public readonly nsgIds: Record<Tier, pulumi.Output<string>>;
  public readonly nsgNames: Record<Tier, pulumi.Output<string>>;
  /** The planned NSG rules of each tier, in priority order (plain values). */
  public readonly nsgRules: NsgPlan;
  public readonly natGatewayId: pulumi.Output<string>;
  public readonly natPublicIpId: pulumi.Output<string>;
  /** The address app and mgmt egress leaves from: give it to partners that allow-list. */
  public readonly natPublicIpAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before `super`: a rejected config registers nothing, not even the component.
    throwIfProblems(`AzureNetwork "${name}"`, checkAzureNetworkArgs(args));
    const layout = planAzureNetwork({
      addressPlan: args.addressPlan ?? AZURE_DEFAULT_ADDRESS_PLAN,
      dataServiceEndpoints: args.dataServiceEndpoints ?? AZURE_FIREWALL_DEFAULTS.dataServiceEndpoints,
    });
    super("pfv5:network:AzureNetwork", name, {}, opts);

    const { location } = args;
    const tags = { ...args.tags };
    const resourceGroupName =
      args.resourceGroupName !== undefined
        ? pulumi.output(args.resourceGroupName)
        : new resources.ResourceGroup(`${name}-rg`, { location, tags }, { parent: this }).name;

    // The NSGs come first: azure-native sets the NSG on the subnet itself (there is no
    // association resource), so each subnet needs its NSG's id when it is created.
    const firewall = new AzureZoneFirewall(
      `${name}-nsg`,
      firewallArgsOf({ ...args, resourceGroupName, location }, layout.tierCidrs, layout.vnetCidr),
      { parent: this },
    );

    // Never pass `subnets` here: inline subnets and Subnet resources fight, each update
    // deleting what the other created. The subnets below are separate resources.
    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      { resourceGroupName, location, addressSpace: { addressPrefixes: [layout.vnetCidr] }, tags },
      { parent: this },
    );

    const zones = args.natZone === undefined ? {} : { zones: [args.natZone] };
    // A NAT gateway needs a Standard static public IP; a zonal NAT accepts one from its own zone.
    const natIp = new network.PublicIPAddress(
      `${name}-nat-ip`,
      {
        resourceGroupName,
        location,
        sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
        publicIPAllocationMethod: network.IPAllocationMethod.Static,
        publicIPAddressVersion: network.IPVersion.IPv4,
        ...zones,
        tags,
      },
      { parent: this },
    );
    const nat = new network.NatGateway(
      `${name}-nat`,
      {
        resourceGroupName,
        location,
        sku: { name: network.NatGatewaySkuName.Standard },
        publicIpAddresses: [{ id: natIp.id }],
        idleTimeoutInMinutes: args.natIdleTimeoutMinutes ?? AZURE_DEFAULT_NAT_IDLE_TIMEOUT_MINUTES,
        ...zones,
        tags,
      },
      { parent: this },
    );

    // Azure handles one subnet operation per VNet at a time and answers concurrent ones
    // with AnotherOperationInProgress, so each subnet waits for the previous one
    // (https://github.com/pulumi/pulumi-azure-native/issues/903).
    const subnets: Partial<Record<Tier, network.Subnet>> = {};
    let previous: network.Subnet | undefined;
    for (const spec of layout.subnets) {
      const subnet: network.Subnet = new network.Subnet(
        `${name}-${spec.tier}`,
        {
          resourceGroupName,
          virtualNetworkName: vnet.name,
          addressPrefix: spec.cidr,
          networkSecurityGroup: { id: firewall.nsgIds[spec.tier] },
          ...(spec.natGateway ? { natGateway: { id: nat.id } } : {}),
          ...(spec.serviceEndpoints.length > 0 ? { serviceEndpoints: spec.serviceEndpoints.map((service) => ({ service })) } : {}),
          // Azure is retiring default outbound access (implicit, unowned public IPs). Every
          // egress here is explicit: the NAT for app and mgmt, the hosts' own public IPs or
          // the load balancer in the DMZ, none at all for data. Settable only at creation.
          defaultOutboundAccess: false,
          // Let NSG rules apply to private endpoints placed in the subnet too (Azure's
          // default exempts them).
          privateEndpointNetworkPolicies: network.VirtualNetworkPrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled,
        },
        { parent: this, ...(previous === undefined ? {} : { dependsOn: [previous] }) },
      );
      subnets[spec.tier] = subnet;
      previous = subnet;
    }
    const subnetId = (tier: Tier): pulumi.Output<string> => {
      const subnet = subnets[tier];
      if (subnet === undefined) throw new pulumi.ResourceError(`no ${tier} subnet was planned`, this);
      return subnet.id;
    };

    this.resourceGroupName = resourceGroupName;
    this.vnetId = vnet.id;
    this.vnetName = vnet.name;
    this.vnetCidr = layout.vnetCidr;
    this.subnetIds = { dmz: subnetId("dmz"), app: subnetId("app"), mgmt: subnetId("mgmt"), data: subnetId("data") };
    this.subnetCidrs = layout.tierCidrs;
    this.nsgIds = firewall.nsgIds;
    this.nsgNames = firewall.nsgNames;
    this.nsgRules = firewall.rules;
    this.natGatewayId = nat.id;
    this.natPublicIpId = natIp.id;
    this.natPublicIpAddress = natIp.ipAddress;
    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      vnetId: this.vnetId,
      vnetName: this.vnetName,
      vnetCidr: this.vnetCidr,
      subnetIds: this.subnetIds,
      subnetCidrs: this.subnetCidrs,
      nsgIds: this.nsgIds,
      nsgNames: this.nsgNames,
      nsgRules: this.nsgRules,
      natGatewayId: this.natGatewayId,
      natPublicIpId: this.natPublicIpId,
      natPublicIpAddress: this.natPublicIpAddress,
    });
  }
}
