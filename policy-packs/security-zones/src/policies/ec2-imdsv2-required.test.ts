import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { ec2Imdsv2Required as policy } from "./ec2-imdsv2-required";

const instance = { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" };

describe("ec2-imdsv2-required", () => {
  it("accepts an instance and a launch template that require session tokens", async () => {
    const bastion = resourceArgs(aws.ec2.Instance, { ...instance, metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } });
    assert.deepEqual(await runResource(policy, bastion), { violations: [] });
    const template = resourceArgs(aws.ec2.LaunchTemplate, { imageId: "ami-0123456789abcdef0", metadataOptions: { httpTokens: "required" } });
    assert.deepEqual(await runResource(policy, template), { violations: [] });
  });

  it("rejects missing metadata options, optional tokens and an unset httpTokens", async () => {
    const cases = [
      resourceArgs(aws.ec2.Instance, instance, { name: "no-options" }),
      resourceArgs(aws.ec2.Instance, { ...instance, metadataOptions: { httpTokens: "optional" } }, { name: "optional" }),
      resourceArgs(aws.ec2.LaunchTemplate, { metadataOptions: { httpEndpoint: "enabled" } }, { name: "template" }),
    ];
    const out = await Promise.all(cases.map((c) => runResource(policy, c)));
    assert.deepEqual(out.flatMap(whats), [
      'aws.ec2.Instance "no-options" sets no metadataOptions, so its metadata service also answers IMDSv1 requests',
      'aws.ec2.Instance "optional" sets metadataOptions.httpTokens to "optional", which allows IMDSv1',
      'aws.ec2.LaunchTemplate "template" leaves metadataOptions.httpTokens unset, which allows IMDSv1',
    ]);
    assert.match(out[1]?.violations[0]?.message ?? "", /\nWhy: IMDSv1 answers any plain GET .*\nFix: set metadataOptions.httpTokens to "required"$/s);
  });

  it("does not apply to other resource types", async () => {
    const out = await runResource(policy, resourceArgs(aws.ebs.Volume, { availabilityZone: "eu-west-1a", encrypted: true }));
    assert.equal(out.notApplicable, "applies only to aws.ec2.Instance, aws.ec2.LaunchTemplate");
  });

  it("reports an instance whose httpTokens is unknown in preview as not checkable", async () => {
    const args = resourceArgs(aws.ec2.Instance, { ...instance, metadataOptions: { httpTokens: "required" } }, { name: "dynamic", unknowns: ["metadataOptions.httpTokens"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.Instance "dynamic" could not be checked: metadataOptions.httpTokens is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
