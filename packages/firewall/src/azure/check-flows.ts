/**
 * Validation of flows: each must be well formed and fit the zone model (internet ingress
 * only to the DMZ, no SSH or RDP from the internet, no egress from the data tier).
 */
import { ADMIN_PORTS, ALL_PORTS, FLOWS, ROLES, coversPublicSpace, cidrsOverlap, zoneOf } from "@pfv5/zones";
import type { Problem, Role } from "@pfv5/zones";
import { checkIpv4Cidr, checkPortRange, isAllPorts, isPortRange, isRecord, portsOverlap } from "./check-basics";
import { MAX_RULE_NAME_LENGTH, NSG_EGRESS_LOCKED_TIERS } from "./model";
import { tierOfRole } from "./plan";

const ROLE_NAMES: readonly string[] = ROLES.map((r) => r.role);
const PROTOCOL_NAMES: readonly string[] = ["tcp", "udp", "icmp", "all"];
const FLOW_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

function isRole(value: unknown): value is Role {
  return typeof value === "string" && ROLE_NAMES.includes(value);
}

/**
 * Problems with one flow. `key` is where the user wrote it (`extraFlows[2]`); every
 * message names the flow by its id.
 */
export function checkFlow(key: string, value: unknown, ctx: { readonly vnetCidr?: string } = {}): Problem[] {
  if (!isRecord(value)) {
    return [{ key, value, message: "expected a flow { id, from, to, protocol, ports, reason }" }];
  }
  const problems: Problem[] = [];
  const { id, from, to, protocol, ports, reason } = value;
  const validId = typeof id === "string" && FLOW_ID.test(id) && `allow-out-${id}`.length <= MAX_RULE_NAME_LENGTH;
  if (!validId) {
    problems.push({
      key: `${key}.id`,
      value: id,
      message: `the id names the NSG rule: use lower-case letters, digits and inner hyphens, at most ${MAX_RULE_NAME_LENGTH - 10} characters`,
    });
  }
  const name = `flow "${typeof id === "string" ? id : String(id)}"`;
  if (typeof reason !== "string" || reason.trim() === "") {
    problems.push({ key: `${key}.reason`, value: reason, message: `${name}: say why the flow exists; it becomes the rule description` });
  }
  if (!isRole(to)) {
    problems.push({ key: `${key}.to`, value: to, message: `${name}: expected one of ${ROLE_NAMES.join(", ")}` });
  }
  let publicSource = false;
  if (isRole(from)) {
    publicSource = zoneOf(from) === "internet";
  } else if (isRecord(from) && Array.isArray(from["cidrs"]) && from["cidrs"].length > 0) {
    const cidrs: unknown[] = from["cidrs"];
    cidrs.forEach((c, i) => {
      const k = `${key}.from.cidrs[${i}]`;
      const bad = checkIpv4Cidr(k, c);
      problems.push(...bad.map((p) => ({ ...p, message: `${name}: ${p.message}` })));
      if (bad.length === 0 && coversPublicSpace(c as string)) publicSource = true;
      if (bad.length === 0 && ctx.vnetCidr !== undefined && cidrsOverlap(c as string, ctx.vnetCidr)) {
        problems.push({ key: k, value: c, message: `${name}: overlaps the VNet ${ctx.vnetCidr}; name the tier's role instead of its addresses` });
      }
    });
  } else {
    problems.push({
      key: `${key}.from`,
      value: from,
      message: `${name}: expected one of ${ROLE_NAMES.join(", ")}, or { cidrs: ["203.0.113.0/24"] }`,
    });
  }
  if (typeof protocol !== "string" || !PROTOCOL_NAMES.includes(protocol)) {
    problems.push({ key: `${key}.protocol`, value: protocol, message: `${name}: expected one of ${PROTOCOL_NAMES.join(", ")}` });
  } else if (!Array.isArray(ports)) {
    problems.push({ key: `${key}.ports`, value: ports, message: `${name}: expected a list of port ranges` });
  } else if (protocol === "all" || protocol === "icmp") {
    const portless = ports.length === 0 || (ports.length === 1 && isAllPorts(ports[0]));
    if (!portless) {
      problems.push({
        key: `${key}.ports`,
        value: ports,
        message: `${name}: protocol ${protocol} matches every port, so listing ports is a mistake Azure rejects at deploy time: give ports [] or choose tcp/udp`,
      });
    }
  } else if (ports.length === 0) {
    problems.push({ key: `${key}.ports`, value: ports, message: `${name}: protocol ${protocol} needs at least one port range` });
  } else {
    ports.forEach((p, i) => problems.push(...checkPortRange(`${key}.ports[${i}]`, name, p)));
  }
  if (problems.length > 0 || !isRole(to)) return problems;

  // The flow is well formed; now check that it fits the zone model.
  const toTier = tierOfRole(to);
  const fromTier = isRole(from) ? tierOfRole(from) : undefined;
  if (publicSource && toTier !== "dmz") {
    problems.push({
      key: `${key}.to`,
      value: to,
      message: `${name}: internet ingress may only reach the DMZ (edge, bastion, vpn-server); route it through the edge or the VPN`,
    });
  }
  const tcpPorts = protocol === "all" ? [ALL_PORTS] : protocol === "tcp" && Array.isArray(ports) ? ports.filter(isPortRange) : [];
  if (publicSource && from !== "admins" && portsOverlap(tcpPorts, ADMIN_PORTS)) {
    problems.push({
      key: `${key}.ports`,
      value: ports,
      message: `${name}: SSH and RDP must never be open to the internet; administrators come from adminCidrs or the VPN`,
    });
  }
  if (toTier === undefined) {
    if (to !== "internet") {
      problems.push({ key: `${key}.to`, value: to, message: `${name}: no subnet NSG can enforce a flow to ${to}; target a role inside the VNet or the internet` });
    } else if (fromTier === undefined) {
      problems.push({ key: `${key}.from`, value: from, message: `${name}: neither end is inside the VNet, so no NSG can enforce it` });
    } else if (NSG_EGRESS_LOCKED_TIERS.includes(fromTier)) {
      problems.push({ key: `${key}.to`, value: to, message: `${name}: the ${fromTier} zone has no internet egress by design; use a service endpoint instead` });
    }
  }
  return problems;
}

/** Problems with the zone flows and the extra flows, including duplicate ids. */
export function checkFlows(extraFlows: unknown, ctx: { readonly vnetCidr?: string } = {}): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const visit = (key: string, flow: unknown): void => {
    problems.push(...checkFlow(key, flow, ctx));
    const id = isRecord(flow) ? flow["id"] : undefined;
    if (typeof id !== "string") return;
    if (ids.has(id)) problems.push({ key: `${key}.id`, value: id, message: `flow id "${id}" is used twice; ids name the NSG rules, so give each flow its own` });
    ids.add(id);
  };
  FLOWS.forEach((f, i) => visit(`FLOWS[${i}]`, f));
  if (!Array.isArray(extraFlows)) {
    problems.push({ key: "extraFlows", value: extraFlows, message: "expected a list of flows" });
  } else {
    extraFlows.forEach((f, i) => visit(`extraFlows[${i}]`, f));
  }
  return problems;
}

