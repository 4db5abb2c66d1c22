import { strict as assert } from "node:assert";
import { AWS_ADDRESS_PLAN, AZURE_ADDRESS_PLAN } from "./plan";
import { checkAddressPlan, checkAdminCidrs, checkCidr } from "./validate";
import { ValidationError, throwIfProblems } from "./problems";
import { FLOWS, ROLES, zoneOf } from "./model";

describe("address plan validation", () => {
  it("accepts the default AWS plan for one to three zones and the Azure plan for one", () => {
    for (const n of [1, 2, 3]) assert.deepEqual(checkAddressPlan("plan", AWS_ADDRESS_PLAN, n), []);
    assert.deepEqual(checkAddressPlan("plan", AZURE_ADDRESS_PLAN, 1), []);
  });

  it("names overlapping subnets and both CIDRs", () => {
    const plan = { ...AWS_ADDRESS_PLAN, subnets: { ...AWS_ADDRESS_PLAN.subnets, data: ["10.0.10.128/25"] } };
    const problems = checkAddressPlan("pfv5:addressPlan", plan, 1);
    assert.deepEqual(problems, [
      {
        key: "pfv5:addressPlan.subnets.data[0]",
        value: "10.0.10.128/25",
        message: "overlaps pfv5:addressPlan.subnets.app[0] (10.0.10.0/24): choose disjoint blocks",
      },
    ]);
  });

  it("names a subnet outside the VPC", () => {
    const plan = { ...AWS_ADDRESS_PLAN, subnets: { ...AWS_ADDRESS_PLAN.subnets, mgmt: ["10.1.30.0/24"] } };
    assert.deepEqual(
      checkAddressPlan("p", plan, 1).map((p) => p.key + " " + p.message),
      ["p.subnets.mgmt[0] lies outside the network block 10.0.0.0/16: choose a block inside it"],
    );
  });

  it("refuses more zones than the plan has subnets for, once per tier", () => {
    const problems = checkAddressPlan("p", AWS_ADDRESS_PLAN, 4);
    assert.equal(problems.length, 4);
    assert.match(problems[0]?.message ?? "", /4 availability zones need 4 dmz subnets but the plan has 3/);
  });

  it("reports a malformed subnet without also reporting overlaps for it", () => {
    const plan = { ...AWS_ADDRESS_PLAN, subnets: { ...AWS_ADDRESS_PLAN.subnets, dmz: ["10.0.1.0/33"] } };
    const problems = checkAddressPlan("p", plan, 1);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? "", /not a valid CIDR block/);
  });
});

describe("admin CIDR validation", () => {
  it("accepts office blocks", () => {
    assert.deepEqual(checkAdminCidrs("pfv5:sshAllowedCidrs", ["203.0.113.0/24", "198.51.100.7/32"]), []);
  });

  it("refuses the whole internet, in either family or split in halves", () => {
    const problems = checkAdminCidrs("pfv5:sshAllowedCidrs", ["0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/1"]);
    assert.deepEqual(
      problems.map((p) => p.key),
      ["pfv5:sshAllowedCidrs[0]", "pfv5:sshAllowedCidrs[1]", "pfv5:sshAllowedCidrs[2]", "pfv5:sshAllowedCidrs[3]"],
    );
    assert.match(problems[0]?.message ?? "", /opens administrator access to a large part of the internet/);
  });

  it("asks for a list when given a string", () => {
    assert.match(checkAdminCidrs("k", "203.0.113.0/24")[0]?.message ?? "", /expected a list/);
  });

  it("names a non-string CIDR", () => {
    assert.deepEqual(checkCidr("k", 42), [{ key: "k", value: 42, message: "expected a CIDR block as text, e.g. 10.0.1.0/24" }]);
  });
});

describe("problems", () => {
  it("throws one error listing every problem with key, quoted value and fix", () => {
    assert.throws(
      () => throwIfProblems("stack aws-dev", [
        { key: "a", value: "x", message: "bad a" },
        { key: "b", value: [1], message: "bad b" },
      ]),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message === 'stack aws-dev: 2 problems\n  - a = "x": bad a\n  - b = [1]: bad b',
    );
  });

  it("lists a problem that two checks both found once", () => {
    const domain = { key: "domain", value: undefined, message: "is required" };
    assert.throws(
      () => throwIfProblems("stack", [domain, { key: "email", value: undefined, message: "is required" }, { ...domain }]),
      (e: unknown) => e instanceof ValidationError && e.message === "stack: 2 problems\n  - domain = undefined: is required\n  - email = undefined: is required",
    );
  });
});

describe("zone model", () => {
  it("gives every flow endpoint a known role and zone", () => {
    const roles = new Set(ROLES.map((r) => r.role));
    for (const f of FLOWS) {
      assert.ok(roles.has(f.from) && roles.has(f.to), f.id);
      assert.doesNotThrow(() => zoneOf(f.to));
    }
  });

  it("lets nothing leave the data zone and nothing from the internet reach past the DMZ", () => {
    assert.deepEqual(FLOWS.filter((f) => f.from === "data"), []);
    const inbound = FLOWS.filter((f) => zoneOf(f.from) === "internet").map((f) => zoneOf(f.to));
    assert.deepEqual([...new Set(inbound)], ["dmz"]);
  });

  it("has unique flow ids and valid port ranges", () => {
    assert.equal(new Set(FLOWS.map((f) => f.id)).size, FLOWS.length);
    for (const f of FLOWS) for (const p of f.ports) assert.ok(p.from >= 0 && p.from <= p.to && p.to <= 65535, f.id);
  });
});
