import * as assert from "node:assert/strict";
import { parseCidr } from "@pfv5/zones";
import { azurePeer, cidrPeer, covers, isAdminSource, isInsideSite, isInternet, parseBlock, type Site } from "./addresses";

const site: Site = { adminCidrs: [parseCidr("203.0.113.0/24")], vpcCidr: parseCidr("10.0.0.0/16"), vpnCidr: parseCidr("10.100.0.0/24") };

describe("addresses", () => {
  it("parses single addresses as host blocks and masks host bits", () => {
    assert.equal(parseBlock("203.0.113.7")?.text, "203.0.113.7/32");
    assert.equal(parseBlock("10.0.1.5/24")?.text, "10.0.1.0/24");
    assert.equal(parseBlock("2001:db8::1")?.text, "2001:db8::1/128");
    assert.equal(parseBlock("10.0.0.0/33"), undefined);
    assert.equal(parseBlock("Internet"), undefined);
  });

  for (const text of ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "::/0", "203.0.113.0/24", "8.8.8.8"]) {
    it(`counts ${text} as the internet`, () => assert.equal(isInternet(cidrPeer(text), site), true));
  }

  for (const text of ["10.0.1.0/24", "172.16.0.0/12", "192.168.1.0/24", "10.100.0.0/24", "fd00::/8"]) {
    it(`does not count ${text} as the internet`, () => assert.equal(isInternet(cidrPeer(text), site), false));
  }

  it("counts a public VPC block as the site, not the internet", () => {
    const publicSite: Site = { ...site, vpcCidr: parseCidr("198.51.100.0/24") };
    assert.equal(isInternet(cidrPeer("198.51.100.128/25"), publicSite), false);
    assert.equal(isInsideSite(cidrPeer("198.51.100.128/25"), publicSite), true);
  });

  it("reads Azure prefixes: * and Internet are the internet, VirtualNetwork is not", () => {
    assert.equal(isInternet(azurePeer("*"), site), true);
    assert.equal(isInternet(azurePeer("Internet"), site), true);
    assert.equal(isInternet(azurePeer("AzureCloud"), site), true);
    assert.equal(isInternet(azurePeer("VirtualNetwork"), site), false);
    assert.equal(isInternet(azurePeer("AzureLoadBalancer"), site), false);
    assert.equal(isInsideSite(azurePeer("VirtualNetwork"), site), true);
  });

  it("treats text that is not an address as the internet", () => {
    assert.deepEqual(cidrPeer("10.0.0.0/40"), { kind: "invalid", text: "10.0.0.0/40" });
    assert.equal(isInternet(cidrPeer("10.0.0.0/40"), site), true);
  });

  it("accepts an admin source only inside a configured admin CIDR", () => {
    assert.equal(isAdminSource(cidrPeer("203.0.113.10/32"), site), true);
    assert.equal(isAdminSource(cidrPeer("203.0.112.0/23"), site), false);
    assert.equal(isAdminSource(cidrPeer("0.0.0.0/0"), site), false);
  });

  it("lets a deny cover an allow only when it covers every address of it", () => {
    assert.equal(covers(azurePeer("*"), cidrPeer("0.0.0.0/0")), true);
    assert.equal(covers(cidrPeer("0.0.0.0/0"), cidrPeer("203.0.113.0/24")), true);
    assert.equal(covers(cidrPeer("203.0.113.0/24"), cidrPeer("0.0.0.0/0")), false);
    assert.equal(covers(cidrPeer("0.0.0.0/0"), cidrPeer("::/0")), false);
  });
});
