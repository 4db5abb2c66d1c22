/**
 * The stack's resource graph as stack policies see it. During preview the ids of resources
 * about to be created are unknown, so "which group does this rule belong to" cannot be
 * answered by comparing ids; it is answered by following the property's dependencies (the
 * resources whose outputs fed the property). After deployment, when ids are known, a known
 * id that matches a resource in the stack answers it as well.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValueError } from "./sdk";
import { propsOf, shortType, type PropsByType, type TypeToken } from "./types";

export interface Found {
  readonly resource: PolicyResource;
}

export interface NotFound {
  /** Why the reference could not be followed, for the message. */
  readonly reason: string;
}

export type Resolution = Found | NotFound;

export function isFound(r: Resolution): r is Found {
  return "resource" in r;
}

/** `Vpc "main"`: how a resource is named in messages. */
export function label(r: { readonly type: string; readonly name: string }): string {
  return `${shortType(r.type)} "${r.name}"`;
}

function knownString(obj: Readonly<Record<string, unknown>>, key: string): string | undefined {
  try {
    const v = obj[key];
    return typeof v === "string" ? v : undefined;
  } catch (e) {
    if (isUnknownValueError(e)) return undefined;
    throw e;
  }
}

export class StackGraph {
  constructor(readonly resources: readonly PolicyResource[]) {}

  /** Every resource of `type`, with its properties typed. */
  ofType<K extends TypeToken>(type: K): { readonly resource: PolicyResource; readonly props: PropsByType[K] }[] {
    return this.resources.flatMap((resource) => {
      const props = propsOf(resource, type);
      return props === undefined ? [] : [{ resource, props }];
    });
  }

  has(type: string): boolean {
    return this.resources.some((r) => r.type === type);
  }

  /**
   * The resource of one of `types` that `property` of `r` refers to: the single such resource
   * among the property's dependencies, or, when the property's value is known, the resource
   * of those types one of whose `matchKeys` (its `id` by default) equals it.
   */
  follow(r: PolicyResource, property: string, types: readonly TypeToken[], matchKeys: readonly string[] = ["id"]): Resolution {
    const wanted = types.map(shortType).join(" or ");
    const deps = (r.propertyDependencies[property] ?? []).filter((d) => (types as readonly string[]).includes(d.type));
    const [only, ...more] = deps;
    if (only !== undefined && more.length === 0) return { resource: only };
    if (more.length > 0) {
      return { reason: `${property} depends on ${deps.length} ${wanted} resources (${deps.map(label).join(", ")}), so which one it names is ambiguous` };
    }
    const value = knownString(r.props, property);
    if (value !== undefined) {
      const match = this.resources.filter(
        (c) => (types as readonly string[]).includes(c.type) && matchKeys.some((k) => knownString(c.props, k) === value),
      );
      if (match.length === 1 && match[0] !== undefined) return { resource: match[0] };
      return { reason: `${property} "${value}" names no ${wanted} in this stack` };
    }
    return {
      reason: `${property} neither depends on a ${wanted} in this stack nor has a value known during preview`,
    };
  }

  /** The resources of `type` whose `property` refers to `target` (by dependency or known id). */
  referrers<K extends TypeToken>(
    type: K,
    property: string,
    targetTypes: readonly TypeToken[],
    target: PolicyResource,
    matchKeys: readonly string[] = ["id"],
  ): { readonly resource: PolicyResource; readonly props: PropsByType[K] }[] {
    return this.ofType(type).filter(({ resource }) => {
      const r = this.follow(resource, property, targetTypes, matchKeys);
      return isFound(r) && r.resource.urn === target.urn;
    });
  }
}
