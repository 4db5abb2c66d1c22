/**
 * What the zone model allows in from the internet, and what each rule actually exposes.
 */
import { ADMIN_PORTS, FLOWS, PORTS, type PortRange } from "@pfv5/zones";
import { isAdminSource, isInternet, type Peer, type Site } from "./addresses";
import { effectiveTraffic, type Rule } from "./rules";
import { egressToInternet, type Scope } from "./targets";
import { isEmpty, traffic, union, type TrafficSet } from "./traffic";

/**
 * Ports the replies to outbound connections come back on. Network ACLs are stateless, so a
 * tier whose workloads reach the internet (directly or through the NAT gateway, which keeps
 * the internet address as the source) needs an inbound allow for them; that is return
 * traffic, not a service opened to the internet.
 */
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };

/** SSH and RDP, on either transport: never reachable from the internet. */
export const ADMIN_TRAFFIC: TrafficSet = union(traffic("tcp", ADMIN_PORTS), traffic("udp", ADMIN_PORTS));

/** Administrator SSH, the one admin port the authorized CIDRs may reach (on the bastion). */
export const ADMIN_SSH: TrafficSet = traffic("tcp", [{ from: PORTS.ssh, to: PORTS.ssh }]);

/** The traffic the zone model lets in from the internet (or, with `fromAdmins`, from the authorized CIDRs) to `scope`. */
export function allowedFromInternet(scope: Scope, fromAdmins: boolean): TrafficSet {
  const flows = FLOWS.filter((f) => scope.roles.includes(f.to) && (f.from === "internet" || (fromAdmins && f.from === "admins")));
  const allowed = union(...flows.map((f) => traffic(f.protocol, f.ports)));
  if (!scope.stateless || !egressToInternet(scope.zone)) return allowed;
  return union(allowed, traffic("tcp", [EPHEMERAL_PORTS]), traffic("udp", [EPHEMERAL_PORTS]));
}

/** One internet source of one allow rule, with what it really lets through. */
export interface Exposure {
  readonly rule: Rule;
  readonly peer: Peer;
  readonly traffic: TrafficSet;
  /** Whether the source lies inside the authorized administrator CIDRs. */
  readonly fromAdmins: boolean;
}

/** Every internet source of the inbound allow rules in `rules`, after earlier deny rules. */
export function internetExposures(rules: readonly Rule[], site: Site): Exposure[] {
  return rules
    .filter((r) => r.direction === "ingress" && r.action === "allow")
    .flatMap((rule) =>
      rule.peers
        .filter((peer) => isInternet(peer, site))
        .map((peer) => ({ rule, peer, traffic: effectiveTraffic(rule, peer, rules), fromAdmins: isAdminSource(peer, site) }))
        .filter((e) => !isEmpty(e.traffic)),
    );
}
