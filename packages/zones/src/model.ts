/**
 * The security-zone model: the one source of truth that components, stacks and policies
 * read. Plain data, no Pulumi.
 */

/** The network zones, from least to most trusted. */
export type ZoneName = "internet" | "dmz" | "app" | "data" | "mgmt" | "vpn";

export type ThreatLevel = "high" | "medium" | "low" | "minimal";

export interface Zone {
  readonly name: ZoneName;
  readonly description: string;
  /** The threat level the architecture assigns; `undefined` for the VPN client range. */
  readonly threat?: ThreatLevel;
  /** Whether workloads in the zone may reach the internet (through NAT for private zones). */
  readonly egressToInternet: boolean;
}

export const ZONES: readonly Zone[] = [
  { name: "internet", description: "untrusted clients", threat: "high", egressToInternet: true },
  { name: "dmz", description: "load balancers, WAF, NAT, bastion, VPN endpoint", threat: "medium", egressToInternet: true },
  { name: "app", description: "web API, business logic, context agents (MCA, NPA, WPA)", threat: "low", egressToInternet: true },
  { name: "data", description: "PostgreSQL, Redis, MongoDB, backups", threat: "minimal", egressToInternet: false },
  { name: "mgmt", description: "Prometheus, Grafana, logging", threat: "low", egressToInternet: true },
  { name: "vpn", description: "WireGuard clients", egressToInternet: false },
];

/**
 * A role is what a firewall rule talks about: a zone, or a part of one (the DMZ holds the
 * edge load balancers, the bastion and the VPN endpoint, each with its own rules).
 */
export type Role = "internet" | "admins" | "edge" | "bastion" | "vpn-server" | "app" | "data" | "mgmt" | "vpn-clients";

export interface RoleInfo {
  readonly role: Role;
  readonly zone: ZoneName;
  readonly description: string;
}

export const ROLES: readonly RoleInfo[] = [
  { role: "internet", zone: "internet", description: "any public address" },
  { role: "admins", zone: "internet", description: "the authorized administrator CIDRs (stack config)" },
  { role: "edge", zone: "dmz", description: "internet-facing load balancers" },
  { role: "bastion", zone: "dmz", description: "the SSH bastion host" },
  { role: "vpn-server", zone: "dmz", description: "the WireGuard endpoint" },
  { role: "app", zone: "app", description: "application services and context agents" },
  { role: "data", zone: "data", description: "databases and backups" },
  { role: "mgmt", zone: "mgmt", description: "monitoring and logging" },
  { role: "vpn-clients", zone: "vpn", description: "addresses handed to WireGuard peers" },
];

/** The zone a role lives in. */
export function zoneOf(role: Role): ZoneName {
  const info = ROLES.find((r) => r.role === role);
  if (info === undefined) throw new Error(`unknown role "${String(role)}": expected one of ${ROLES.map((r) => r.role).join(", ")}`);
  return info.zone;
}

export type Protocol = "tcp" | "udp" | "icmp" | "all";

/** An inclusive port range; `{ from: 0, to: 65535 }` with protocol "all" means every port. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export interface Flow {
  /** A stable identifier, used in rule names and descriptions. */
  readonly id: string;
  readonly from: Role;
  readonly to: Role;
  readonly protocol: Protocol;
  readonly ports: readonly PortRange[];
  readonly reason: string;
}

const port = (p: number): PortRange => ({ from: p, to: p });
export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** Well-known ports of the architecture, named once. */
export const PORTS = {
  http: 80,
  https: 443,
  ssh: 22,
  wireguard: 51820,
  app: 3000,
  agentsFrom: 8000,
  agentsTo: 9000,
  postgres: 5432,
  redis: 6379,
  mongodb: 27017,
  prometheus: 9090,
  nodeExporter: 9100,
  postgresExporter: 9187,
  redisExporter: 9121,
  mongodbExporter: 9216,
  dns: 53,
} as const;

