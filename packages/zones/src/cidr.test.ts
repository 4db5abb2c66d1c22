import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  addressInCidr,
  cidrContains,
  cidrsOverlap,
  coversPublicSpace,
  formatAddress,
  lastAddress,
  parseCidr,
  splitCidr,
} from "./cidr";

const v4Block = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([n, prefix]) => {
    const host = 32 - prefix;
    const network = host === 32 ? 0n : (BigInt(n) >> BigInt(host)) << BigInt(host);
    return `${formatAddress(4, network)}/${prefix}`;
  });

describe("parseCidr", () => {
  it("parses IPv4 and IPv6 blocks into network, prefix and canonical text", () => {
    assert.deepEqual(parseCidr("10.0.1.0/24"), { version: 4, network: 0x0a000100n, prefix: 24, text: "10.0.1.0/24" });
    assert.equal(parseCidr("2001:db8:0:0::/32").text, "2001:db8::/32");
    assert.equal(parseCidr("::/0").prefix, 0);
  });

  const bad: [string, RegExp][] = [
    ["10.0.1.0", /prefix length is missing/],
    ["10.0.1.5/24", /host bits are set; the block is 10\.0\.1\.0\/24/],
    ["10.0.1.0/33", /from 0 to 32/],
    ["10.0.1/24", /four decimal parts/],
    ["300.0.0.0/8", /not an IPv4 or IPv6 address/],
    ["10.0.0.0/ 8", /whole number/],
    [" 10.0.0.0/8", /expected text/],
    ["", /expected text/],
  ];
  for (const [value, message] of bad) {
    it(`rejects "${value}" naming the value and the problem`, () => {
      assert.throws(() => parseCidr(value), (e: Error) => e.message.startsWith(`"${value}" is not a valid CIDR block`) && message.test(e.message));
    });
  }

  it("round-trips every canonical IPv4 block", () => {
    fc.assert(fc.property(v4Block, (text) => parseCidr(text).text === text));
  });
});

describe("containment and overlap", () => {
  it("knows the VPC contains its subnets and not its neighbours", () => {
    assert.equal(cidrContains("10.0.0.0/16", "10.0.20.0/24"), true);
    assert.equal(cidrContains("10.0.0.0/16", "10.1.0.0/24"), false);
    assert.equal(cidrContains("10.0.20.0/24", "10.0.0.0/16"), false);
    assert.equal(cidrContains("::/0", "10.0.0.0/8"), false);
  });

  it("finds overlaps between nested and adjacent blocks", () => {
    assert.equal(cidrsOverlap("10.0.10.0/24", "10.0.10.128/25"), true);
    assert.equal(cidrsOverlap("10.0.10.0/24", "10.0.11.0/24"), false);
  });

  it("agrees with address enumeration on random small IPv4 blocks", () => {
    const small = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([n, prefix]) => {
      const host = 32 - prefix;
      return `10.0.0.${(n >> host) << host}/${prefix}`;
    });
    fc.assert(
      fc.property(small, small, (a, b) => {
        const addrs = (c: string): Set<bigint> => {
          const out = new Set<bigint>();
          for (let x = parseCidr(c).network; x <= lastAddress(c); x += 1n) out.add(x);
          return out;
        };
        const A = addrs(a);
        const B = addrs(b);
        const shared = [...A].some((x) => B.has(x));
        const aHasB = [...B].every((x) => A.has(x));
        return cidrsOverlap(a, b) === shared && cidrContains(a, b) === aHasB;
      }),
    );
  });

  it("places single addresses", () => {
    assert.equal(addressInCidr("10.0.0.2", "10.0.0.0/16"), true);
    assert.equal(addressInCidr("192.0.2.1", "10.0.0.0/16"), false);
  });
});

describe("splitCidr", () => {
  it("splits a VPC into consecutive /24s from an offset", () => {
    assert.deepEqual(splitCidr("10.0.0.0/16", 24, 3, 10), ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"]);
  });

  it("refuses to take more blocks than the parent holds", () => {
    assert.throws(() => splitCidr("10.0.0.0/23", 24, 3), /holds only 2/);
  });

  it("yields disjoint blocks inside the parent for any split", () => {
    fc.assert(
      fc.property(v4Block, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 8 }), (parent, extra, count) => {
        const p = parseCidr(parent);
        const newPrefix = Math.min(32, p.prefix + extra);
        const available = 2 ** (newPrefix - p.prefix);
        const n = Math.min(count, available);
        const parts = splitCidr(parent, newPrefix, n);
        return (
          parts.length === n &&
          parts.every((c) => cidrContains(parent, c)) &&
          parts.every((c, i) => parts.every((d, j) => i === j || !cidrsOverlap(c, d)))
        );
      }),
    );
  });
});

describe("coversPublicSpace", () => {
  const table: [string, boolean][] = [
    ["0.0.0.0/0", true],
    ["0.0.0.0/1", true],
    ["128.0.0.0/1", true],
    ["203.0.113.0/24", true],
    ["8.8.8.8/32", true],
    ["::/0", true],
    ["2001:db8::/32", true],
    ["10.0.0.0/8", false],
    ["10.0.0.0/16", false],
    ["172.16.0.0/12", false],
    ["192.168.1.0/24", false],
    ["100.64.0.0/10", false],
    ["fd00::/8", false],
    ["10.0.0.0/7", true],
  ];
  for (const [cidr, expected] of table) {
    it(`says ${cidr} ${expected ? "covers" : "does not cover"} public address space`, () => {
      assert.equal(coversPublicSpace(cidr), expected);
    });
  }
});
