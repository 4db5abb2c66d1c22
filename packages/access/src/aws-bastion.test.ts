import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { recorded } from "../../../test/setup/mocks";
import { isSecret, resourcesNamed, settle, valueOf } from "../../../test/setup/helpers";
import { AwsBastion, lookupAl2023Ami } from "./aws-bastion";
import { ed25519PublicKey, wireGuardKeyPair } from "./fixtures.test";
import { publicKeyOf } from "./wireguard-keys";

const alice = { name: "alice", publicKeys: [ed25519PublicKey("alice@laptop")] };
const laptop = { name: "laptop", publicKey: wireGuardKeyPair().publicKey, address: "10.100.0.10" };
const zoneCidrs = { app: ["10.0.10.0/24", "10.0.11.0/24"], data: ["10.0.20.0/24", "10.0.21.0/24"], mgmt: ["10.0.30.0/24", "10.0.31.0/24"] };
const common = { subnetId: "subnet-dmz-a", securityGroupId: "sg-bastion", vpcCidr: "10.0.0.0/16", sshAllowedCidrs: ["203.0.113.0/24"], users: [alice], zoneCidrs };

function inputsOf(prefix: string, type: string): Record<string, unknown> {
  const found = resourcesNamed(prefix, type);
  assert.equal(found.length, 1, `${type} under ${prefix}`);
  return found[0]?.inputs ?? {};
}

interface CloudConfig {
  write_files: { path: string; content: string }[];
  packages: string[];
}