/**
 * The allowed flows. Everything not listed is denied. Firewalls are generated from this
 * table and the zone-matrix policy compares what the resources allow with it.
 */
export const FLOWS: readonly Flow[] = [
  { id: "internet-edge-web", from: "internet", to: "edge", protocol: "tcp", ports: [port(PORTS.http), port(PORTS.https)], reason: "public web traffic; 80 only redirects to 443 and serves ACME http-01" },
  { id: "admins-bastion-ssh", from: "admins", to: "bastion", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administrator SSH from the authorized CIDRs only" },
  { id: "internet-vpn-wireguard", from: "internet", to: "vpn-server", protocol: "udp", ports: [port(PORTS.wireguard)], reason: "WireGuard handshakes and tunnel traffic" },
  { id: "edge-app-http", from: "edge", to: "app", protocol: "tcp", ports: [port(PORTS.app)], reason: "application traffic and load-balancer health checks" },
  { id: "app-app-agents", from: "app", to: "app", protocol: "tcp", ports: [{ from: PORTS.agentsFrom, to: PORTS.agentsTo }], reason: "context agents; 9000 is the gRPC coordination port" },
  { id: "app-data-db", from: "app", to: "data", protocol: "tcp", ports: [port(PORTS.postgres), port(PORTS.redis), port(PORTS.mongodb)], reason: "PostgreSQL, Redis and MongoDB clients" },
  { id: "mgmt-app-metrics", from: "mgmt", to: "app", protocol: "tcp", ports: [port(PORTS.prometheus), port(PORTS.nodeExporter)], reason: "metrics scrape" },
  { id: "mgmt-data-exporters", from: "mgmt", to: "data", protocol: "tcp", ports: [port(PORTS.postgresExporter), port(PORTS.redisExporter), port(PORTS.mongodbExporter)], reason: "database exporters scrape" },
  { id: "bastion-app-ssh", from: "bastion", to: "app", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration through the bastion" },
  { id: "bastion-data-ssh", from: "bastion", to: "data", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration through the bastion" },
  { id: "bastion-mgmt-ssh", from: "bastion", to: "mgmt", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration through the bastion" },
  { id: "vpn-app-ssh", from: "vpn-clients", to: "app", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration over the VPN" },
  { id: "vpn-data-ssh", from: "vpn-clients", to: "data", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration over the VPN" },
  { id: "vpn-mgmt-ssh", from: "vpn-clients", to: "mgmt", protocol: "tcp", ports: [port(PORTS.ssh)], reason: "administration over the VPN" },
  { id: "bastion-internet-https", from: "bastion", to: "internet", protocol: "tcp", ports: [port(PORTS.https)], reason: "package repositories, SSM and CloudWatch endpoints (the bastion cannot boot without it)" },
  { id: "vpn-server-internet-https", from: "vpn-server", to: "internet", protocol: "tcp", ports: [port(PORTS.https)], reason: "package repositories, SSM and CloudWatch endpoints" },
  { id: "app-internet-egress", from: "app", to: "internet", protocol: "all", ports: [ALL_PORTS], reason: "outbound only, through the NAT gateway" },
  { id: "mgmt-internet-egress", from: "mgmt", to: "internet", protocol: "all", ports: [ALL_PORTS], reason: "outbound only, through the NAT gateway" },
];

/** The flows into a role. */
export function flowsTo(role: Role, flows: readonly Flow[] = FLOWS): Flow[] {
  return flows.filter((f) => f.to === role);
}

/** The flows out of a role. */
export function flowsFrom(role: Role, flows: readonly Flow[] = FLOWS): Flow[] {
  return flows.filter((f) => f.from === role);
}

/** Ports that must never be reachable from the internet, whatever a rule says. */
export const ADMIN_PORTS: readonly PortRange[] = [port(PORTS.ssh), port(3389)];

/** The ports the internet may reach on the DMZ edge. */
export const INTERNET_EDGE_PORTS: readonly PortRange[] = [port(PORTS.http), port(PORTS.https)];
