import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { recorded } from "../../../test/setup/mocks";
import { isSecret, resourcesNamed, valueOf } from "../../../test/setup/helpers";
import { AzureBastion } from "./azure-bastion";
import { ed25519PublicKey, wireGuardKeyPair } from "./fixtures.test";

const aliceKey = ed25519PublicKey("alice@laptop");
const users = [
  { name: "alice", publicKeys: [aliceKey] },
  { name: "bob", publicKeys: [ed25519PublicKey("bob")] },
];
const common = { resourceGroupName: "rg-pfv5", location: "westeurope", subnetId: "/subscriptions/s/resourceGroups/rg-pfv5/providers/Microsoft.Network/virtualNetworks/v/subnets/dmz", vpcCidr: "10.0.0.0/16", sshAllowedCidrs: ["203.0.113.0/24"], users };

function only(prefix: string, type: string): Record<string, unknown> {
  const found = resourcesNamed(prefix, type);
  assert.equal(found.length, 1, `${type} under ${prefix}`);
  return found[0]?.inputs ?? {};
}

function unwrapSecret(value: unknown): unknown {
  if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
    return (value as { value: unknown }).value;
  }
  assert.fail("expected a secret");
}

describe("AzureBastion", () => {
  let host: AzureBastion;
  before(async () => {
    host = new AzureBastion("acc-az", { ...common, vpn: { peers: [{ name: "laptop", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.10" }] } });
    await valueOf(host.vmId);
    await valueOf(host.clientConfigs);
  });

  it("registers a static Standard public IP, an interface in the DMZ subnet and one VM", () => {
    assert.deepEqual(
      resourcesNamed("acc-az").map((r) => r.type).sort(),
      [
        "azure-native:compute:VirtualMachine",
        "azure-native:network:NetworkInterface",
        "azure-native:network:PublicIPAddress",
        "pfv5:access:AzureBastion",
        "pfv5:access:WireGuardServer",
        "random:index/randomBytes:RandomBytes",
      ],
    );
    const ip = only("acc-az-ip", "azure-native:network:PublicIPAddress");
    assert.deepEqual([ip["publicIPAllocationMethod"], ip["sku"]], ["Static", { name: "Standard", tier: "Regional" }]);
    const nic = only("acc-az-nic", "azure-native:network:NetworkInterface");
    assert.deepEqual(nic["ipConfigurations"], [
      { name: "primary", primary: true, subnet: { id: common.subnetId }, publicIPAddress: { id: resourcesNamed("acc-az-ip")[0]?.id }, privateIPAllocationMethod: "Dynamic" },
    ]);
  });

  it("allows SSH keys only for the admin account, which is the first user", () => {
    // With secret custom data inside, the engine receives the whole OS profile as a secret.
    const os = unwrapSecret(only("acc-az-vm", "azure-native:compute:VirtualMachine")["osProfile"]) as Record<string, unknown>;
    assert.equal(os["adminUsername"], "alice");
    assert.equal(os["adminPassword"], undefined);
    assert.deepEqual(os["linuxConfiguration"], {
      disablePasswordAuthentication: true,
      provisionVMAgent: true,
      ssh: { publicKeys: [{ path: "/home/alice/.ssh/authorized_keys", keyData: aliceKey }] },
    });
  });

  it("boots Ubuntu with Trusted Launch and passes the same cloud-config, as secret custom data", async () => {
    const vm = only("acc-az-vm", "azure-native:compute:VirtualMachine");
    assert.deepEqual((vm["storageProfile"] as Record<string, unknown>)["imageReference"], { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" });
    assert.deepEqual(vm["securityProfile"], { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } });
    const customData = (unwrapSecret(vm["osProfile"]) as Record<string, unknown>)["customData"];
    const text = Buffer.from(String(customData), "base64").toString("utf8");
    assert.equal(text, await valueOf(host.userData));
    assert.equal(await isSecret(host.userData), true);
    const cfg = parse(text) as { users: unknown[]; write_files: { path: string }[] };
    assert.deepEqual(cfg.users.map((u) => (typeof u === "string" ? u : (u as { name: string }).name)), ["default", "bob"]);
    assert.ok(cfg.write_files.some((f) => f.path === "/etc/nftables.conf"));
    assert.ok(cfg.write_files.some((f) => f.path === "/etc/wireguard/wg0.conf"));
    assert.ok(!cfg.write_files.some((f) => f.path.includes("amazon-cloudwatch-agent")));
  });

  it("gives each VPN client the VM's public IP as its endpoint", async () => {
    const configs = await valueOf(host.clientConfigs);
    assert.match(configs["laptop"] ?? "", /^Endpoint = 198\.51\.100\.20:51820$/m);
    assert.equal(await valueOf(host.publicIp), "198.51.100.20");
  });

  it("refuses a VM with no admin or with a name Azure forbids, before registering anything", () => {
    const before = recorded.length;
    assert.throws(() => new AzureBastion("acc-az-none", { ...common, ssh: false, users: [] }), /users = \[\]: Azure creates the VM with an admin account that needs a public key/);
    assert.throws(() => new AzureBastion("acc-az-admin", { ...common, users: [{ name: "admin", publicKeys: [aliceKey] }] }), /users\[0\]\.name = "admin": is a name Azure refuses/);
    assert.equal(recorded.length, before);
  });

  it("refuses custom data over Azure's 65535 bytes, naming the user list under the caller's key, and registers nothing", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `admin${i}`, publicKeys: [ed25519PublicKey(`admin${i}@${"workstation".repeat(100)}`)] }));
    const before = recorded.length;
    assert.throws(
      () => new AzureBastion("acc-az-big", { ...common, users: [...users.slice(0, 1), ...many], configKeys: { users: "pfv5:adminUsers" } }),
      /^ValidationError: AzureBastion "acc-az-big": 1 problem\n {2}- pfv5:adminUsers = "61 users, 61 keys": the user list makes the user data \d+ bytes \(the users and their keys take \d+ of them\), over the 65535-byte limit of Azure custom data \(64 KB once decoded\): at most \d+ of the 61 keys fit on one host; list fewer users, or fewer keys per user$/,
    );
    assert.equal(recorded.length, before);
    assert.equal(resourcesNamed("acc-az-big").length, 0);
  });
});
