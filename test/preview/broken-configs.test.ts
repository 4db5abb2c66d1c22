/**
 * Deliberately broken configurations of the shipped stacks, each run through the offline
 * preview exactly as `pnpm preview:offline <stack> --config key=value` runs it. Each must be
 * rejected by the config check or the policy that names the problem, and a config error
 * must leave nothing registered but the stack itself.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { runOfflinePreview } from "@pfv5/preview";

const ROOT = path.resolve(__dirname, "..", "..");
const PACKS = ["security-zones", "kubernetes-zones"].map((p) => path.join(ROOT, "policy-packs", p));

interface Broken {
  readonly what: string;
  readonly stack: string;
  readonly config: Record<string, unknown>;
  /** 2: refused by the config check; 1: a mandatory policy violation. */
  readonly exit: 1 | 2;
  /** What the message must name (the key, the value, or the policy). */
  readonly names: RegExp;
}

const peer = { name: "carol", publicKey: "XW5K8b/yMHc7gy/DK2JaL387YBpmiasJnQrfmIbAR3A=", address: "10.100.0.20" };

const BROKEN: readonly Broken[] = [
  { what: "SSH open to the whole internet", stack: "aws-dev", config: { "pfv5:sshAllowedCidrs": ["0.0.0.0/0"] }, exit: 2, names: /pfv5:sshAllowedCidrs\[0\] = "0\.0\.0\.0\/0": opens administrator access/ },
  { what: "a non-CIDR among the SSH CIDRs", stack: "aws-prod", config: { "pfv5:sshAllowedCidrs": ["office"] }, exit: 2, names: /pfv5:sshAllowedCidrs\[0\] = "office": not a valid CIDR block/ },
  { what: "an unknown environment", stack: "aws-dev", config: { "pfv5:environment": "staging" }, exit: 2, names: /pfv5:environment = "staging": expected one of dev, prod/ },
  { what: "more zones than the plan has subnets for", stack: "aws-dev", config: { "pfv5:azCount": 4 }, exit: 2, names: /pfv5:azCount = 4: expected a whole number from 1 to 3/ },
  { what: "overlapping subnets", stack: "aws-dev", config: { "pfv5:addressPlan": { subnets: { data: ["10.0.10.128/25", "10.0.21.0/24"] } } }, exit: 2, names: /pfv5:addressPlan\.subnets\.data\[0\] = "10\.0\.10\.128\/25": overlaps pfv5:addressPlan\.subnets\.app\[0\]/ },
  { what: "a subnet outside the VPC", stack: "aws-prod", config: { "pfv5:addressPlan": { subnets: { mgmt: ["10.9.30.0/24", "10.0.31.0/24", "10.0.32.0/24"] } } }, exit: 2, names: /pfv5:addressPlan\.subnets\.mgmt\[0\] = "10\.9\.30\.0\/24": lies outside the network block/ },
  { what: "a single NAT gateway in prod", stack: "aws-prod", config: { "pfv5:natStrategy": "single" }, exit: 2, names: /pfv5:natStrategy = "single": prod needs a NAT gateway per AZ/ },
  { what: "a flow-log retention CloudWatch does not offer", stack: "aws-prod", config: { "pfv5:flowLogRetentionDays": 100 }, exit: 2, names: /pfv5:flowLogRetentionDays = 100: CloudWatch Logs accepts only/ },
  { what: "a blocked range covering the VPC", stack: "aws-prod", config: { "pfv5:blockedCidrs": ["10.0.0.0/8"] }, exit: 2, names: /pfv5:blockedCidrs\[0\] = "10\.0\.0\.0\/8": overlaps the network's own block/ },
  { what: "a WireGuard peer with a bad public key", stack: "aws-prod", config: { "pfv5:wireguardPeers": [{ ...peer, publicKey: "not-a-key" }] }, exit: 2, names: /pfv5:wireguardPeers\[0\]\.publicKey = "not-a-key"/ },
  { what: "two WireGuard peers on one address", stack: "aws-dev", config: { "pfv5:wireguardPeers": [peer, { ...peer, name: "dave", publicKey: "TJ3MC8Z6nE1gANrCBZZjijHOOLCJpRpPxDHi8SoImAc=" }] }, exit: 2, names: /pfv5:wireguardPeers\[1\]\.address = "10\.100\.0\.20": is already used by pfv5:wireguardPeers\[0\]/ },
  { what: "a WireGuard peer outside the VPN range", stack: "azure-prod", config: { "pfv5:wireguardPeers": [{ ...peer, address: "10.0.10.5" }] }, exit: 2, names: /pfv5:wireguardPeers\[0\]\.address = "10\.0\.10\.5"/ },
  { what: "an admin user without a usable key", stack: "aws-dev", config: { "pfv5:adminUsers": [{ name: "erin", publicKeys: ["ssh-rsa short"] }] }, exit: 2, names: /pfv5:adminUsers\[0\]\.publicKeys\[0\]/ },
  { what: "an Azure location written as a display name", stack: "azure-dev", config: { "azure-native:location": "West Europe" }, exit: 2, names: /azure-native:location = "West Europe": is not an Azure location name/ },
  { what: "a misspelt setting", stack: "azure-dev", config: { "pfv5:sshAllowedCidr": ["203.0.113.0/24"] }, exit: 2, names: /pfv5:sshAllowedCidr = \["203\.0\.113\.0\/24"\]: is not a setting of this project/ },
  { what: "SSH from a CIDR the policy config does not authorize", stack: "aws-dev", config: { "pfv5:sshAllowedCidrs": ["198.18.0.0/24"] }, exit: 1, names: /no-internet-admin-ports/ },
];

describe("broken stack configurations through the offline preview", () => {
  before(function () {
    this.timeout(180_000);
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", ...PACKS], { cwd: ROOT, stdio: "inherit" });
  });

  it("covers at least eight broken configurations", () => {
    assert.ok(BROKEN.length >= 8);
  });

  for (const b of BROKEN) {
    it(`rejects ${b.what} (${b.stack}), naming the problem`, async () => {
      const r = await runOfflinePreview({ stack: b.stack, projectDir: ROOT, config: b.config });
      assert.equal(r.exitCode, b.exit, r.failure?.message ?? r.violations.map((v) => v.message).join("\n"));
      if (b.exit === 2) {
        assert.match(r.failure?.message ?? "", b.names);
        assert.deepEqual(
          r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack").map((x) => x.urn),
          [],
          "a config error must leave nothing registered",
        );
      } else {
        const mandatory = r.violations.filter((v) => v.level === "mandatory");
        assert.ok(mandatory.some((v) => b.names.test(v.policy)), mandatory.map((v) => `${v.policy}: ${v.message}`).join("\n"));
      }
    });
  }
});
