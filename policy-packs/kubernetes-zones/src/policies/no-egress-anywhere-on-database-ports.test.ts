import * as assert from "node:assert/strict";
import { runResource, whats } from "../testing/harness";
import { aNamespace, networkPolicy as np, tcp } from "../testing/fixtures";
import { noEgressAnywhereOnDatabasePorts } from "./no-egress-anywhere-on-database-ports";

describe("no-egress-anywhere-on-database-ports", () => {
  it("passes database egress to named database pods and DNS egress to anywhere", async () => {
    const r = np("ok", "app", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: { matchLabels: { tier: "database" } } }], ports: [tcp(5432)] }, { ports: [{ protocol: "UDP", port: 53 }] }],
    });
    assert.deepEqual(whats(await runResource(noEgressAnywhereOnDatabasePorts, r)), []);
  });

  it("rejects `to: []`, a world ipBlock, every pod of every namespace, and port ranges or empty port lists that cover database ports", async () => {
    const r = np("bad", "app", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        { to: [], ports: [tcp(5432), tcp(6379)] },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [tcp(27000, 28000)] },
        { to: [{ namespaceSelector: {} }] },
        { to: [{ podSelector: { matchLabels: { tier: "database" } } }], ports: [tcp(5432)] },
      ],
    });
    assert.deepEqual(whats(await runResource(noEgressAnywhereOnDatabasePorts, r)), [
      'NetworkPolicy "bad" egress[0] allows database ports 5432, 6379, and it has no to, so it allows every destination',
      'NetworkPolicy "bad" egress[1] allows database ports 27017, and to[0] is the ipBlock 0.0.0.0/0',
      'NetworkPolicy "bad" egress[2] allows database ports 5432, 6379, 27017, and to[0] selects every pod of every namespace',
    ]);
  });

  it("ignores egress rules of a policy that does not isolate egress", async () => {
    const r = np("ingress-only", "app", { podSelector: {}, policyTypes: ["Ingress"], egress: [{ ports: [tcp(5432)] }] });
    assert.deepEqual(whats(await runResource(noEgressAnywhereOnDatabasePorts, r)), []);
  });

  it("is not applicable to other resource types", async () => {
    assert.equal((await runResource(noEgressAnywhereOnDatabasePorts, aNamespace())).notApplicable, "applies only to NetworkPolicy");
  });
});
