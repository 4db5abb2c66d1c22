import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { resourceArgs, runResource, runStack, StackBuilder, whats } from "../testing/harness";
import { tlsHttpRedirectOnly as policy } from "./tls-http-redirect-only";

const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

describe("tls-http-redirect-only", () => {
  it("accepts an HTTP listener that only redirects to HTTPS, and HTTPS listeners that forward", async () => {
    assert.deepEqual(await runResource(policy, resourceArgs(aws.lb.Listener, { loadBalancerArn: "arn:lb", protocol: "HTTP", port: 80, defaultActions: [redirect] })), { violations: [] });
    assert.deepEqual(await runResource(policy, resourceArgs(aws.lb.Listener, { loadBalancerArn: "arn:lb", protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] })), { violations: [] });
  });

  it("rejects an HTTP listener that forwards, answers, or redirects without switching to HTTPS", async () => {
    const out = await runResource(policy, resourceArgs(aws.lb.Listener, {
      loadBalancerArn: "arn:lb",
      protocol: "HTTP",
      defaultActions: [
        { type: "forward", targetGroupArn: "arn:tg" },
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } },
        { type: "redirect", redirect: { host: "example.com", statusCode: "HTTP_302" } },
      ],
    }, { name: "http" }));
    assert.deepEqual(whats(out), [
      'aws.lb.Listener "http" is an HTTP listener whose defaultActions[0] is a forward action, not a redirect to HTTPS',
      'aws.lb.Listener "http" is an HTTP listener whose defaultActions[1] is a fixed-response action, not a redirect to HTTPS',
      'aws.lb.Listener "http" is an HTTP listener whose defaultActions[2] is a redirect to the same protocol, not a redirect to HTTPS',
    ]);
  });

  it("rejects a listener rule that forwards plain HTTP, found through the resource graph", async () => {
    const b = new StackBuilder();
    const http = b.add(aws.lb.Listener, "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", defaultActions: [redirect] });
    const https = b.add(aws.lb.Listener, "https", { loadBalancerArn: "arn:lb", protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] });
    const rule = { listenerArn: "pending", conditions: [{ pathPattern: { values: ["/api/*"] } }], actions: [{ type: "forward", targetGroupArn: "arn:tg" }] };
    b.add(aws.lb.ListenerRule, "http-api", rule, { unknowns: ["listenerArn"], dependsOn: { listenerArn: [http] } });
    b.add(aws.lb.ListenerRule, "https-api", rule, { unknowns: ["listenerArn"], dependsOn: { listenerArn: [https] } });
    const out = await runStack(policy, b.resources);
    assert.deepEqual(whats(out), ['aws.lb.ListenerRule "http-api" adds a forward action (actions[0]) to the HTTP listener aws.lb.Listener "http"']);
    assert.deepEqual(out.violations.map((v) => v.urn), ["urn:pulumi:test::pfv5::aws:lb/listenerRule:ListenerRule::http-api"]);
  });

  it("does not apply to other resources or to stacks without listener rules", async () => {
    assert.equal((await runResource(policy, resourceArgs(aws.lb.TargetGroup, { port: 3000 }))).notApplicable, "applies only to aws.lb.Listener, aws.alb.Listener");
    const b = new StackBuilder();
    b.add(aws.lb.Listener, "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", defaultActions: [redirect] });
    assert.equal((await runStack(policy, b.resources)).notApplicable, "applies only to aws.lb.ListenerRule, aws.alb.ListenerRule");
  });
});
