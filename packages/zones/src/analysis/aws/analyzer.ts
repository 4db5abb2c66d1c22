/**
 * `AwsAnalyzer`: what can reach what in an AWS network, on which ports, because of which
 * rules. Security groups are stateful allow-lists (the union of their rules, group
 * references matching the referenced group's interfaces); network ACLs are numbered,
 * first match wins, `*` denies the rest, and they are stateless; route tables decide
 * whether a subnet reaches the internet (an internet gateway with a public address, an
 * egress-only gateway, or a NAT gateway) and whether the internet reaches it.
 */
import { addressesOf, intersectAddresses, isEmptySet, addressesOverlap, type AddressSet } from "../addresses";
import { NO_TRAFFIC, hasPorts, intersectTraffic, restrictGrants, trafficOf, unionAllTraffic, unionTraffic, type Traffic } from "../grants";
import { buildMatrix, allows, rulesFor, type Query, type QueryAnswer, type ZoneAnalyzer, type ZoneMatrix } from "../matrix";
import { ADMINS, AWS_MATRIX_ZONES, FIREWALLS_ONLY, INTERNET, outsideZones, REACH, ROUTES_ONLY, VPN, type Layers, type OutsideZones } from "../zones";
import { AwsContext, type ParsedGroup, type SubnetClass } from "./context";
import { AWS_EPHEMERAL_PORTS, type AwsAnalysisOptions, type AwsModel } from "./model";
import { inbound, outbound, withinSubnets, type Peer, type RouteNeed, type SideOptions } from "./sides";

interface Attachment {
  readonly label: string;
  readonly groups: readonly ParsedGroup[];
  readonly groupIds: readonly string[];
  readonly classes: readonly SubnetClass[];
}

type End =
  | { readonly kind: "outside"; readonly addresses: AddressSet }
  | { readonly kind: "vpn"; readonly addresses: AddressSet }
  | { readonly kind: "workload"; readonly attachments: readonly Attachment[] };

export class AwsAnalyzer implements ZoneAnalyzer {
  readonly cloud = "aws" as const;
  readonly zones: readonly string[];
  private readonly ctx: AwsContext;
  private readonly outside: OutsideZones;
  private readonly attachments = new Map<string, Attachment[]>();
  private readonly vpnServerZone: string;
  private readonly masquerade: boolean;

  constructor(
    model: AwsModel,
    private readonly options: AwsAnalysisOptions,
    zones: readonly string[] = AWS_MATRIX_ZONES,
  ) {
    this.ctx = new AwsContext(model);
    this.zones = zones;
    this.vpnServerZone = options.vpnServerZone ?? "vpn-server";
    this.masquerade = options.vpnMasquerade ?? true;
    this.outside = outsideZones(options.adminCidrs, options.vpnCidr, model.vpcCidrs);
    for (const w of model.workloads) {
      const groups = w.groupIds.map((id) => this.ctx.group(id)).filter((g) => g !== undefined);
      const list = this.attachments.get(w.zone) ?? [];
      list.push({ label: w.label, groups, groupIds: w.groupIds, classes: this.ctx.classes(w.subnetIds, w.public) });
      this.attachments.set(w.zone, list);
    }
  }

  private end(zone: string): End {
    if (zone === INTERNET) return { kind: "outside", addresses: this.outside.internet };
    if (zone === ADMINS) return { kind: "outside", addresses: this.outside.admins };
    if (zone === VPN) return { kind: "vpn", addresses: this.outside.vpn };
    return { kind: "workload", attachments: this.attachments.get(zone) ?? [] };
  }

  private sideOptions(layers: Layers, route: RouteNeed): SideOptions {
    return { layers, route, ephemeral: this.options.ephemeralPorts ?? AWS_EPHEMERAL_PORTS };
  }

  /**
   * Workload to workload: both ends, plus the groups alone where both share a subnet.
   * `source` replaces A's addresses (VPN clients forwarded without masquerading): B's
   * groups then see those addresses, and no group reference matches them.
   */
  private betweenWorkloads(a: Attachment, b: Attachment, layers: Layers, source?: AddressSet): Traffic {
    const parts: Traffic[] = [];
    for (const ca of a.classes) {
      for (const cb of b.classes) {
        const src: Peer = source !== undefined ? { addresses: source, groupIds: [] } : { addresses: ca.addresses, groupIds: a.groupIds };
        const dst: Peer = { addresses: cb.addresses, groupIds: b.groupIds };
        const s = inbound(this.ctx, cb, b.groups, src, true, this.sideOptions(layers, source !== undefined ? "skip" : "local"));
        const d = outbound(this.ctx, ca, a.groups, dst, true, ca.addresses, this.sideOptions(layers, "local"));
        parts.push(intersectTraffic(s, d), this.sharedSubnets(ca, cb, a, b, src, layers, source !== undefined));
      }
    }
    return unionAllTraffic(parts);
  }

  /** The groups-only traffic of interface pairs that share a subnet (see `withinSubnets`). */
  private sharedSubnets(ca: SubnetClass, cb: SubnetClass, a: Attachment, b: Attachment, src: Peer, layers: Layers, fixedSrc: boolean): Traffic {
    const inA = new Set(ca.subnets.map((s) => s.id));
    const shared = cb.subnets.filter((s) => inA.has(s.id)).map((s) => this.ctx.subnetAddresses(s));
    return withinSubnets(shared, fixedSrc ? src : undefined, a.groupIds, b.groupIds, a.groups, b.groups, layers);
  }

