/**
 * The Azure access host: a Linux VM in the DMZ subnet with the same cloud-init as on AWS
 * (Ubuntu flavour), a static public IP, keys only. Azure Bastion, the managed service,
 * gives SSH without a public IP but no WireGuard, needs a subnet of its own outside the
 * address plan and costs far more than a small VM; see the package README.
 */
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems, type Problem } from "@pfv5/zones";
import type { HostRole } from "./nftables";
import { checkAccessHostArgs, planAccessHost, type AccessHostArgs, type AccessHostPlan } from "./plan";
import { AZURE_CUSTOM_DATA, checkUserDataSize, renderHostUserData, userDataSize, type UserDataExtras } from "./user-data";
import { WireGuardServer } from "./wireguard-server";

/** @default "Standard_B2ats_v2": two vCPUs, 1 GiB, enough for sshd and WireGuard. */
export const DEFAULT_AZURE_VM_SIZE = "Standard_B2ats_v2";

/** @default Ubuntu 24.04 LTS, generation 2 (Trusted Launch capable). */
export const DEFAULT_AZURE_IMAGE = { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" } as const;

/** @default 30 GiB, the image's disk size. */
export const DEFAULT_AZURE_OS_DISK_GIB = 30;

/** Admin names Azure refuses for Linux VMs (the common ones). */
export const AZURE_RESERVED_ADMIN_NAMES: readonly string[] = ["admin", "administrator", "user", "test", "guest", "root", "support", "sys", "server", "owner", "backup", "console", "sql", "adm"];

export interface AzureBastionArgs extends AccessHostArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  /** @default the resource group's location */
  readonly location?: pulumi.Input<string>;
  /** The DMZ subnet (its NSG comes from the firewall). */
  readonly subnetId: pulumi.Input<string>;
  /** An extra NSG on the VM's interface. @default none: the subnet's NSG applies */
  readonly networkSecurityGroupId?: pulumi.Input<string>;
  /** @default DEFAULT_AZURE_VM_SIZE */
  readonly vmSize?: string;
  /** An Ubuntu image; the renderer targets Ubuntu. @default DEFAULT_AZURE_IMAGE */
  readonly image?: { readonly publisher: string; readonly offer: string; readonly sku: string; readonly version: string };
  /** @default DEFAULT_AZURE_OS_DISK_GIB */
  readonly osDiskSizeGib?: number;
  /** Availability zone of the VM and its public IP. @default none (regional) */
  readonly zone?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

function checkAzureArgs(args: AzureBastionArgs): Problem[] {
  const problems: Problem[] = [];
  const first = args.users?.[0];
  if (first === undefined) {
    problems.push({ key: "users", value: args.users ?? [], message: "Azure creates the VM with an admin account that needs a public key: list at least one user (the first becomes the admin)" });
  } else if (AZURE_RESERVED_ADMIN_NAMES.includes(first.name)) {
    problems.push({ key: "users[0].name", value: first.name, message: "is a name Azure refuses for the admin account: put a personal name first" });
  }
  const size = args.osDiskSizeGib ?? DEFAULT_AZURE_OS_DISK_GIB;
  if (!Number.isInteger(size) || size < DEFAULT_AZURE_OS_DISK_GIB || size > 4095) {
    problems.push({ key: "osDiskSizeGib", value: size, message: `expected whole GiB from ${DEFAULT_AZURE_OS_DISK_GIB} to 4095` });
  }
  if (args.zone !== undefined && !["1", "2", "3"].includes(args.zone)) {
    problems.push({ key: "zone", value: args.zone, message: 'expected "1", "2" or "3"' });
  }
  return problems;
}

/** A Linux computer name: letters, digits and hyphens, at most 63. */
function computerName(name: string): string {
  return (name.replace(/[^A-Za-z0-9-]/g, "-").replace(/^-+|-+$/g, "") || "access").slice(0, 63);
}

/**
 * Azure creates the admin account (the first user) from the VM's own settings; cloud-init
 * keeps it as the image's default user and adds the others.
 */
function azureExtras(plan: AccessHostPlan): UserDataExtras {
  const admin = plan.users[0];
  return { defaultUser: true, skipUsers: admin !== undefined ? [admin.name] : [] };
}

export class AzureBastion extends pulumi.ComponentResource {
  readonly roles: readonly HostRole[];
  /** The rendered host firewall, for review. */
  readonly nftablesRuleset: string;
  /** The admin account (the first user). */
  readonly adminUsername: string;
  readonly vmId: pulumi.Output<string>;
  readonly networkInterfaceId: pulumi.Output<string>;
  /** The static public IP: the SSH address and the VPN endpoint. */
  readonly publicIp: pulumi.Output<string>;
  /** The cloud-config. Secret when it carries the WireGuard key. */
  readonly userData: pulumi.Output<string>;
  readonly vpn?: WireGuardServer;
  /** Client configurations keyed by peer name (empty without a VPN). Secret. */
  readonly clientConfigs: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AzureBastionArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = [...checkAccessHostArgs(args), ...checkAzureArgs(args)];
    if (problems.length === 0) problems.push(...checkUserDataSize(args, (p) => userDataSize(p, "ubuntu", azureExtras(p)), AZURE_CUSTOM_DATA));
    throwIfProblems(`AzureBastion "${name}"`, problems);
    const plan = planAccessHost(args);
    const admin = plan.users[0];
    if (admin === undefined) throw new Error("unreachable: validation passed without an admin user");
    super("pfv5:access:AzureBastion", name, {}, opts);

    this.roles = plan.roles;
    this.nftablesRuleset = plan.nftables;
    this.adminUsername = admin.name;
    const tags = { ...args.tags, Role: plan.roles.length > 0 ? plan.roles.join("+") : "bastion" };
    const location = args.location !== undefined ? { location: args.location } : {};
    const zones = args.zone !== undefined ? { zones: [args.zone] } : {};

    const ip = new network.PublicIPAddress(
      `${name}-ip`,
      { resourceGroupName: args.resourceGroupName, ...location, ...zones, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4", tags },
      { parent: this },
    );
    // No IP forwarding on the interface: VPN traffic leaves masqueraded to the VM's own address.
    const nic = new network.NetworkInterface(
      `${name}-nic`,
      {
        resourceGroupName: args.resourceGroupName,
        ...location,
        ipConfigurations: [{ name: "primary", primary: true, subnet: { id: args.subnetId }, publicIPAddress: { id: ip.id }, privateIPAllocationMethod: "Dynamic" }],
        ...(args.networkSecurityGroupId !== undefined ? { networkSecurityGroup: { id: args.networkSecurityGroupId } } : {}),
        tags,
      },
      { parent: this },
    );
    this.publicIp = ip.ipAddress.apply((a) => a ?? "");

    if (args.vpn !== undefined) {
      this.vpn = new WireGuardServer(`${name}-vpn`, { ...args.vpn, endpoint: this.publicIp, vpcCidr: args.vpcCidr }, { parent: this });
    }
    const vpn = this.vpn;
    const extras = azureExtras(plan);
    this.userData =
      vpn === undefined
        ? pulumi.output(renderHostUserData(plan, "ubuntu", extras))
        : pulumi.secret(vpn.serverConfig.apply((serverConfig) => renderHostUserData(plan, "ubuntu", { ...extras, serverConfig })));
    const customData = this.userData.apply((text) => Buffer.from(text, "utf8").toString("base64"));

    const vm = new compute.VirtualMachine(
      `${name}-vm`,
      {
        resourceGroupName: args.resourceGroupName,
        ...location,
        ...zones,
        hardwareProfile: { vmSize: args.vmSize ?? DEFAULT_AZURE_VM_SIZE },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        osProfile: {
          computerName: computerName(name),
          adminUsername: admin.name,
          customData: vpn === undefined ? customData : pulumi.secret(customData),
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            provisionVMAgent: true,
            ssh: { publicKeys: admin.publicKeys.map((keyData) => ({ path: `/home/${admin.name}/.ssh/authorized_keys`, keyData })) },
          },
        },
        storageProfile: {
          imageReference: { ...(args.image ?? DEFAULT_AZURE_IMAGE) },
          osDisk: {
            createOption: "FromImage",
            deleteOption: "Delete",
            diskSizeGB: args.osDiskSizeGib ?? DEFAULT_AZURE_OS_DISK_GIB,
            // Managed disks are encrypted at rest with platform keys by default.
            managedDisk: { storageAccountType: "StandardSSD_LRS" },
          },
        },
        securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        tags,
      },
      {
        parent: this,
        // Custom data is read at first boot and cannot be changed in place: a change
        // replaces the VM, and the interface can hold one VM at a time.
        replaceOnChanges: ["osProfile.customData"],
        deleteBeforeReplace: true,
      },
    );

    this.vmId = vm.id;
    this.networkInterfaceId = nic.id;
    this.clientConfigs = vpn?.clientConfigs ?? pulumi.secret(pulumi.output<Record<string, string>>({}));
    this.registerOutputs({
      roles: this.roles,
      nftablesRuleset: this.nftablesRuleset,
      adminUsername: this.adminUsername,
      vmId: this.vmId,
      networkInterfaceId: this.networkInterfaceId,
      publicIp: this.publicIp,
      userData: this.userData,
      clientConfigs: this.clientConfigs,
    });
  }
}
