/**
 * The matrix the zone model declares, per cloud: what each pair of zones must be able to
 * open (`required`) and what it may open (`permitted`). The flows of the model are both;
 * what follows from them, and what a cloud cannot tell apart, is permitted only. Every
 * such rule is listed in {@link DECLARED_MATRIX_NOTES}, with its reason.
 */
import { FLOWS, INTERNET_EDGE_PORTS, type Flow, type PortRange, type Role } from "../model";
import { PROTOS, type Proto } from "./grants";
import { ALL_PORT_SPANS, intersectSpans, normalizeSpans, unionSpans, type Span } from "./intervals";
import type { Cloud, PortsByProto } from "./matrix";
import { ADMINS, AWS_MATRIX_ZONES, AZURE_MATRIX_ZONES, INTERNET, SERVICES, VPN } from "./zones";

export interface DeclaredCell {
  readonly from: string;
  readonly to: string;
  readonly required: PortsByProto;
  readonly permitted: PortsByProto;
  /** The flows and notes behind the permitted traffic. */
  readonly reasons: readonly string[];
}

export interface DeclaredMatrix {
  readonly cloud: Cloud;
  readonly zones: readonly string[];
  readonly cells: readonly DeclaredCell[];
}

export interface DeclaredOptions {
  /** @default FLOWS */
  readonly flows?: readonly Flow[];
  /** Whether the VPN server masquerades its clients. @default true */
  readonly vpnMasquerade?: boolean;
  /** Azure: ports load balancer probes may reach, per zone. @default { dmz: INTERNET_EDGE_PORTS } */
  readonly loadBalancerProbes?: Readonly<Record<string, readonly PortRange[]>>;
  /** Azure: service-tag egress per zone (the data subnet's service endpoints). @default AZURE_SERVICE_EGRESS */
  readonly serviceEgress?: Readonly<Record<string, readonly PortRange[]>>;
}

/** Storage (tcp 443) and SQL (tcp 1433, and 11000-11999 for the redirect policy) endpoints of the data subnet. */
export const AZURE_SERVICE_EGRESS: Readonly<Record<string, readonly PortRange[]>> = {
  data: [
    { from: 443, to: 443 },
    { from: 1433, to: 1433 },
    { from: 11000, to: 11999 },
  ],
};

/** Why the declared matrix holds more than the flows, and where a cloud differs. */
export const DECLARED_MATRIX_NOTES: readonly { readonly id: string; readonly clouds: readonly Cloud[]; readonly text: string }[] = [
  { id: "admins-are-internet", clouds: ["aws", "azure"], text: "The admin CIDRs are internet addresses: they may reach what the internet reaches, and whatever may reach the internet may reach them." },
  {
    id: "via-internet",
    clouds: ["aws", "azure"],
    text: "A zone that may reach the internet on a port may reach, on that port, what the internet reaches (out through its gateway and back in to the public address; on AWS a 0.0.0.0/0 rule also admits VPC addresses directly). Permitted, not required.",
  },
  {
    id: "vpn-masquerade",
    clouds: ["aws", "azure"],
    text: "The WireGuard server masquerades its clients, so inside the network their packets carry the server's address: flows of the vpn zone are the server's traffic (AWS: vpn-server; Azure: the DMZ subnet), and the server may open what its clients may.",
  },
  {
    id: "azure-shared-dmz",
    clouds: ["azure"],
    text: "edge, bastion and vpn-server share the Azure DMZ subnet and NSGs name subnets by address block, so Azure has one dmz zone holding the flows of all three roles (e.g. dmz to app: tcp 22 and 3000).",
  },
  {
    id: "azure-services",
    clouds: ["azure"],
    text: "Service tags (Storage, Sql, ...) are public ranges: the services zone may reach and be reached like the internet, plus the load balancer probes into the DMZ (tcp 80, 443) and the data subnet's service endpoints (tcp 443, 1433, 11000-11999).",
  },
  { id: "all-protocols", clouds: ["aws", "azure"], text: "A flow on every protocol requires tcp and udp on every port; icmp and other protocols are permitted, not required (NAT gateways carry tcp, udp and icmp only)." },
  { id: "no-vpn-destinations", clouds: ["aws", "azure"], text: "Nothing opens connections to VPN clients, and their traffic leaves the VPN server only into the site: the vpn column is empty and vpn to internet is not analyzed." },
];

const AZURE_DMZ_ROLES: readonly Role[] = ["edge", "bastion", "vpn-server"];

/** The matrix zone of a role of the zone model. */
export function matrixZoneOf(cloud: Cloud, role: Role): string {
  if (role === "vpn-clients") return VPN;
  if (cloud === "azure" && AZURE_DMZ_ROLES.includes(role)) return "dmz";
  return role;
}

/** The zone whose routes a matrix zone shares: the AWS DMZ roles share the DMZ subnets. */
export function routingZoneOf(cloud: Cloud, zone: string): string {
  return cloud === "aws" && (AZURE_DMZ_ROLES as readonly string[]).includes(zone) ? "dmz" : zone;
}

