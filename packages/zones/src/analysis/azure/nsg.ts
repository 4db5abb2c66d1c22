/**
 * NSG evaluation: the custom rules and Azure's defaults in priority order, first match
 * wins, over regions of source and destination addresses. Service tags become address
 * sets: `VirtualNetwork` the VNet's space, `Internet` the public space outside it,
 * `AzureLoadBalancer` the host address, `*` everything, and every other tag a block of
 * its own (see `SERVICE_TAG_SPACE`).
 */
import { cidrSpan, parseBlock, subtractAddresses, unionAddresses, addressesOf, ALL_ADDRESSES, PUBLIC_ADDRESSES, addressFamily, type AddressSet } from "../addresses";
import type { RuleRef } from "../grants";
import type { BigSpan } from "../intervals";
import { ALL_PORT_SPANS, spansEqual } from "../intervals";
import { ANY_PROTOCOL, inOrder, ruleTraffic, type OrderedRule } from "../rules";
import { AZURE_DEFAULT_RULES, AZURE_LOAD_BALANCER_ADDRESS, SERVICE_TAG_SPACE, type AzureNsg, type AzurePrefix } from "./model";
import { NsgView } from "./view";

export interface ParsedNsgRule extends OrderedRule {
  readonly direction: "Inbound" | "Outbound";
  readonly sources: AddressSet;
  readonly destinations: AddressSet;
  /** False when the rule names source ports: it then matches only some packets. */
  readonly everySourcePort: boolean;
}

export interface ParsedNsg {
  readonly id: string;
  readonly label: string;
  readonly inbound: readonly ParsedNsgRule[];
  readonly outbound: readonly ParsedNsgRule[];
  readonly fallbackIn: RuleRef;
  readonly fallbackOut: RuleRef;
  /** Each direction prepared for repeated questions (see `NsgView`). */
  readonly views: { readonly inbound: NsgView; readonly outbound: NsgView };
}

/** Address sets of the tags, growing as rules name new service tags. */
export class TagSpace {
  private readonly services = new Map<string, AddressSet>();
  private readonly base: bigint;
  readonly vnet: AddressSet;
  readonly loadBalancer: AddressSet = addressesOf([AZURE_LOAD_BALANCER_ADDRESS]);

  constructor(vnetPrefixes: readonly string[], extraVnet: readonly string[] = []) {
    this.vnet = addressesOf([...vnetPrefixes, ...extraVnet]);
    const space = parseBlock(SERVICE_TAG_SPACE);
    this.base = space === undefined ? 0n : cidrSpan(space).from;
  }

  /** The block standing for a service tag (one /16 per tag, in order of first use). */
  service(tag: string): AddressSet {
    const key = tag.toLowerCase();
    const known = this.services.get(key);
    if (known !== undefined) return known;
    const n = BigInt(this.services.size);
    const span: BigSpan = { from: this.base + (n << 16n), to: this.base + (n << 16n) + 0xffffn };
    const set: AddressSet = { v4: [span], v6: [] };
    this.services.set(key, set);
    return set;
  }

  /** Every service tag block met so far, by lower-case tag. */
  serviceTags(): ReadonlyMap<string, AddressSet> {
    return this.services;
  }

  /** The reserved block all service tags live in. */
  serviceSpace(): AddressSet {
    return addressesOf([SERVICE_TAG_SPACE]);
  }

  /** `Internet`: the public space outside the VNet (service tags included, the host address not). */
  internet(): AddressSet {
    return subtractAddresses(unionAddresses(subtractAddresses(PUBLIC_ADDRESSES, this.vnet), this.serviceSpace()), this.loadBalancer);
  }

  prefix(p: AzurePrefix): AddressSet {
    if (p.kind === "any") return ALL_ADDRESSES;
    if (p.kind === "cidr") return addressesOf([p.block]);
    const t = p.tag.toLowerCase();
    if (t === "virtualnetwork") return this.vnet;
    if (t === "internet") return this.internet();
    if (t === "azureloadbalancer") return this.loadBalancer;
    return this.service(p.tag);
  }

  prefixes(list: readonly AzurePrefix[]): AddressSet {
    return list.reduce<AddressSet>((acc, p) => unionAddresses(acc, this.prefix(p)), { v4: [], v6: [] });
  }
}

/** An NSG's rules, Azure's defaults appended, each direction in priority order. */
export function parseNsg(nsg: AzureNsg, tags: TagSpace): ParsedNsg {
  const custom: ParsedNsgRule[] = nsg.rules.map((r) => ({
    order: r.priority,
    allow: r.allow,
    traffic: r.traffic,
    ref: r.ref,
    direction: r.direction,
    sources: tags.prefixes(r.sources),
    destinations: tags.prefixes(r.destinations),
    everySourcePort: spansEqual(r.sourcePorts, ALL_PORT_SPANS),
  }));
  const defaults: ParsedNsgRule[] = AZURE_DEFAULT_RULES.map((d) => ({
    order: d.priority,
    allow: d.allow,
    traffic: ruleTraffic(ANY_PROTOCOL),
    ref: { id: `${nsg.id}#${d.name}`, label: `${nsg.label} default rule ${d.name} (${d.priority})`, layer: "nsg-default", urn: nsg.id, direction: d.direction === "Inbound" ? "in" : "out" },
    direction: d.direction,
    sources: tags.prefix(d.source === "*" ? { kind: "any" } : { kind: "tag", tag: d.source }),
    destinations: tags.prefix(d.destination === "*" ? { kind: "any" } : { kind: "tag", tag: d.destination }),
    everySourcePort: true,
  }));
  const all = [...custom, ...defaults];
  const fallback = (dir: string): RuleRef => ({ id: `${nsg.id}#end-${dir}`, label: `${nsg.label} (no rule matches)`, layer: "nsg-default", urn: nsg.id });
  const inbound = inOrder(all.filter((r) => r.direction === "Inbound"));
  const outbound = inOrder(all.filter((r) => r.direction === "Outbound"));
  const fallbackIn = fallback("in");
  const fallbackOut = fallback("out");
  return {
    id: nsg.id,
    label: nsg.label,
    inbound,
    outbound,
    fallbackIn,
    fallbackOut,
    views: { inbound: new NsgView(inbound, fallbackIn), outbound: new NsgView(outbound, fallbackOut) },
  };
}

/** The edges of a family's ranges in the rules' source (or destination) sets. */
export function ruleEdges(rules: readonly ParsedNsgRule[], side: "sources" | "destinations", version: 4 | 6): BigSpan[] {
  return rules.flatMap((r) => addressFamily(r[side], version));
}
