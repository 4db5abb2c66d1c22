/**
 * Validation of `AwsZoneFirewall` arguments and of every flow it turns into rules. A bad
 * flow (most often a user-supplied extra one) is refused here, naming the flow, before
 * anything is registered: AWS itself would accept some of these at preview and fail at
 * apply (protocol -1 with ports), and others it would accept and silently open too much.
 */
import {
  ADMIN_PORTS,
  ALL_PORTS,
  FLOWS,
  ROLES,
  checkAdminCidrs,
  checkCidr,
  cidrsOverlap,
  parseCidr,
  zoneOf,
  type Problem,
  type Role,
} from "@pfv5/zones";
import {
  AWS_DESCRIPTION_PATTERN,
  AWS_DMZ_ROLES,
  AWS_FIREWALL_RESERVED_TAG_KEYS,
  type AwsGroupRole,
} from "./defaults";
import { isCidrRole } from "./plan";

/** The arguments as received (config can carry anything). */
export interface AwsZoneFirewallArgsToCheck {
  readonly vpcCidr?: unknown;
  readonly adminCidrs?: unknown;
  readonly vpnCidr?: unknown;
  readonly flows?: unknown;
  readonly extraFlows?: unknown;
  readonly enableBastionSsh?: unknown;
  readonly nameTagPrefix?: unknown;
  readonly tags?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const ROLE_NAMES = ROLES.map((r) => r.role) as readonly string[];
const PROTOCOLS = ["tcp", "udp", "icmp", "all"] as const;
const FLOW_ID = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const isPort = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 65535;

/** Problems with one flow; `key` is where it sits, e.g. `extraFlows[2]`. */
export function checkAwsFlow(key: string, flow: unknown): Problem[] {
  if (!isRecord(flow)) return [{ key, value: flow, message: "expected a flow { id, from, to, protocol, ports, reason }" }];
  const problems: Problem[] = [];
  const id = flow["id"];
  const name = typeof id === "string" ? `flow "${id}"` : "this flow";
  const bad = (field: string, value: unknown, message: string): void => {
    problems.push({ key: `${key}.${field}`, value, message: `${name}: ${message}` });
  };

  if (typeof id !== "string" || !FLOW_ID.test(id)) {
    bad("id", id, "the id names its rules, so it must be 1 to 64 lower-case letters, digits and inner hyphens, e.g. app-cache-redis");
  }
  const roleOk = (field: "from" | "to"): Role | undefined => {
    const r = flow[field];
    if (typeof r === "string" && ROLE_NAMES.includes(r)) return r as Role;
    bad(field, r, `not a role: use one of ${ROLE_NAMES.join(", ")}`);
    return undefined;
  };
  const from = roleOk("from");
  const to = roleOk("to");

  const protocol = flow["protocol"];
  const protocolOk = typeof protocol === "string" && (PROTOCOLS as readonly string[]).includes(protocol);
  if (!protocolOk) bad("protocol", protocol, `expected one of ${PROTOCOLS.join(", ")}`);

  const ports = flow["ports"];
  const ranges: { from: number; to: number }[] = [];
  if (!Array.isArray(ports)) {
    bad("ports", ports, "expected a list of port ranges, e.g. [{ from: 443, to: 443 }]");
  } else {
    ports.forEach((p: unknown, i) => {
      const pk = `ports[${i}]`;
      if (!isRecord(p)) return bad(pk, p, "expected { from, to }");
      const [pf, pt] = [p["from"], p["to"]];
      if (!isPort(pf) || !isPort(pt)) return bad(pk, p, "ports are whole numbers from 0 to 65535");
      if (pf > pt) return bad(pk, p, `from-port ${pf} is above to-port ${pt}: swap them`);
      if (ranges.some((r) => r.from === pf && r.to === pt)) return bad(pk, p, "repeats an earlier range of this flow: list it once");
      ranges.push({ from: pf, to: pt });
    });
  }
  if (protocolOk && Array.isArray(ports)) {
    const wholeRange = ranges.length === 1 && ranges[0]?.from === ALL_PORTS.from && ranges[0]?.to === ALL_PORTS.to;
    if (protocol === "all" && ports.length > 0 && !wholeRange) {
      bad("ports", ports, 'protocol "all" covers every port, and AWS rejects protocol -1 with ports at apply: give ports [] or pick tcp or udp');
    }
    if (protocol === "icmp" && ports.length > 0) bad("ports", ports, "ICMP has no ports: give ports [] to allow ICMP");
    if ((protocol === "tcp" || protocol === "udp") && ports.length === 0) bad("ports", ports, `${protocol} needs at least one port range`);
  }

  const reason = flow["reason"];
  if (typeof reason !== "string" || reason.trim() === "") {
    bad("reason", reason, "every rule carries its reason in its description: say why the flow is allowed");
  } else if (typeof id === "string" && !AWS_DESCRIPTION_PATTERN.test(`${id}: ${reason}`)) {
    bad("reason", reason, "the description (\"<id>: <reason>\") must be at most 255 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*");
  }

  if (from !== undefined && to !== undefined) {
    if (isCidrRole(from) && isCidrRole(to)) {
      bad("to", to, `${from} and ${to} are both address ranges, so no security group carries the rule: one end must be a group role`);
    }
    if (zoneOf(from) === "internet" && !isCidrRole(to) && !AWS_DMZ_ROLES.includes(to as AwsGroupRole)) {
      bad("to", to, `internet ingress may reach only the DMZ roles (${AWS_DMZ_ROLES.join(", ")}): put the service behind the edge load balancer`);
    }
    const tcpish = protocol === "tcp" || protocol === "all";
    const adminPort = ranges.length === 0 && protocol === "all" ? ALL_PORTS : ranges.find((r) => ADMIN_PORTS.some((a) => r.from <= a.to && a.from <= r.to));
    if (from === "internet" && tcpish && adminPort !== undefined) {
      bad("ports", ports, "opens SSH or RDP to the whole internet: use from \"admins\" (the authorized CIDRs) or the VPN");
    }
    if (from === "data" && isCidrRole(to)) {
      bad("to", to, "data egress must stay inside the VPC: the data tier has no route out, give it flows to group roles only");
    }
  }
  return problems;
}

/** Every problem with the arguments of an `AwsZoneFirewall`, or none. */
export function checkAwsZoneFirewallArgs(args: AwsZoneFirewallArgsToCheck): Problem[] {
  const problems: Problem[] = [];
  const vpcBad = checkCidr("vpcCidr", args.vpcCidr);
  problems.push(...vpcBad);
  if (vpcBad.length === 0 && parseCidr(args.vpcCidr as string).version !== 4) {
    problems.push({ key: "vpcCidr", value: args.vpcCidr, message: "expected the VPC's IPv4 block, e.g. 10.0.0.0/16" });
  }
  problems.push(...checkAdminCidrs("adminCidrs", args.adminCidrs));
  if (args.vpnCidr !== undefined) {
    const vpnBad = checkCidr("vpnCidr", args.vpnCidr);
    problems.push(...vpnBad);
    if (vpnBad.length === 0 && vpcBad.length === 0 && cidrsOverlap(args.vpnCidr as string, args.vpcCidr as string)) {
      problems.push({ key: "vpnCidr", value: args.vpnCidr, message: `overlaps the VPC block ${String(args.vpcCidr)}: VPN clients need a range of their own, e.g. 10.100.0.0/24` });
    }
  }
  const bastion = args.enableBastionSsh;
  if (bastion !== undefined && typeof bastion !== "boolean") {
    problems.push({ key: "enableBastionSsh", value: bastion, message: "expected true or false" });
  }
  if (bastion !== false && Array.isArray(args.adminCidrs) && args.adminCidrs.length === 0) {
    problems.push({ key: "adminCidrs", value: args.adminCidrs, message: "bastion SSH is on but no CIDR may use it: list the administrators' blocks, or set enableBastionSsh to false" });
  }

  const ids = new Map<string, string>();
  // The default flows are checked too: a bad entry there would otherwise reach AWS.
  const lists = { flows: args.flows ?? FLOWS, extraFlows: args.extraFlows ?? [] };
  for (const field of ["flows", "extraFlows"] as const) {
    const list = lists[field];
    if (!Array.isArray(list)) {
      problems.push({ key: field, value: list, message: "expected a list of flows" });
      continue;
    }
    list.forEach((flow: unknown, i) => {
      const key = `${field}[${i}]`;
      problems.push(...checkAwsFlow(key, flow));
      const id = isRecord(flow) ? flow["id"] : undefined;
      if (typeof id !== "string") return;
      const earlier = ids.get(id);
      if (earlier !== undefined) problems.push({ key: `${key}.id`, value: id, message: `flow "${id}": ${earlier} has the same id; ids name the rules, so each must be unique` });
      else ids.set(id, key);
    });
  }

  if (args.nameTagPrefix !== undefined && (typeof args.nameTagPrefix !== "string" || args.nameTagPrefix === "")) {
    problems.push({ key: "nameTagPrefix", value: args.nameTagPrefix, message: "expected non-empty text" });
  }
  if (args.tags !== undefined) {
    if (!isRecord(args.tags)) {
      problems.push({ key: "tags", value: args.tags, message: 'expected an object of text values, e.g. { project: "pfv5" }' });
    } else {
      for (const [k, v] of Object.entries(args.tags)) {
        if (typeof v !== "string") problems.push({ key: `tags.${k}`, value: v, message: "expected a text value" });
        if (AWS_FIREWALL_RESERVED_TAG_KEYS.includes(k)) problems.push({ key: `tags.${k}`, value: v, message: `is set by the firewall itself (${AWS_FIREWALL_RESERVED_TAG_KEYS.join(", ")}): use another key` });
        if (k.toLowerCase().startsWith("aws:")) problems.push({ key: `tags.${k}`, value: v, message: "keys starting with aws: are reserved by AWS: use another key" });
      }
    }
  }
  return problems;
}