  private pair(from: End, to: End, layers: Layers): Traffic {
    let out = NO_TRAFFIC;
    if (from.kind === "workload" && to.kind === "workload") {
      for (const a of from.attachments) for (const b of to.attachments) out = unionTraffic(out, this.betweenWorkloads(a, b, layers));
    } else if (from.kind === "outside" && to.kind === "workload") {
      for (const b of to.attachments) {
        for (const cb of b.classes) {
          out = unionTraffic(out, inbound(this.ctx, cb, b.groups, { addresses: from.addresses, groupIds: [] }, true, this.sideOptions(layers, "internet")));
        }
      }
    } else if (from.kind === "workload" && to.kind === "outside") {
      for (const a of from.attachments) {
        for (const ca of a.classes) {
          out = unionTraffic(out, outbound(this.ctx, ca, a.groups, { addresses: to.addresses, groupIds: [] }, true, ca.addresses, this.sideOptions(layers, "internet")));
        }
      }
    } else if (from.kind === "vpn" && to.kind === "workload") {
      // Clients' packets leave the VPN server's interfaces: with its own address when it
      // masquerades them (the shipped server does), else with the clients' addresses.
      for (const server of this.attachments.get(this.vpnServerZone) ?? []) {
        for (const b of to.attachments) {
          out = unionTraffic(out, this.betweenWorkloads(server, b, layers, this.masquerade ? undefined : from.addresses));
        }
      }
    }
    // Nothing opens connections towards VPN clients (the server forwards what they start,
    // and masquerading hides them); outside to outside, and the VPN to outside, are not
    // the cloud network's traffic.
    return out;
  }
  evaluate(from: string, to: string, layers: Layers = REACH): Traffic {
    return this.pair(this.end(from), this.end(to), layers);
  }

  matrix(layers: Layers = REACH): ZoneMatrix {
    return buildMatrix("aws", this.zones, (f, t) => this.evaluate(f, t, layers));
  }

  /** A zone name, or an address: inside the VPC, the workloads whose subnets hold it; outside, itself. */
  private resolve(text: string): End {
    if (this.zones.includes(text) || this.attachments.has(text)) return this.end(text);
    const addr = addressesOf([text]);
    if (addressesOverlap(addr, this.ctx.vpc)) {
      const attachments: Attachment[] = [];
      for (const list of this.attachments.values()) {
        for (const a of list) {
          const classes = a.classes
            .map((c) => ({ ...c, subnets: c.subnets.filter((s) => addressesOverlap(this.ctx.subnetAddresses(s), addr)), addresses: intersectAddresses(c.addresses, addr) }))
            .filter((c) => c.subnets.length > 0 && !isEmptySet(c.addresses));
          if (classes.length > 0) attachments.push({ ...a, label: `${a.label} at ${text}`, classes });
        }
      }
      return { kind: "workload", attachments };
    }
    if (addressesOverlap(addr, this.outside.vpn)) return { kind: "vpn", addresses: addr };
    return { kind: "outside", addresses: addr };
  }

  query(q: Query): QueryAnswer {
    const from = this.resolve(q.from);
    const to = this.resolve(q.to);
    const only = (t: Traffic): Traffic =>
      trafficOf((p) => (p !== q.protocol ? [] : hasPorts(p) && q.port !== undefined ? restrictGrants(t[p], [{ from: q.port, to: q.port }]) : t[p]));
    const reach = only(this.pair(from, to, REACH));
    if (allows(reach, q.protocol, q.port)) return { allowed: true, allowedBy: rulesFor(reach, q.protocol, q.port), deniedBy: [] };
    const deniedBy: string[] = [];
    if (!allows(only(this.pair(from, to, ROUTES_ONLY)), q.protocol, q.port)) {
      deniedBy.push("routing: no route between them (or no public address for internet traffic)");
    }
    const groups = only(this.pair(from, to, { groups: true, acls: false, routes: false }));
    if (!allows(groups, q.protocol, q.port)) deniedBy.push("security groups: no rule allows it (security groups deny what they do not allow)");
    const acls = only(this.pair(from, to, { groups: false, acls: true, routes: false }));
    if (!allows(acls, q.protocol, q.port)) deniedBy.push("network ACLs: an entry denies it one way or the other (or the `*` entry does)");
    if (deniedBy.length === 0 && !allows(only(this.pair(from, to, FIREWALLS_ONLY)), q.protocol, q.port)) {
      deniedBy.push("security groups and network ACLs: each allows it for some addresses, but not for the same ones");
    }
    if (deniedBy.length === 0) deniedBy.push("each layer allows it for some addresses, but not all of them for the same ones");
    return { allowed: false, allowedBy: [], deniedBy };
  }
}

/** The allowed traffic of a zone pair (a shortcut for one evaluation). */
export function awsReach(model: AwsModel, options: AwsAnalysisOptions, from: string, to: string): Traffic {
  return new AwsAnalyzer(model, options).evaluate(from, to);
}
