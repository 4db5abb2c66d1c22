import { strict as assert } from "node:assert";
import { FLOWS } from "@pfv5/zones";
import { renderNftables, type NftablesInput } from "./nftables";

const base: NftablesInput = {
  roles: ["bastion", "vpn-server"],
  roleCidrs: {
    admins: ["203.0.113.0/28", "2001:db8:1::/48"],
    app: ["10.0.10.0/24", "10.0.11.0/24"],
    data: ["10.0.20.0/24"],
    mgmt: ["10.0.30.0/24"],
  },
  wireguard: { interfaceName: "wg0", vpnCidr: "10.100.0.0/24", dns: ["10.0.0.2"] },
  rateLimit: { perMinute: 4, burst: 4 },
  dropLogPerMinute: 10,
};

/** The rules of one chain, without comments and blank lines. */
function chain(ruleset: string, name: string): string[] {
  const m = new RegExp(`\\n  chain ${name} \\{\\n([\\s\\S]*?)\\n  \\}`).exec(ruleset);
  if (m?.[1] === undefined) return [];
  return m[1]
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function dports(rules: readonly string[]): string[] {
  return rules.flatMap((r) => [...r.matchAll(/dport (\S+)/g)].map((m) => m[1] ?? ""));
}

describe("nftables ruleset", () => {
  it("drops by default on input and forward and accepts loopback and established traffic first", () => {
    const r = renderNftables(base);
    const input = chain(r, "input");
    assert.deepEqual(input.slice(0, 6), [
      "type filter hook input priority filter; policy drop;",
      'iif "lo" accept',
      'iif != "lo" ip daddr 127.0.0.0/8 drop',
      'iif != "lo" ip6 daddr ::1 drop',
      "ct state invalid drop",
      "ct state established,related accept",
    ]);
    assert.equal(chain(r, "forward")[0], "type filter hook forward priority filter; policy drop;");
  });

  it("places each per-source SSH rate limit directly before the accept it guards, per address family", () => {
    const input = chain(renderNftables(base), "input").filter((l) => l.includes("dport 22"));
    assert.deepEqual(input, [
      'ip saddr { 203.0.113.0/28 } tcp dport 22 ct state new update @ratelimit_admins_bastion_ssh_v4 { ip saddr limit rate over 4/minute burst 4 packets } counter name "rate_limited_admins_bastion_ssh" drop',
      "ip saddr { 203.0.113.0/28 } tcp dport 22 accept",
      'ip6 saddr { 2001:db8:1::/48 } tcp dport 22 ct state new update @ratelimit_admins_bastion_ssh_v6 { ip6 saddr limit rate over 4/minute burst 4 packets } counter name "rate_limited_admins_bastion_ssh" drop',
      "ip6 saddr { 2001:db8:1::/48 } tcp dport 22 accept",
    ]);
  });

  it("opens exactly SSH and the WireGuard port on a host that plays both roles", () => {
    const input = chain(renderNftables(base), "input");
    assert.deepEqual([...new Set(dports(input))], ["22", "51820"]);
    assert.ok(input.includes("udp dport 51820 accept"));
  });

  it("opens nothing but SSH on a bastion, and forwards and translates nothing", () => {
    const r = renderNftables({ ...base, roles: ["bastion"] });
    assert.deepEqual([...new Set(dports(chain(r, "input")))], ["22"]);
    assert.deepEqual(chain(r, "forward").slice(1), ['limit rate 10/minute burst 5 packets log prefix "pfv5-drop-forward: " level warn', 'counter name "forward_dropped"']);
    assert.doesNotMatch(r, /chain postrouting/);
  });

  it("opens no port at all when SSH is off and there is no VPN (Session Manager only)", () => {
    const r = renderNftables({ ...base, roles: [] });
    assert.deepEqual(dports(chain(r, "input")), []);
    assert.doesNotMatch(r, /tcp dport|udp dport|masquerade/);
  });

  it("lets VPN clients reach only tcp 22 in the private tiers and DNS on the resolver, from the tunnel", () => {
    const forward = chain(renderNftables(base), "forward");
    assert.deepEqual(forward, [
      "type filter hook forward priority filter; policy drop;",
      "ct state invalid drop",
      "ct state established,related accept",
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.10.0/24, 10.0.11.0/24 } tcp dport 22 accept',
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.20.0/24 } tcp dport 22 accept',
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.30.0/24 } tcp dport 22 accept',
      'iifname "wg0" ip saddr 10.100.0.0/24 ip daddr { 10.0.0.2/32 } meta l4proto { tcp, udp } th dport 53 accept',
      'limit rate 10/minute burst 5 packets log prefix "pfv5-drop-forward: " level warn',
      'counter name "forward_dropped"',
    ]);
  });

  it("masquerades tunnel traffic to the VPC targets without naming an interface", () => {
    const r = renderNftables(base);
    assert.deepEqual(chain(r, "postrouting"), [
      "type nat hook postrouting priority srcnat; policy accept;",
      "ip saddr 10.100.0.0/24 ip daddr { 10.0.10.0/24, 10.0.11.0/24, 10.0.20.0/24, 10.0.30.0/24, 10.0.0.2/32 } masquerade",
    ]);
    assert.doesNotMatch(r, /eth0|oifname/);
  });

  it("restricts the WireGuard port to the listed sources when the internet role has CIDRs", () => {
    const r = renderNftables({ ...base, roleCidrs: { ...base.roleCidrs, internet: ["198.51.100.0/24"] } });
    assert.ok(chain(r, "input").includes("ip saddr { 198.51.100.0/24 } udp dport 51820 accept"));
    assert.ok(!chain(r, "input").includes("udp dport 51820 accept"));
  });

  it("logs drops at a limited rate and counts them, after every accept", () => {
    const input = chain(renderNftables(base), "input");
    assert.deepEqual(input.slice(-2), ['limit rate 10/minute burst 5 packets log prefix "pfv5-drop-input: " level warn', 'counter name "input_dropped"']);
  });

  it("replaces only its own table, so other tables (fail2ban's) survive a reload", () => {
    const r = renderNftables(base);
    assert.match(r, /^table inet pfv5\ndelete table inet pfv5\ntable inet pfv5 \{$/m);
    assert.doesNotMatch(r, /flush ruleset/);
  });

  it("refuses a flow whose source role has no CIDRs instead of opening it to everyone", () => {
    const extra = [...FLOWS, { id: "mgmt-bastion-metrics", from: "mgmt" as const, to: "bastion" as const, protocol: "tcp" as const, ports: [{ from: 9100, to: 9100 }], reason: "scrape" }];
    const { mgmt: _omitted, ...withoutMgmt } = base.roleCidrs;
    assert.throws(() => renderNftables({ ...base, roleCidrs: withoutMgmt, flows: extra }), /flow "mgmt-bastion-metrics" involves role "mgmt" but no CIDRs were given/);
  });

  it("needs the tunnel settings for the VPN role", () => {
    const { wireguard: _omitted, ...noTunnel } = base;
    assert.throws(() => renderNftables(noTunnel), /the "vpn-server" role needs the wireguard settings/);
  });

  it("renders the same text for the same input", () => {
    assert.equal(renderNftables(base), renderNftables({ ...base }));
  });
});
