import { COMPUTE_T } from "../lib/compute";
import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { isSet } from "../lib/read";
import { propsOf } from "../lib/types";

export const ec2RootVolumeEncrypted = definePolicy({
  name: "ec2-root-volume-encrypted",
  description: "Every EC2 instance's root and EBS block devices, and every EBS volume, are encrypted.",
  why:
    "A volume holds the host's keys, logs and data; unencrypted, every snapshot and copy of it (shared, restored in another " +
    "account, left behind after the instance) exposes them. A root device left unset takes the image's encryption, which is " +
    "none for public images unless the account's EBS encryption by default is on, a setting the stack cannot show.",
  fix: "set encrypted: true on rootBlockDevice, on each of ebsBlockDevices and on each aws.ebs.Volume (kmsKeyId optional: the account's EBS key by default)",
  severity: "high",
  config: [],
  resource: {
    types: [COMPUTE_T.instance, COMPUTE_T.ebsVolume],
    check(r, ctx) {
      const volume = propsOf(r, COMPUTE_T.ebsVolume);
      if (volume !== undefined) {
        if (volume.encrypted !== true) ctx.report({ what: `${label(r)} is not encrypted (encrypted is ${String(volume.encrypted ?? "unset")})`, fix: "set encrypted: true (a volume's encryption is fixed at creation: this replaces it)" });
        return;
      }
      const instance = propsOf(r, COMPUTE_T.instance);
      if (instance === undefined) return;
      if (!isSet(instance, "rootBlockDevice")) {
        ctx.report({ what: `${label(r)} sets no rootBlockDevice, so its root volume takes the image's encryption`, fix: "add rootBlockDevice: { encrypted: true, volumeType: \"gp3\" }" });
      } else if (instance.rootBlockDevice?.encrypted !== true) {
        ctx.report({ what: `${label(r)} rootBlockDevice is not encrypted (encrypted is ${String(instance.rootBlockDevice?.encrypted ?? "unset")})`, fix: "set rootBlockDevice.encrypted to true" });
      }
      (instance.ebsBlockDevices ?? []).forEach((d, i) => {
        if (d.encrypted !== true) {
          ctx.report({ what: `${label(r)} ebsBlockDevices[${i}] (${d.deviceName}) is not encrypted (encrypted is ${String(d.encrypted ?? "unset")})`, fix: `set ebsBlockDevices[${i}].encrypted to true` });
        }
      });
    },
  },
});
