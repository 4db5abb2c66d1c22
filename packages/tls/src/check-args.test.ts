import * as assert from "node:assert/strict";
import { checkAwsEdgeArgs } from "./aws/aws-edge";
import { checkInternalCaArgs } from "./ca/internal-ca";
import { checkLeafCertificateArgs } from "./ca/leaf-certificate";
import { checkAcmeCertificatesArgs } from "./cert-manager/acme-certificates";
import { checkIngressEdgeArgs } from "./ingress/ingress-edge";

const backends = { app: { service: "web", port: 80 }, api: { service: "api", port: 3000 }, mca: { service: "mca", port: 8000 }, npa: { service: "npa", port: 8000 }, wpa: { service: "wpa", port: 8000 } };

describe("argument checks for stacks", () => {
  it("find nothing wrong with valid arguments", () => {
    assert.deepEqual([
      ...checkInternalCaArgs({ istio: {}, clusterIssuer: {} }),
      ...checkLeafCertificateArgs({ dnsNames: ["api.pf.svc"] }),
      ...checkAcmeCertificatesArgs({ domain: "example.com", email: "ops@example.com", namespace: "pf", route53: { region: "us-east-1" } }),
      ...checkIngressEdgeArgs({ domain: "example.com", namespace: "pf", tlsSecretName: "tls", backends }),
      ...checkAwsEdgeArgs({ vpcId: "vpc", subnetIds: ["a", "b"], securityGroupId: "sg", certificate: { arn: "arn" } }),
    ], []);
  });

  it("return the problems with the keys as written, without throwing", () => {
    const keys = [
      ...checkInternalCaArgs({ clusterIssuer: { name: "Internal CA" } }),
      ...checkLeafCertificateArgs({ dnsNames: [] }),
      ...checkAcmeCertificatesArgs({ domain: "example.com", email: "nobody", namespace: "pf", wildcard: false }),
      ...checkIngressEdgeArgs({ domain: "example.com", namespace: "pf", tlsSecretName: "TLS", backends }),
      ...checkAwsEdgeArgs({ vpcId: "vpc", subnetIds: ["a", "b"], securityGroupId: "sg", certificate: { arn: "arn" }, appPort: 70000 }),
    ].map((p) => p.key);
    assert.deepEqual(keys, ["clusterIssuer.name", "dnsNames", "email", "tlsSecretName", "appPort"]);
  });
});
