/**
 * Stack resources as the analyzers' adapters read them: plain properties (unknown values
 * as the engine's sentinels), and the resources each property's value came from. A policy
 * gets this from the engine, the offline preview from its recording; either way, during a
 * first preview ids are unknown and references are followed through the dependencies.
 */

export interface StackResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Inputs (preview) or outputs (after deployment), secrets unwrapped. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Property name to the URNs of the resources its value depends on. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/**
 * The values the engine and the policy SDK use for "not known until deployment": one per
 * JSON type; on the wire every unknown travels as the string one.
 */
export const UNKNOWN_VALUES: readonly string[] = [
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_VALUES.includes(v);
}

/** Something an analysis could not decide, or a value it had to ignore. */
export interface AnalysisProblem {
  /** The resource at fault. */
  readonly urn: string;
  /** What could not be decided and why, naming the resource and property. */
  readonly message: string;
}

/** `aws:ec2/route:Route` -> `aws.ec2.Route`, for messages. */
export function shortType(token: string): string {
  const m = /^([^:]+):([^/:]*)(?:\/[^:]*)?:(.+)$/.exec(token);
  if (m === null) return token;
  const [, pkg, mod, name] = m;
  return mod === "" || mod === "index" ? `${pkg}.${name}` : `${pkg}.${mod}.${name}`;
}

/** `aws.ec2.Route "main"`. */
export function labelOf(r: Pick<StackResource, "type" | "name">): string {
  return `${shortType(r.type)} "${r.name}"`;
}

export type Found = { readonly resource: StackResource } | { readonly reason: string };

export function isFound(f: Found): f is { readonly resource: StackResource } {
  return "resource" in f;
}

/** Typed reads of plain properties that report unknown or mistyped values as problems. */
export class Reader {
  constructor(
    readonly resource: StackResource,
    private readonly problems: AnalysisProblem[],
  ) {}

  private unknown(path: string): undefined {
    this.problems.push({ urn: this.resource.urn, message: `${labelOf(this.resource)}: ${path} is unknown until deployment, so the zone matrix cannot include what it decides` });
    return undefined;
  }

  /** The raw value at `path` (dotted), `undefined` when absent; unknown is reported. */
  raw(path: string, from: unknown = this.resource.props): unknown {
    let cur: unknown = from;
    for (const key of path.split(".")) {
      if (cur === undefined || cur === null) return undefined;
      if (isUnknown(cur)) return this.unknown(path);
      if (typeof cur !== "object") return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
    if (isUnknown(cur)) return this.unknown(path);
    return cur;
  }

  string(path: string, from?: unknown): string | undefined {
    const v = this.raw(path, from);
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
  }

  number(path: string, from?: unknown): number | undefined {
    const v = this.raw(path, from);
    if (typeof v === "number") return v;
    return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined;
  }

  bool(path: string, from?: unknown): boolean | undefined {
    const v = this.raw(path, from);
    return typeof v === "boolean" ? v : undefined;
  }

  list(path: string, from?: unknown): unknown[] {
    const v = this.raw(path, from);
    return Array.isArray(v) ? v : [];
  }

  strings(path: string, from?: unknown): string[] {
    return this.list(path, from).flatMap((v, i) => {
      if (isUnknown(v)) return this.unknown(`${path}[${i}]`) ?? [];
      return typeof v === "string" ? [v] : [];
    });
  }

  /** Whether `path` holds anything, an unknown value included (presence without reading it). */
  has(path: string): boolean {
    let cur: unknown = this.resource.props;
    for (const key of path.split(".")) {
      if (cur === undefined || cur === null || typeof cur !== "object") return false;
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur !== undefined && cur !== null && cur !== "";
  }

  tag(key: string): string | undefined {
    const tags = this.resource.props["tags"];
    if (isUnknown(tags)) return this.unknown("tags");
    if (tags === undefined || tags === null || typeof tags !== "object") return undefined;
    const v = (tags as Record<string, unknown>)[key];
    if (isUnknown(v)) return this.unknown(`tags["${key}"]`);
    return typeof v === "string" ? v : undefined;
  }

  problem(message: string): void {
    this.problems.push({ urn: this.resource.urn, message: `${labelOf(this.resource)}: ${message}` });
  }
}

export class ResourceIndex {
  private readonly byUrn = new Map<string, StackResource>();

  constructor(readonly resources: readonly StackResource[]) {
    for (const r of resources) this.byUrn.set(r.urn, r);
  }

  ofType(...types: readonly string[]): StackResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  get(urn: string): StackResource | undefined {
    return this.byUrn.get(urn);
  }

  /**
   * The resource of one of `types` that `property` of `r` names: the one such resource
   * among the property's dependencies, or (ids known, after deployment) the one whose `id`
   * equals the value. `value` reads the id when the property is nested (`subnet.id`).
   */
  follow(r: StackResource, property: string, types: readonly string[], value?: unknown): Found {
    const wanted = types.map(shortType).join(" or ");
    const deps = (r.propertyDependencies[property] ?? []).map((u) => this.byUrn.get(u)).filter((d): d is StackResource => d !== undefined && types.includes(d.type));
    const unique = [...new Map(deps.map((d) => [d.urn, d])).values()];
    if (unique.length === 1 && unique[0] !== undefined) return { resource: unique[0] };
    if (unique.length > 1) {
      return { reason: `${property} depends on ${unique.length} ${wanted} resources (${unique.map(labelOf).join(", ")}), so which one it names is ambiguous` };
    }
    const v = value !== undefined ? value : r.props[property];
    if (typeof v === "string" && !isUnknown(v)) {
      const match = this.resources.filter((c) => types.includes(c.type) && c.props["id"] === v);
      if (match.length === 1 && match[0] !== undefined) return { resource: match[0] };
      return { reason: `${property} "${v}" names no ${wanted} of this stack` };
    }
    return { reason: `${property} neither depends on a ${wanted} of this stack nor has a value known during preview` };
  }
}
