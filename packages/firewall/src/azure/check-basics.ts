/**
 * Small checks shared by the Azure firewall's validators. Each returns problems, never throws.
 */
import { ALL_PORTS, checkCidr, parseCidr } from "@pfv5/zones";
import type { PortRange, Problem } from "@pfv5/zones";

/** Whether a value is a plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems with one CIDR that must be IPv4 (the VNet has no IPv6 address space). */
export function checkIpv4Cidr(key: string, value: unknown): Problem[] {
  const bad = checkCidr(key, value);
  if (bad.length > 0) return bad;
  if (parseCidr(value as string).version !== 4) {
    return [{ key, value, message: "is IPv6, but the VNet address space is IPv4 only, so the rule could never match: list IPv4 blocks" }];
  }
  return [];
}

/** Problems with one inclusive port range; `what` names its owner in every message. */
export function checkPortRange(key: string, what: string, value: unknown): Problem[] {
  if (!isRecord(value)) {
    return [{ key, value, message: `${what}: expected a port range such as { from: 443, to: 443 }` }];
  }
  const { from, to } = value;
  const problems: Problem[] = [];
  for (const [end, port] of [["from", from], ["to", to]] as const) {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push({ key: `${key}.${end}`, value: port, message: `${what}: a port must be a whole number from 0 to 65535` });
    }
  }
  if (problems.length === 0 && (from as number) > (to as number)) {
    problems.push({ key, value, message: `${what}: from-port ${String(from)} is above to-port ${String(to)}: swap them` });
  }
  return problems;
}

/** Whether a value has numeric `from` and `to`. */
export function isPortRange(p: unknown): p is PortRange {
  return isRecord(p) && typeof p["from"] === "number" && typeof p["to"] === "number";
}

/** Whether a value is the every-port range 0-65535. */
export function isAllPorts(p: unknown): boolean {
  return isRecord(p) && p["from"] === ALL_PORTS.from && p["to"] === ALL_PORTS.to;
}

/** Whether two range lists share a port. */
export function portsOverlap(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  return a.some((x) => b.some((y) => x.from <= y.to && y.from <= x.to));
}

