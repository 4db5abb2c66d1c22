import * as assert from "node:assert/strict";
import { declaredCell, declaredMatrix, DECLARED_MATRIX_NOTES } from "./declared";
import { FLOWS } from "../model";
import { formatPorts } from "./matrix";

const cell = (cloud: "aws" | "azure", from: string, to: string) => {
  const c = declaredCell(declaredMatrix(cloud), from, to);
  if (c === undefined) throw new Error(`no cell ${from} -> ${to}`);
  return { required: formatPorts(c.required), permitted: formatPorts(c.permitted), reasons: c.reasons };
};

describe("the declared matrix", () => {
  it("requires and permits each flow of the zone model between its roles' zones", () => {
    assert.deepEqual(cell("aws", "edge", "app"), { required: "tcp 3000", permitted: "tcp 3000", reasons: ["edge-app-http"] });
    assert.deepEqual(cell("aws", "admins", "bastion"), { required: "tcp 22", permitted: "tcp 22", reasons: ["admins-bastion-ssh"] });
    assert.deepEqual(cell("aws", "data", "internet"), { required: "-", permitted: "-", reasons: [] });
  });

  it("requires tcp and udp of a flow on every protocol and permits the rest", () => {
    assert.deepEqual(cell("aws", "app", "internet"), { required: "tcp all; udp all", permitted: "all", reasons: ["app-internet-egress"] });
  });

  it("permits, without requiring, what follows from the flows: through the internet, for the admins, for the masquerading VPN server", () => {
    assert.deepEqual(cell("aws", "app", "edge"), { required: "-", permitted: "tcp 80,443", reasons: ["via-internet"] });
    assert.deepEqual(cell("aws", "admins", "edge"), { required: "-", permitted: "tcp 80,443", reasons: ["admins-are-internet"] });
    assert.deepEqual(cell("aws", "vpn-server", "data"), { required: "-", permitted: "tcp 22", reasons: ["vpn-masquerade"] });
    assert.deepEqual(cell("aws", "vpn", "data"), { required: "tcp 22", permitted: "tcp 22", reasons: ["vpn-data-ssh", "vpn-masquerade"] });
  });

  it("merges the DMZ roles on Azure, and permits the platform's probes and the data tier's service endpoints", () => {
    assert.deepEqual(cell("azure", "dmz", "app"), { required: "tcp 22,3000", permitted: "tcp 22,3000", reasons: ["edge-app-http", "bastion-app-ssh", "vpn-masquerade"] });
    assert.deepEqual(cell("azure", "services", "dmz"), { required: "-", permitted: "tcp 80,443; udp 51820", reasons: ["azure-services"] });
    assert.deepEqual(cell("azure", "data", "services"), { required: "-", permitted: "tcp 443,1433,11000-11999", reasons: ["azure-services"] });
  });

  it("documents every note a cell can name", () => {
    const ids = new Set(DECLARED_MATRIX_NOTES.map((n) => n.id));
    for (const cloud of ["aws", "azure"] as const) {
      // A reason is a note or a flow of the zone model.
      for (const c of declaredMatrix(cloud).cells) for (const r of c.reasons) assert.ok(ids.has(r) || FLOWS.some((f) => f.id === r), r);
    }
    for (const n of DECLARED_MATRIX_NOTES) assert.ok(n.text.length > 40, n.id);
  });
});
