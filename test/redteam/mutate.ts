/**
 * Small changes to a recorded stack: set an input, point a reference at another resource
 * (its property dependency, since ids are unknown in preview), add a resource modelled on
 * an existing one, remove one. Each change returns a new list; the recording is never
 * touched.
 */
import type { Json, RecordedResource } from "@pfv5/preview";

/** The engine's unknown value, for ids a first preview does not know. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export class Mutable {
  readonly resources: RecordedResource[];

  constructor(resources: readonly RecordedResource[]) {
    this.resources = JSON.parse(JSON.stringify(resources)) as RecordedResource[];
  }

  /** The one resource whose logical name ends with `suffix` (and of `type`, when given). */
  find(suffix: string, type?: string): RecordedResource {
    const found = this.resources.filter((r) => r.name.endsWith(suffix) && (type === undefined || r.type === type));
    if (found.length !== 1 || found[0] === undefined) throw new Error(`expected one resource named *${suffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0];
  }

  private replace(r: RecordedResource, next: RecordedResource): RecordedResource {
    const i = this.resources.indexOf(r);
    if (i < 0) throw new Error(`${r.name} is not in this stack`);
    this.resources[i] = next;
    return next;
  }

  /** Sets inputs (a value of `undefined` removes the key). */
  set(suffix: string, inputs: Readonly<Record<string, Json | undefined>>): this {
    const r = this.find(suffix);
    const next: Record<string, Json> = { ...r.inputs };
    for (const [k, v] of Object.entries(inputs)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    this.replace(r, { ...r, inputs: next });
    return this;
  }

  /** Makes `property` of one resource depend on others (an id taken from them), its value unknown. */
  refer(suffix: string, property: string, targets: readonly string[]): this {
    const r = this.find(suffix);
    const urns = targets.map((t) => this.find(t).urn);
    const propertyDependencies = { ...r.propertyDependencies, [property]: urns };
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    this.replace(r, { ...r, inputs: { ...r.inputs, [property]: UNKNOWN }, propertyDependencies, dependencies });
    return this;
  }

  /**
   * Adds a resource of the template's type next to it, named `name`, with `inputs`, and
   * `refs` naming the resources each referencing property takes its id from; `type`
   * gives it another type than the template's (same parent, same provider).
   */
  add(template: string, name: string, inputs: Readonly<Record<string, Json>>, refs: Readonly<Record<string, readonly string[]>> = {}, type?: string): this {
    const found = this.find(template);
    // A resource of another type under the same parent: only the type and URN differ.
    const t = type === undefined ? found : { ...found, type, urn: `${found.urn.slice(0, found.urn.lastIndexOf("$") + 1)}${type}::${found.name}` };
    const propertyDependencies: Record<string, string[]> = Object.fromEntries(Object.keys(inputs).map((k) => [k, []]));
    const withUnknowns: Record<string, Json> = { ...inputs };
    for (const [k, targets] of Object.entries(refs)) {
      propertyDependencies[k] = targets.map((s) => this.find(s).urn);
      withUnknowns[k] = UNKNOWN;
    }
    const urn = `${t.urn.slice(0, t.urn.lastIndexOf("::"))}::${name}`;
    this.resources.push({ ...t, urn, name, inputs: withUnknowns, propertyDependencies, dependencies: [...new Set(Object.values(propertyDependencies).flat())] });
    return this;
  }

  remove(suffix: string): this {
    const r = this.find(suffix);
    this.resources.splice(this.resources.indexOf(r), 1);
    return this;
  }

  /** Replaces one entry of an inline list (`securityRules` of an NSG) by name, or drops it. */
  editListEntry(suffix: string, list: string, entryName: string, change: Readonly<Record<string, Json>> | "remove"): this {
    const r = this.find(suffix);
    const entries = r.inputs[list];
    if (!Array.isArray(entries)) throw new Error(`${r.name} has no list ${list}`);
    const at = entries.findIndex((e) => typeof e === "object" && e !== null && !Array.isArray(e) && e["name"] === entryName);
    if (at < 0) throw new Error(`${r.name}.${list} has no entry "${entryName}"`);
    const next = [...entries];
    if (change === "remove") next.splice(at, 1);
    else next[at] = { ...(next[at] as Record<string, Json>), ...change };
    return this.set(suffix, { [list]: next });
  }

  /** Adds an entry to an inline list. */
  addListEntry(suffix: string, list: string, entry: Readonly<Record<string, Json>>): this {
    const r = this.find(suffix);
    const entries = r.inputs[list];
    return this.set(suffix, { [list]: [...(Array.isArray(entries) ? entries : []), entry] });
  }
}
