/**
 * The analyzed matrix against the declared one. Four kinds of difference:
 *
 * - `extra`: traffic that can really pass and the model does not permit;
 * - `latent`: traffic the firewall rules let through that only routing or addressing
 *   stops today (one route or one public address away);
 * - `routable`: a path to or from the outside that routing opens for a zone the model
 *   keeps apart from it, though no rule lets traffic through yet;
 * - `missing`: traffic the model requires that cannot pass.
 */
import { grantPorts, grantRules, isNoTraffic, PROTOS, restrictGrants, trafficOf, type Grant, type Proto, type RuleRef, type Traffic } from "./grants";
import { ALL_PORT_SPANS, subtractSpans, type Span } from "./intervals";
import { cellOf, type ZoneAnalyzer, type ZoneMatrix } from "./matrix";
import { declaredCell, routingZoneOf, type DeclaredMatrix } from "./declared";
import { ADMINS, FIREWALLS_ONLY, INTERNET, REACH, ROUTES_ONLY, SERVICES } from "./zones";

export type FindingKind = "extra" | "latent" | "routable" | "missing";

export interface PathFinding {
  readonly kind: FindingKind;
  readonly from: string;
  readonly to: string;
  /** Per protocol, the ports, each range with the rules that open it (none for `missing`). */
  readonly traffic: Traffic;
}

export interface Comparison {
  readonly reach: ZoneMatrix;
  readonly firewalls: ZoneMatrix;
  readonly routes: ZoneMatrix;
  readonly declared: DeclaredMatrix;
  readonly findings: readonly PathFinding[];
}

/** Every rule behind a finding, each once. */
export function findingRules(f: PathFinding): RuleRef[] {
  return grantRules(PROTOS.flatMap((p) => f.traffic[p]));
}

/** Zones outside the network whose routing the model constrains (Azure's platform services always route). */
const ROUTED_OUTSIDE = new Set([INTERNET, ADMINS]);

function beyond(t: Traffic, p: Proto, allowed: readonly Span[]): Grant[] {
  return restrictGrants(t[p], subtractSpans(ALL_PORT_SPANS, allowed));
}

/** Compares what `analyzer` finds with `declared`, pair by pair and protocol by protocol. */
export function compareWithDeclared(analyzer: ZoneAnalyzer, declared: DeclaredMatrix): Comparison {
  const reach = analyzer.matrix(REACH);
  const firewalls = analyzer.matrix(FIREWALLS_ONLY);
  const routes = analyzer.matrix(ROUTES_ONLY);
  const findings: PathFinding[] = [];
  const zones = analyzer.zones;
  for (const from of zones) {
    for (const to of zones) {
      const d = declaredCell(declared, from, to);
      const r = cellOf(reach, from, to)?.traffic;
      const fw = cellOf(firewalls, from, to)?.traffic;
      if (d === undefined || r === undefined || fw === undefined) continue;
      const extra = trafficOf((p) => beyond(r, p, d.permitted[p]));
      const latent = trafficOf((p) => restrictGrants(beyond(fw, p, d.permitted[p]), subtractSpans(ALL_PORT_SPANS, grantPorts(r[p]))));
      const missing = trafficOf((p) => subtractSpans(d.required[p], grantPorts(r[p])).map((s) => ({ ...s, rules: [] })));
      if (!isNoTraffic(extra)) findings.push({ kind: "extra", from, to, traffic: extra });
      if (!isNoTraffic(latent)) findings.push({ kind: "latent", from, to, traffic: latent });
      if (!isNoTraffic(missing)) findings.push({ kind: "missing", from, to, traffic: missing });
      // Routing is shared by the roles of a subnet: judge it by zone, for the outside pairs.
      const ro = cellOf(routes, from, to)?.traffic;
      const outsideFrom = ROUTED_OUTSIDE.has(from);
      const outsideTo = ROUTED_OUTSIDE.has(to);
      if (!isNoTraffic(extra) || !isNoTraffic(latent) || ro === undefined || isNoTraffic(ro) || outsideFrom === outsideTo) continue;
      if (from === SERVICES || to === SERVICES) continue;
      const group = routingZoneOf(declared.cloud, outsideFrom ? to : from);
      const permitted = zones.some((z) => {
        if (routingZoneOf(declared.cloud, z) !== group) return false;
        const c = outsideFrom ? declaredCell(declared, from, z) : declaredCell(declared, z, to);
        return c !== undefined && PROTOS.some((p) => c.permitted[p].length > 0);
      });
      if (!permitted) findings.push({ kind: "routable", from, to, traffic: ro });
    }
  }
  return { reach, firewalls, routes, declared, findings };
}
