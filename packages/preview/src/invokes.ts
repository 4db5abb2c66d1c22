/**
 * Answers for the provider functions (invokes) the stacks call during preview. A real
 * preview asks the cloud; offline, each answer is derived from the region the provider is
 * configured with, so the same stack config always gives the same graph. A token with no
 * answer here fails the run and names the token, as a missing answer would otherwise
 * silently change the resource graph.
 */
import { createHash } from "node:crypto";
import { RpcError } from "./proto";

/** What an invoke handler may read: its arguments and the provider's region. */
export interface InvokeContext {
  readonly args: Readonly<Record<string, unknown>>;
  /** The region of the provider that serves the call (`aws:region` for the default one). */
  readonly region: string | undefined;
}

export type InvokeHandler = (ctx: InvokeContext) => Record<string, unknown>;

/** How many availability zones the offline answer lists per region. */
export const OFFLINE_AZ_COUNT = 3;

const DIRECTIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

function requireRegion(ctx: InvokeContext, token: string): string {
  if (ctx.region === undefined || !/^[a-z]{2}(-gov)?-[a-z]+-\d+$/.test(ctx.region)) {
    throw new RpcError(
      `${token}: the offline answer needs an AWS region, got ${JSON.stringify(ctx.region)}: ` +
        `set aws:region in the stack config (e.g. eu-west-1)`,
    );
  }
  return ctx.region;
}

/** The zone-id prefix AWS uses for a region: eu-west-1 -> euw1, ap-southeast-2 -> apse2, us-gov-west-1 -> usgw1. */
export function zoneIdPrefix(region: string): string {
  const parts = region.split("-");
  const gov = parts[1] === "gov";
  const [area = "", direction = "", number = ""] = gov ? [parts[0], ...parts.slice(2)] : parts;
  return `${area}${gov ? "g" : ""}${DIRECTIONS[direction] ?? direction.slice(0, 1)}${number}`;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function availabilityZones(ctx: InvokeContext): Record<string, unknown> {
  const region = requireRegion(ctx, "aws:index/getAvailabilityZones:getAvailabilityZones");
  const excludeNames = new Set(strings(ctx.args["excludeNames"]));
  const excludeIds = new Set(strings(ctx.args["excludeZoneIds"]));
  const zones = Array.from({ length: OFFLINE_AZ_COUNT }, (_, i) => ({
    name: `${region}${String.fromCharCode(97 + i)}`,
    id: `${zoneIdPrefix(region)}-az${i + 1}`,
  })).filter((z) => !excludeNames.has(z.name) && !excludeIds.has(z.id));
  return {
    id: region,
    names: zones.map((z) => z.name),
    zoneIds: zones.map((z) => z.id),
    groupNames: zones.map(() => region),
    state: typeof ctx.args["state"] === "string" ? ctx.args["state"] : "available",
    ...(ctx.args["allAvailabilityZones"] !== undefined ? { allAvailabilityZones: ctx.args["allAvailabilityZones"] } : {}),
  };
}

/** A stable fake id: the same inputs always give the same id. */
function stableId(prefix: string, ...parts: unknown[]): string {
  return `${prefix}${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 17)}`;
}

function ami(ctx: InvokeContext): Record<string, unknown> {
  const region = requireRegion(ctx, "aws:ec2/getAmi:getAmi");
  const filters = Array.isArray(ctx.args["filters"]) ? (ctx.args["filters"] as unknown[]) : [];
  const filterValue = (name: string): string | undefined => {
    for (const f of filters) {
      if (typeof f === "object" && f !== null && (f as Record<string, unknown>)["name"] === name) {
        return strings((f as Record<string, unknown>)["values"])[0];
      }
    }
    return undefined;
  };
  const id = stableId("ami-", region, ctx.args["owners"], filters, ctx.args["nameRegex"]);
  const name = (filterValue("name") ?? "offline-image-*").replace(/\*/g, "20250101");
  const architecture = filterValue("architecture") ?? "x86_64";
  return {
    id,
    imageId: id,
    arn: `arn:aws:ec2:${region}::image/${id}`,
    name,
    description: `${name} (offline preview answer)`,
    architecture,
    ownerId: strings(ctx.args["owners"])[0] ?? "137112412989",
    owners: strings(ctx.args["owners"]),
    filters,
    mostRecent: ctx.args["mostRecent"] === true,
    rootDeviceName: "/dev/xvda",
    rootDeviceType: "ebs",
    virtualizationType: filterValue("virtualization-type") ?? "hvm",
    platformDetails: "Linux/UNIX",
    imageType: "machine",
    state: "available",
    public: true,
    creationDate: "2025-01-01T00:00:00.000Z",
    blockDeviceMappings: [],
    productCodes: [],
    tags: {},
  };
}

function callerIdentity(): Record<string, unknown> {
  return {
    id: "123456789012",
    accountId: "123456789012",
    arn: "arn:aws:iam::123456789012:user/offline-preview",
    userId: "AIDAOFFLINEPREVIEW",
  };
}

function region(ctx: InvokeContext): Record<string, unknown> {
  const name = requireRegion(ctx, "aws:index/getRegion:getRegion");
  return { id: name, name, region: name, endpoint: `ec2.${name}.amazonaws.com`, description: name };
}

function partition(): Record<string, unknown> {
  return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

/** Invoke token -> answer. Add an entry when a stack starts calling a new function. */
export const INVOKE_HANDLERS: Readonly<Record<string, InvokeHandler>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": availabilityZones,
  "aws:ec2/getAmi:getAmi": ami,
  "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity,
  "aws:index/getRegion:getRegion": region,
  "aws:index/getPartition:getPartition": partition,
};

/** Answers one invoke, or throws an {@link RpcError} naming the token. */
export function answerInvoke(
  token: string,
  ctx: InvokeContext,
  handlers: Readonly<Record<string, InvokeHandler>> = INVOKE_HANDLERS,
): Record<string, unknown> {
  const handler = handlers[token];
  if (handler === undefined) {
    throw new RpcError(
      `the offline preview has no answer for invoke "${token}": ` +
        `add a handler for it to packages/preview/src/invokes.ts (known: ${Object.keys(handlers).join(", ")})`,
    );
  }
  return handler(ctx);
}
