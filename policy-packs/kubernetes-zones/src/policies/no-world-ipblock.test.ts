import * as assert from "node:assert/strict";
import { runResource, whats } from "../testing/harness";
import { aNamespace, networkPolicy as np, tcp } from "../testing/fixtures";
import { noWorldIpBlock } from "./no-world-ipblock";

describe("no-world-ipblock", () => {
  it("passes a named outside block", async () => {
    const r = np("ok", "app", { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "198.51.100.0/24" } }], ports: [tcp(443)] }] });
    assert.deepEqual(whats(await runResource(noWorldIpBlock, r)), []);
  });

  it("rejects 0.0.0.0/0 (except lists included), ::/0, a public /1 and an invalid block", async () => {
    const r = np("world", "app", {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: "::/0" } }] }],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }, { ipBlock: { cidr: "128.0.0.0/1" } }, { ipBlock: { cidr: "10.0.0.1/8" } }] }],
    });
    const found = whats(await runResource(noWorldIpBlock, r));
    assert.deepEqual(found.slice(0, 3), [
      'NetworkPolicy "world" in namespace "app": ingress[0].from[0] ipBlock ::/0 is the whole address space',
      'NetworkPolicy "world" in namespace "app": egress[0].to[0] ipBlock 0.0.0.0/0 is the whole address space',
      'NetworkPolicy "world" in namespace "app": egress[0].to[1] ipBlock 128.0.0.0/1 covers a large part of the internet (prefix /1)',
    ]);
    assert.match(found[3] ?? "", /egress\[0\]\.to\[2\] ipBlock 10\.0\.0\.1\/8 is not a valid CIDR block \(.*host bits are set/);
    assert.equal(found.length, 4);
  });

  it("allows the whole internet in the ingress namespace, where the controller takes outside traffic", async () => {
    const r = np("edge", "ingress-nginx", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] }] });
    assert.deepEqual(whats(await runResource(noWorldIpBlock, r)), []);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(noWorldIpBlock, aNamespace())).notApplicable, "applies only to NetworkPolicy");
  });
});
