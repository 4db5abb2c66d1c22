/**
 * The pure rule planner of the AWS zone firewall: allowed flows in, one spec per security
 * group rule out. A flow between two groups becomes a pair (ingress on the target naming
 * the source group, egress on the source naming the target group); a flow from an
 * address range becomes ingress rules by CIDR; a flow to one becomes egress rules by CIDR.
 * No Pulumi here. Assumes flows that passed `checkAwsZoneFirewallArgs`.
 */
import { parseCidr, type Flow, type Role } from "@pfv5/zones";
import { AWS_CIDR_ROLES, AWS_INTERNET_CIDR, type AwsCidrRole, type AwsGroupRole } from "./defaults";

export type AwsRulePeer =
  | { readonly kind: "group"; readonly role: AwsGroupRole }
  | { readonly kind: "cidr"; readonly role: AwsCidrRole; readonly cidr: string; readonly ipVersion: 4 | 6 };

export interface AwsRuleSpec {
  /** Unique and stable: `<flow id>-<in|out>-<ports>[-<cidr>]`; the logical name suffix. */
  readonly key: string;
  readonly flowId: string;
  readonly direction: "ingress" | "egress";
  /** The group the rule belongs to. */
  readonly group: AwsGroupRole;
  /** Who is on the other end. */
  readonly peer: AwsRulePeer;
  /** `-1` is every protocol, and then there are no ports. */
  readonly ipProtocol: "tcp" | "udp" | "icmp" | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  /** `<flow id>: <reason>`. */
  readonly description: string;
}

export interface AwsFirewallPlanInput {
  readonly flows: readonly Flow[];
  readonly adminCidrs: readonly string[];
  readonly vpnCidr: string;
}

export const isCidrRole = (r: Role): r is AwsCidrRole => (AWS_CIDR_ROLES as readonly Role[]).includes(r);

interface PortSpec {
  readonly label: string;
  readonly ipProtocol: AwsRuleSpec["ipProtocol"];
  readonly fromPort?: number;
  readonly toPort?: number;
}

function portSpecs(flow: Flow): PortSpec[] {
  switch (flow.protocol) {
    // Every protocol: AWS wants -1 and no ports at all (ports with -1 fail at apply).
    case "all":
      return [{ label: "all", ipProtocol: "-1" }];
    // Every ICMP type and code.
    case "icmp":
      return [{ label: "icmp", ipProtocol: "icmp", fromPort: -1, toPort: -1 }];
    default:
      return flow.ports.map((p) => ({
        label: p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`,
        ipProtocol: flow.protocol === "udp" ? "udp" : "tcp",
        fromPort: p.from,
        toPort: p.to,
      }));
  }
}

/** `203.0.113.0/24` -> `203-0-113-0-24`, for logical names. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[^0-9a-fA-F]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}

function cidrPeers(role: AwsCidrRole, input: AwsFirewallPlanInput): AwsRulePeer[] {
  const cidrs = role === "internet" ? [AWS_INTERNET_CIDR] : role === "admins" ? input.adminCidrs : [input.vpnCidr];
  return cidrs.map((cidr) => ({ kind: "cidr", role, cidr, ipVersion: parseCidr(cidr).version }));
}

/** The rules of every flow, in flow order, ingress before egress. */
export function planAwsFirewallRules(input: AwsFirewallPlanInput): AwsRuleSpec[] {
  const rules: AwsRuleSpec[] = [];
  for (const flow of input.flows) {
    const description = `${flow.id}: ${flow.reason}`;
    for (const ps of portSpecs(flow)) {
      const base = {
        flowId: flow.id,
        ipProtocol: ps.ipProtocol,
        ...(ps.fromPort !== undefined ? { fromPort: ps.fromPort, toPort: ps.toPort } : {}),
        description,
      };
      // Several admin CIDRs give several rules of one flow; the CIDR tells them apart.
      const suffix = (peer: AwsRulePeer): string => (peer.kind === "cidr" && peer.role === "admins" ? `-${cidrSlug(peer.cidr)}` : "");
      const inKey = `${flow.id}-in-${ps.label}`;
      const outKey = `${flow.id}-out-${ps.label}`;
      const { to } = flow;
      // The WireGuard server masquerades its clients (packages/access renders the
      // nftables masquerade), so inside the VPC their packets carry the server's own
      // address: a VPN-client flow is a flow from the server's group.
      const from = flow.from === "vpn-clients" && to !== "vpn-server" ? "vpn-server" : flow.from;
      if (!isCidrRole(from) && !isCidrRole(to)) {
        rules.push({ key: inKey, direction: "ingress", group: to, peer: { kind: "group", role: from }, ...base });
        rules.push({ key: outKey, direction: "egress", group: from, peer: { kind: "group", role: to }, ...base });
      } else if (isCidrRole(from) && !isCidrRole(to)) {
        for (const peer of cidrPeers(from, input)) {
          rules.push({ key: `${inKey}${suffix(peer)}`, direction: "ingress", group: to, peer, ...base });
        }
      } else if (!isCidrRole(from) && isCidrRole(to)) {
        for (const peer of cidrPeers(to, input)) {
          rules.push({ key: `${outKey}${suffix(peer)}`, direction: "egress", group: from, peer, ...base });
        }
      }
      // Range to range has no group to carry a rule; validation refuses it.
    }
  }
  return rules;
}
