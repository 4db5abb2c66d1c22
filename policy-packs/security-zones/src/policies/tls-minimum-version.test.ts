import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import { resourceArgs, runResource, whats } from "../testing/harness";
import { tlsMinimumVersion as policy } from "./tls-minimum-version";

const listener = { loadBalancerArn: "arn:lb", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] };

describe("tls-minimum-version", () => {
  it("accepts an HTTPS listener with a TLS 1.2+ policy and ingress-nginx limited to TLS 1.2 and 1.3", async () => {
    for (const args of [
      resourceArgs(aws.lb.Listener, { ...listener, protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" }),
      resourceArgs(aws.alb.Listener, { ...listener, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
      resourceArgs(aws.lb.Listener, { ...listener, protocol: "HTTP", port: 80 }),
      resourceArgs(kubernetes.core.v1.ConfigMap, { data: { "ssl-protocols": "TLSv1.2 TLSv1.3" } }),
      resourceArgs(kubernetes.core.v1.ConfigMap, { data: { "log-format": "json" } }),
      resourceArgs(kubernetes.helm.v3.Release, { chart: "ingress-nginx", values: { controller: { config: { "ssl-protocols": "TLSv1.3" } } } }),
    ]) {
      assert.deepEqual(await runResource(policy, args), { violations: [] }, args.name);
    }
  });

  it("rejects an HTTPS listener without a policy or with one that accepts TLS 1.0", async () => {
    const none = await runResource(policy, resourceArgs(aws.lb.Listener, { ...listener, protocol: "HTTPS" }, { name: "https" }));
    assert.deepEqual(whats(none), ['aws.lb.Listener "https" is a HTTPS listener without sslPolicy, so AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1']);
    const old = await runResource(policy, resourceArgs(aws.lb.Listener, { ...listener, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08" }, { name: "tls" }));
    assert.deepEqual(whats(old), ['aws.lb.Listener "tls" uses sslPolicy "ELBSecurityPolicy-2016-08", which is not one of the policies limited to TLS 1.2 and 1.3']);
    assert.match(old.violations[0]?.message ?? "", /\nWhy: TLS 1\.0 and 1\.1 were deprecated by RFC 8996.*\nFix: use one of ELBSecurityPolicy-TLS13-1-2-2021-06, /s);
  });

  it("rejects ingress-nginx settings that enable TLS 1.0 or 1.1, in a ConfigMap or in Helm values", async () => {
    const cm = await runResource(policy, resourceArgs(kubernetes.core.v1.ConfigMap, { data: { "ssl-protocols": "TLSv1 TLSv1.1 TLSv1.2" } }, { name: "ingress-nginx-controller" }));
    assert.deepEqual(whats(cm), ['kubernetes.core.ConfigMap "ingress-nginx-controller" sets ssl-protocols to "TLSv1 TLSv1.1 TLSv1.2", which enables TLSv1, TLSv1.1']);
    const release = await runResource(policy, resourceArgs(kubernetes.helm.v3.Release, { chart: "ingress-nginx", values: { controller: { config: { "ssl-protocols": "TLSv1.1 TLSv1.2" } } } }, { name: "ingress" }));
    assert.deepEqual(whats(release), ['kubernetes.helm.sh.Release "ingress" (values.controller.config) sets ssl-protocols to "TLSv1.1 TLSv1.2", which enables TLSv1.1']);
  });

  it("reports a listener whose policy is unknown in preview as not checkable", async () => {
    const out = await runResource(policy, resourceArgs(aws.lb.Listener, { ...listener, protocol: "HTTPS", sslPolicy: "x" }, { name: "pending", unknowns: ["sslPolicy"] }));
    assert.deepEqual(whats(out), ['aws.lb.Listener "pending" could not be checked: sslPolicy is unknown until deployment, so preview cannot show that it complies']);
  });

  it("does not apply to other resources", async () => {
    const out = await runResource(policy, resourceArgs(aws.lb.TargetGroup, { port: 3000, protocol: "HTTP" }));
    assert.equal(out.notApplicable, "applies only to aws.lb.Listener, aws.alb.Listener, kubernetes.core.ConfigMap, kubernetes.helm.sh.Release");
  });
});
