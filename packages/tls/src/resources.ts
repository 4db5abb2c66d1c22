/**
 * Checks of the arguments that are Pulumi resources (releases and dependencies to wait
 * for), which only a component file may import Pulumi to recognise.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "@pfv5/zones";
import { isBag } from "./input";

/** Problems with an optional resource to wait for. */
export function checkResource(key: string, value: unknown, what: string): Problem[] {
  if (value === undefined || pulumi.Resource.isInstance(value)) return [];
  return [{ key, value, message: `expected a Pulumi resource (${what}) to wait for; pass the resource object itself` }];
}

/** Problems with an optional list of resources to wait for. */
export function checkResources(key: string, value: unknown): Problem[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [{ key, value, message: "expected a list of Pulumi resources to wait for, e.g. [namespace]" }];
  return (value as readonly unknown[]).flatMap((r, i) => checkResource(`${key}[${i}]`, r, "a dependency"));
}

/** The value of `key` when `args` is an object of settings. */
export function setting(args: unknown, key: string): unknown {
  return isBag(args) ? args[key] : undefined;
}
