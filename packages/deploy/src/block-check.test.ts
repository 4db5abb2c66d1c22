import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatProblem } from "@pfv5/zones";
import { checkBlockCloud, checkBlockedStack } from "./block-check";
import { engineConfig, interpretProjectFile, interpretStackFile } from "./stack-file";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROJECT = interpretProjectFile("Pulumi.yaml", fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

/** The shipped stack's config as the engine would hand it over, with `extra` set on top. */
function shipped(stack: string, extra: Record<string, unknown> = {}): Record<string, string> {
  const file = `Pulumi.${stack}.yaml`;
  const config = interpretStackFile(stack, file, fs.readFileSync(path.join(ROOT, file), "utf8")).config;
  return engineConfig({ ...config, ...extra }, PROJECT);
}

/** `n` distinct public /24 blocks, 203.0.113.0/24 first. */
function blocks(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? "203.0.113.0/24" : `198.${18 + Math.floor(i / 256)}.${i % 256}.0/24`));
}

function lines(stack: string, blocked: readonly string[], extra: Record<string, unknown> = {}): string[] {
  return checkBlockedStack(stack, shipped(stack, { "pfv5:blockedCidrs": blocked, ...extra })).map(formatProblem);
}

describe("the stack's own checks on a blocklist", () => {
  it("accepts a public IPv4 block on every shipped AWS and Azure stack", () => {
    for (const stack of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) assert.deepEqual(lines(stack, ["203.0.113.0/24"]), [], stack);
  });

  it("refuses an IPv6 block on AWS, whose VPC carries IPv4 only", () => {
    assert.deepEqual(lines("aws-dev", ["2001:db8::/32"]), [
      'pfv5:blockedCidrs[0] = "2001:db8::/32": is an IPv6 block, but the VPC carries IPv4 only, so no IPv6 traffic can reach it: list IPv4 blocks',
    ]);
  });

  it("refuses an IPv6 block on Azure, naming the stack file's key", () => {
    assert.deepEqual(lines("azure-dev", ["2001:db8::/32"]), [
      'pfv5:blockedCidrs[0] = "2001:db8::/32": is IPv6, but the VNet address space is IPv4 only, so the rule could never match: list IPv4 blocks',
    ]);
  });

  it("fits ten blocks beside aws-prod's two admin CIDRs into the default network ACL quota, and refuses the eleventh", () => {
    assert.deepEqual(lines("aws-prod", blocks(10)), []);
    assert.deepEqual(lines("aws-prod", blocks(11)), [
      'pfv5:blockedCidrs = "11 blocks": the dmz network ACL would need 21 inbound rules (11 blocklist denies, 2 administration-port denies, 6 allows the zone model needs and 2 for the admin CIDRs in pfv5:sshAllowedCidrs) but the quota is 20 per direction: block wider ranges, list fewer admin CIDRs, or raise the quota with AWS (up to 40) and set networkAclRuleLimit (the AwsNetwork argument in stacks/aws.ts)',
    ]);
  });

  it("counts the admin CIDRs of the stack file: aws-dev's one leaves room for eleven blocks", () => {
    assert.deepEqual([lines("aws-dev", blocks(11)).length, lines("aws-dev", blocks(12)).length], [0, 1]);
  });

  it("reports whatever else in the stack file its settings reader rejects", () => {
    assert.deepEqual(lines("aws-dev", ["203.0.113.0/24"], { "pfv5:azCount": 9 }), ['pfv5:azCount = 9: expected a whole number from 1 to 3']);
  });

  it("refuses a blocklist on a Kubernetes stack, pointing to the quarantine label", () => {
    assert.deepEqual(checkBlockCloud("kubernetes").map(formatProblem), [
      'pfv5:cloud = "kubernetes": a Kubernetes stack turns pfv5:blockedCidrs into no rule, so the block would deny nothing: isolate a compromised pod with the label pfv5.io/quarantine=true (kubectl label pod <pod> -n <namespace> pfv5.io/quarantine=true --overwrite), or block the source on the AWS or Azure stack in front of the cluster',
    ]);
    assert.deepEqual([checkBlockCloud("aws"), checkBlockCloud("azure"), checkBlockCloud(undefined)], [[], [], []]);
  });
});