describe("AwsBastion", () => {
  describe("an SSH bastion that also runs the VPN", () => {
    let bastion: AwsBastion;
    before(async () => {
      bastion = await AwsBastion.create("acc-aws-both", { ...common, vpn: { peers: [laptop] }, logRetentionDays: 90, tags: { Environment: "prod" } });
      await valueOf(bastion.instanceId);
      await valueOf(bastion.clientConfigs);
      await settle();
    });

    it("registers exactly the host's resources: role, profile, interface, address, log group, instance and the VPN keys", () => {
      assert.deepEqual(
        resourcesNamed("acc-aws-both").map((r) => `${r.type} ${r.name}`).sort(),
        [
          "aws:cloudwatch/logGroup:LogGroup acc-aws-both-logs",
          "aws:ec2/eip:Eip acc-aws-both-eip",
          "aws:ec2/instance:Instance acc-aws-both-instance",
          "aws:ec2/networkInterface:NetworkInterface acc-aws-both-eni",
          "aws:iam/instanceProfile:InstanceProfile acc-aws-both-profile",
          "aws:iam/role:Role acc-aws-both-role",
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment acc-aws-both-AmazonSSMManagedInstanceCore",
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment acc-aws-both-CloudWatchAgentServerPolicy",
          "pfv5:access:AwsBastion acc-aws-both",
          "pfv5:access:WireGuardServer acc-aws-both-vpn",
          "random:index/randomBytes:RandomBytes acc-aws-both-vpn-server-key",
        ],
      );
    });

    it("boots the looked-up Amazon Linux 2023 image with IMDSv2 only, an encrypted gp3 root and detailed monitoring", () => {
      const i = inputsOf("acc-aws-both-instance", "aws:ec2/instance:Instance");
      assert.equal(bastion.amiId, "ami-0a1b2c3d4e5f67890");
      assert.equal(i["ami"], "ami-0a1b2c3d4e5f67890");
      assert.equal(i["instanceType"], "t3.micro");
      assert.deepEqual(i["metadataOptions"], { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
      assert.deepEqual(i["rootBlockDevice"], { encrypted: true, volumeType: "gp3", volumeSize: 8, deleteOnTermination: true });
      assert.equal(i["monitoring"], true);
      assert.equal(i["userDataReplaceOnChange"], true);
      assert.equal(i["iamInstanceProfile"], resourcesNamed("acc-aws-both-profile")[0]?.id);
    });

    it("puts the Elastic IP on an interface in the DMZ subnet with the role's security group, before the instance", () => {
      const eni = resourcesNamed("acc-aws-both-eni")[0];
      assert.deepEqual(eni?.inputs["subnetId"], "subnet-dmz-a");
      assert.deepEqual(eni?.inputs["securityGroups"], ["sg-bastion"]);
      assert.deepEqual(inputsOf("acc-aws-both-eip", "aws:ec2/eip:Eip")["networkInterface"], eni?.id);
      assert.deepEqual(inputsOf("acc-aws-both-instance", "aws:ec2/instance:Instance")["primaryNetworkInterface"], { networkInterfaceId: eni?.id });
      const order = recorded.map((r) => r.name);
      assert.ok(order.indexOf("acc-aws-both-eip") < order.indexOf("acc-aws-both-instance"));
    });

    it("lets the instance role use Session Manager and the CloudWatch agent, and nothing else", () => {
      const role = inputsOf("acc-aws-both-role", "aws:iam/role:Role");
      assert.deepEqual(JSON.parse(String(role["assumeRolePolicy"])), {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      });
      assert.deepEqual(
        resourcesNamed("acc-aws-both", "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs["policyArn"]).sort(),
        ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
      );
    });

    it("keeps the host's logs in its own group for the configured days", () => {
      assert.deepEqual(inputsOf("acc-aws-both-logs", "aws:cloudwatch/logGroup:LogGroup"), {
        name: "/pfv5/acc-aws-both",
        retentionInDays: 90,
        tags: { Environment: "prod", Name: "acc-aws-both", Role: "bastion+vpn-server" },
      });
    });

    it("hands the instance the rendered cloud-config with the server key, and marks it secret", async () => {
      assert.equal(await isSecret(bastion.userData), true);
      const text = await valueOf(bastion.userData);
      // The engine receives the instance's user data as a secret, so state stores it encrypted.
      assert.deepEqual(inputsOf("acc-aws-both-instance", "aws:ec2/instance:Instance")["userData"], {
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
        value: text,
      });
      const cfg = parse(text) as CloudConfig;
      const wg = cfg.write_files.find((f) => f.path === "/etc/wireguard/wg0.conf")?.content ?? "";
      const privateKey = await valueOf(bastion.vpn?.privateKey ?? "");
      assert.match(wg, new RegExp(`^PrivateKey = ${privateKey.replace(/[+/]/g, "\\$&")}$`, "m"));
      assert.equal(cfg.write_files.find((f) => f.path === "/etc/nftables/pfv5.nft")?.content, bastion.nftablesRuleset);
      assert.ok(cfg.packages.includes("amazon-cloudwatch-agent"));
    });

    it("builds a secret client configuration per peer that dials the Elastic IP with the server's public key", async () => {
      assert.equal(await isSecret(bastion.clientConfigs), true);
      const configs = await valueOf(bastion.clientConfigs);
      assert.deepEqual(Object.keys(configs), ["laptop"]);
      const serverKey = publicKeyOf(await valueOf(bastion.vpn?.privateKey ?? ""));
      assert.equal(await valueOf(bastion.vpn?.publicKey ?? ""), serverKey);
      assert.match(configs["laptop"] ?? "", new RegExp(`^PublicKey = ${serverKey.replace(/[+/]/g, "\\$&")}$`, "m"));
      assert.match(configs["laptop"] ?? "", /^Endpoint = 198\.51\.100\.10:51820$/m);
      assert.match(configs["laptop"] ?? "", /^AllowedIPs = 10\.0\.0\.0\/16$/m);
    });

    it("reports the Elastic IP and the interface's private address", async () => {
      assert.equal(await valueOf(bastion.publicIp), "198.51.100.10");
      assert.equal(await valueOf(bastion.privateIp), "10.0.1.10");
      assert.deepEqual(bastion.roles, ["bastion", "vpn-server"]);
    });
  });

  describe("a bastion with SSH off", () => {
    let bastion: AwsBastion;
    before(async () => {
      bastion = new AwsBastion("acc-aws-ssm", { subnetId: "subnet-dmz-b", securityGroupId: "sg-b", vpcCidr: "10.0.0.0/16", ssh: false, amiId: "ami-0123456789abcdef0" });
      await valueOf(bastion.instanceId);
    });

    it("opens no port in its host firewall and keeps its user data readable (no key in it)", async () => {
      assert.doesNotMatch(bastion.nftablesRuleset, /dport/);
      assert.deepEqual(bastion.roles, []);
      assert.equal(await isSecret(bastion.userData), false);
      assert.deepEqual(await valueOf(bastion.clientConfigs), {});
      assert.equal(bastion.vpn, undefined);
      assert.equal(resourcesNamed("acc-aws-ssm", "random:index/randomBytes:RandomBytes").length, 0);
    });

    it("uses the explicit image without a lookup", () => {
      assert.equal(inputsOf("acc-aws-ssm-instance", "aws:ec2/instance:Instance")["ami"], "ami-0123456789abcdef0");
    });
  });

  describe("bad arguments", () => {
    it("fail with every problem named at once and nothing registered", () => {
      const before = recorded.length;
      assert.throws(
        () =>
          new AwsBastion("acc-aws-bad", {
            subnetId: "subnet-x",
            securityGroupId: "sg-x",
            vpcCidr: "10.0.0.0/16",
            sshAllowedCidrs: ["0.0.0.0/0"],
            users: [alice],
            vpn: { peers: [laptop, { ...laptop, name: "twin" }, { name: "far", publicKey: "AAAA", address: "10.200.0.3" }] },
            logRetentionDays: 42,
          }),
        (e: Error) => {
          assert.equal(e.name, "ValidationError");
          assert.match(e.message, /^AwsBastion "acc-aws-bad": 7 problems\n/);
          for (const key of ["sshAllowedCidrs[0]", "vpn.peers[1].publicKey", "vpn.peers[1].address", "vpn.peers[2].publicKey", "vpn.peers[2].address", "amiId", "logRetentionDays = 42"]) {
            assert.ok(e.message.includes(`  - ${key}`), key);
          }
          return true;
        },
      );
      assert.equal(recorded.length, before);
      assert.equal(resourcesNamed("acc-aws-bad").length, 0);
    });
  });

  describe("a VPN host with the whole VPN range as peers", () => {
    const peers = Array.from({ length: 253 }, (_, i) => ({ name: `peer-${i + 2}`, publicKey: wireGuardKeyPair().publicKey, address: `10.100.0.${i + 2}` }));
    const args = { subnetId: "subnet-dmz-b", securityGroupId: "sg-vpn", vpcCidr: "10.0.0.0/16", ssh: false, zoneCidrs, vpn: { peers }, amiId: "ami-0123456789abcdef0" };

    it("blames the peer list under the stack's config key, not the users, and registers nothing", () => {
      const before = recorded.length;
      assert.throws(
        () => new AwsBastion("acc-aws-253", { ...args, configKeys: { users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" } }),
        (e: Error) => {
          assert.equal(e.name, "ValidationError");
          assert.match(
            e.message,
            /^AwsBastion "acc-aws-253": 1 problem\n {2}- pfv5:wireguardPeers = "253 peers": the peer list makes the user data \d+ bytes \(the peers take \d+ of them\), over the 16384-byte limit of EC2 user data \(16 KB before base64\): at most \d+ of the 253 peers fit on one host; list fewer, or spread them over more VPN hosts$/,
          );
          return true;
        },
      );
      assert.equal(recorded.length, before);
      assert.equal(resourcesNamed("acc-aws-253").length, 0);
    });

    it("names the peer list by its argument, vpn.peers, when no config keys are passed", () => {
      assert.throws(() => new AwsBastion("acc-aws-253-args", args), /\n {2}- vpn\.peers = "253 peers": the peer list makes the user data/);
      assert.equal(resourcesNamed("acc-aws-253-args").length, 0);
    });

    it("reports the ordinary peer and user problems under the config keys too", () => {
      assert.throws(
        () =>
          new AwsBastion("acc-aws-keys", {
            ...args,
            ssh: true,
            sshAllowedCidrs: ["203.0.113.0/24"],
            users: [{ name: "root", publicKeys: [alice.publicKeys[0] ?? ""] }],
            vpn: { peers: [{ ...laptop, adress: "10.100.0.11" } as typeof laptop] },
            configKeys: { users: "pfv5:adminUsers", peers: "pfv5:wireguardPeers" },
          }),
        (e: Error) => {
          assert.match(e.message, /^AwsBastion "acc-aws-keys": 2 problems\n/);
          assert.ok(e.message.includes('  - pfv5:adminUsers[0].name = "root": '), e.message);
          assert.ok(e.message.includes('  - pfv5:wireguardPeers[0].adress = "10.100.0.11": is not a field of a WireGuard peer'), e.message);
          return true;
        },
      );
    });
  });

  it("finds the Amazon Linux 2023 image by owner and name", async () => {
    assert.equal(await lookupAl2023Ami(), "ami-0a1b2c3d4e5f67890");
  });
});
