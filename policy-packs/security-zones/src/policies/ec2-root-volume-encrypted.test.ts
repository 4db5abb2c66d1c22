import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { ec2RootVolumeEncrypted as policy } from "./ec2-root-volume-encrypted";

const instance = { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" };

describe("ec2-root-volume-encrypted", () => {
  it("accepts an instance with encrypted root and data devices, and an encrypted volume", async () => {
    const host = resourceArgs(aws.ec2.Instance, {
      ...instance,
      rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8 },
      ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" }],
    });
    assert.deepEqual(await runResource(policy, host), { violations: [] });
    assert.deepEqual(await runResource(policy, resourceArgs(aws.ebs.Volume, { availabilityZone: "eu-west-1a", size: 10, encrypted: true })), { violations: [] });
  });

  it("rejects a missing or unencrypted root device, an unencrypted data device and an unencrypted volume", async () => {
    const cases = [
      resourceArgs(aws.ec2.Instance, instance, { name: "image-default" }),
      resourceArgs(aws.ec2.Instance, { ...instance, rootBlockDevice: { volumeType: "gp3" }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] }, { name: "plain" }),
      resourceArgs(aws.ebs.Volume, { availabilityZone: "eu-west-1a", size: 10 }, { name: "data" }),
    ];
    const out = await Promise.all(cases.map((c) => runResource(policy, c)));
    assert.deepEqual(out.flatMap(whats), [
      'aws.ec2.Instance "image-default" sets no rootBlockDevice, so its root volume takes the image\'s encryption',
      'aws.ec2.Instance "plain" rootBlockDevice is not encrypted (encrypted is unset)',
      'aws.ec2.Instance "plain" ebsBlockDevices[0] (/dev/sdf) is not encrypted (encrypted is false)',
      'aws.ebs.Volume "data" is not encrypted (encrypted is unset)',
    ]);
    assert.match(out[1]?.violations[1]?.message ?? "", /\nFix: set ebsBlockDevices\[0\]\.encrypted to true$/);
  });

  it("does not apply to other resource types", async () => {
    const out = await runResource(policy, resourceArgs(aws.ec2.LaunchTemplate, {}));
    assert.equal(out.notApplicable, "applies only to aws.ec2.Instance, aws.ebs.Volume");
  });

  it("reports a root device whose encryption is unknown in preview as not checkable", async () => {
    const args = resourceArgs(aws.ec2.Instance, { ...instance, rootBlockDevice: { encrypted: true } }, { name: "dynamic", unknowns: ["rootBlockDevice.encrypted"] });
    assert.deepEqual(whats(await runResource(policy, args)), [
      'aws.ec2.Instance "dynamic" could not be checked: rootBlockDevice.encrypted is unknown until deployment, so preview cannot show that it complies',
    ]);
  });
});