type Mutable = { required: Record<Proto, Span[]>; permitted: Record<Proto, Span[]>; reasons: Set<string> };

const empty = (): Record<Proto, Span[]> => ({ tcp: [], udp: [], icmp: [], icmpv6: [], other: [] });

function flowPorts(flow: Flow): { required: Record<Proto, Span[]>; permitted: Record<Proto, Span[]> } {
  const required = empty();
  const permitted = empty();
  if (flow.protocol === "all") {
    for (const p of PROTOS) permitted[p] = [...ALL_PORT_SPANS];
    required.tcp = [...ALL_PORT_SPANS];
    required.udp = [...ALL_PORT_SPANS];
  } else if (flow.protocol === "icmp") {
    permitted.icmp = required.icmp = [...ALL_PORT_SPANS];
    permitted.icmpv6 = [...ALL_PORT_SPANS];
  } else {
    permitted[flow.protocol] = required[flow.protocol] = normalizeSpans(flow.ports);
  }
  return { required, permitted };
}

/** The declared matrix of a cloud. */
export function declaredMatrix(cloud: Cloud, options: DeclaredOptions = {}): DeclaredMatrix {
  const zones = cloud === "aws" ? AWS_MATRIX_ZONES : AZURE_MATRIX_ZONES;
  const cells = new Map<string, Mutable>();
  for (const f of zones) for (const t of zones) cells.set(`${f}>${t}`, { required: empty(), permitted: empty(), reasons: new Set() });
  const cell = (f: string, t: string): Mutable | undefined => cells.get(`${f}>${t}`);
  const permit = (f: string, t: string, ports: Readonly<Record<Proto, readonly Span[]>>, reason: string): void => {
    const c = cell(f, t);
    if (c === undefined || PROTOS.every((p) => ports[p].length === 0)) return;
    for (const p of PROTOS) c.permitted[p] = unionSpans(c.permitted[p], ports[p]);
    c.reasons.add(reason);
  };
  const permitted = (f: string, t: string): Record<Proto, Span[]> => cell(f, t)?.permitted ?? empty();
  const outside = new Set([INTERNET, ADMINS, SERVICES, VPN]);
  const inside = zones.filter((z) => !outside.has(z));

  for (const flow of options.flows ?? FLOWS) {
    const c = cell(matrixZoneOf(cloud, flow.from), matrixZoneOf(cloud, flow.to));
    if (c === undefined) continue;
    const ports = flowPorts(flow);
    for (const p of PROTOS) {
      c.required[p] = unionSpans(c.required[p], ports.required[p]);
      c.permitted[p] = unionSpans(c.permitted[p], ports.permitted[p]);
    }
    c.reasons.add(flow.id);
  }
  const masquerade = options.vpnMasquerade ?? true;
  const server = cloud === "aws" ? "vpn-server" : "dmz";
  if (masquerade) for (const y of inside) permit(server, y, permitted(VPN, y), "vpn-masquerade");
  for (const x of zones.filter((z) => z !== INTERNET)) {
    for (const y of inside) {
      const out = permitted(x, INTERNET);
      const inn = permitted(INTERNET, y);
      permit(x, y, Object.fromEntries(PROTOS.map((p) => [p, intersectSpans(out[p], inn[p])])) as Record<Proto, Span[]>, "via-internet");
    }
  }
  if (masquerade) for (const y of inside) permit(VPN, y, permitted(server, y), "vpn-masquerade");
  const tcp = (ports: readonly PortRange[]): Record<Proto, Span[]> => ({ ...empty(), tcp: normalizeSpans(ports) });
  for (const z of zones) {
    permit(ADMINS, z, permitted(INTERNET, z), "admins-are-internet");
    permit(z, ADMINS, permitted(z, INTERNET), "admins-are-internet");
    if (cloud === "azure") {
      permit(SERVICES, z, permitted(INTERNET, z), "azure-services");
      permit(z, SERVICES, permitted(z, INTERNET), "azure-services");
    }
  }
  if (cloud === "azure") {
    for (const [z, ports] of Object.entries(options.loadBalancerProbes ?? { dmz: INTERNET_EDGE_PORTS })) permit(SERVICES, z, tcp(ports), "azure-services");
    for (const [z, ports] of Object.entries(options.serviceEgress ?? AZURE_SERVICE_EGRESS)) permit(z, SERVICES, tcp(ports), "azure-services");
  }
  const out: DeclaredCell[] = [];
  for (const f of zones) {
    for (const t of zones) {
      const c = cell(f, t);
      if (c !== undefined) out.push({ from: f, to: t, required: c.required, permitted: c.permitted, reasons: [...c.reasons] });
    }
  }
  return { cloud, zones, cells: out };
}

export function declaredCell(m: DeclaredMatrix, from: string, to: string): DeclaredCell | undefined {
  return m.cells.find((c) => c.from === from && c.to === to);
}
