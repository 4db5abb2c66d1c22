import * as assert from "node:assert/strict";
import { describe as describeSet, EVERYTHING, intersect, isEmpty, NOTHING, subtract, traffic, union } from "./traffic";

describe("traffic sets", () => {
  it("merges overlapping and adjacent port ranges", () => {
    const s = union(traffic("tcp", [{ from: 80, to: 80 }]), traffic("tcp", [{ from: 81, to: 90 }, { from: 443, to: 443 }]));
    assert.deepEqual(s.tcp, [{ from: 80, to: 90 }, { from: 443, to: 443 }]);
    assert.equal(describeSet(s), "tcp 80-90, 443");
  });

  it("takes a port out of the middle of a range", () => {
    const s = subtract(traffic("tcp", [{ from: 1024, to: 65535 }]), traffic("tcp", [{ from: 3389, to: 3389 }]));
    assert.deepEqual(s.tcp, [{ from: 1024, to: 3388 }, { from: 3390, to: 65535 }]);
  });

  it("finds the admin ports inside protocol all", () => {
    const hit = intersect(traffic("all"), traffic("tcp", [{ from: 22, to: 22 }]));
    assert.equal(describeSet(hit), "tcp 22");
  });

  it("keeps every other protocol when only one listed protocol is removed", () => {
    const s = subtract(EVERYTHING, traffic({ other: "esp" }));
    assert.equal(s.other, "all");
    assert.equal(describeSet(s), "all traffic");
  });

  it("reads protocol all minus tcp as the rest", () => {
    const s = subtract(traffic("all"), traffic("tcp"));
    assert.equal(describeSet(s), "udp every port; icmp; icmpv6; every other IP protocol");
  });

  it("treats the empty set as empty and everything as all traffic", () => {
    assert.equal(isEmpty(NOTHING), true);
    assert.equal(isEmpty(traffic("icmp")), false);
    assert.equal(describeSet(EVERYTHING), "all traffic");
  });
});
