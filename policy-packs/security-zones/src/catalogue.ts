/**
 * Writes POLICIES.md, the policy catalogue, from the policies' own metadata, so the
 * documentation cannot drift from the code (a test fails when the file is stale).
 *
 *   pnpm --filter @pfv5/security-zones-policy catalogue
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GROUP_ROLES, PACK_ARGS, PACK_NAME, POLICY_DOCS, ROLE_TAG, SITE_SCHEMA, TIER_TAG, type PolicyDoc, type SiteKey } from "./pack";
import { TIERS } from "@pfv5/zones";
import { shortType } from "./lib/types";

/** Where the catalogue lives: the package root (the same from src/ and from bin/). */
export const CATALOGUE_PATH = path.resolve(__dirname, "..", "POLICIES.md");

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function siteKeys(docs: readonly PolicyDoc[]): SiteKey[] {
  return [...new Set(docs.flatMap((d) => d.config))].sort();
}

function exampleConfig(docs: readonly PolicyDoc[]): string {
  const config: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    if (d.config.length === 0) continue;
    config[d.name] = Object.fromEntries(d.config.map((k) => [k, k === "adminCidrs" ? ["203.0.113.0/24"] : SITE_SCHEMA[k].default]));
  }
  return JSON.stringify(config, null, 2);
}

function section(d: PolicyDoc): string {
  const config =
    d.config.length === 0 ? "none" : d.config.map((k) => `\`${k}\` (default \`${JSON.stringify(SITE_SCHEMA[k].default)}\`)`).join(", ");
  return [
    `## ${d.name}`,
    "",
    d.description,
    "",
    `- **Enforcement:** ${d.enforcementLevel} · **Severity:** ${d.severity}`,
    `- **Applies to:** ${d.appliesTo.map((t) => `\`${shortType(t)}\``).join(", ")}`,
    `- **Policy config:** ${config}`,
    "",
    `**Why.** ${d.why}`,
    "",
    `**Fix.** ${d.fix.charAt(0).toUpperCase()}${d.fix.slice(1)}.`,
    "",
  ].join("\n");
}

/** The catalogue's text for `docs`. */
export function renderCatalogue(docs: readonly PolicyDoc[] = POLICY_DOCS): string {
  const keys = siteKeys(docs);
  return [
    `# Policy catalogue: ${PACK_NAME}`,
    "",
    "<!-- Generated from the policies' metadata by src/catalogue.ts; do not edit by hand. -->",
    "",
    `${PACK_ARGS.description ?? ""} Every policy is **${PACK_ARGS.enforcementLevel ?? "advisory"}** unless the policy config`,
    "lowers it. A policy that cannot decide because a value is unknown in preview reports a",
    "violation saying so; it never passes silently.",
    "",
    "| Policy | Enforcement | Severity | What it requires |",
    "| --- | --- | --- | --- |",
    ...docs.map((d) => `| [${d.name}](#${d.name}) | ${d.enforcementLevel} | ${d.severity} | ${cell(d.description)} |`),
    "",
    "## How the policies know the zones",
    "",
    "Ids are unknown in preview, so the policies read the zone from tags and follow references",
    "between resources through the stack's resource graph:",
    "",
    `- \`${ROLE_TAG}\` on security groups: ${GROUP_ROLES.map((r) => `\`${r}\``).join(", ")}.`,
    `- \`${TIER_TAG}\` on network ACLs, route tables, subnets and NSGs: ${TIERS.map((t) => `\`${t}\``).join(", ")}.`,
    "",
    "## Policy config",
    "",
    "CrossGuard config is per policy; each policy that reads a site value declares it. Pass the",
    "values with `pulumi preview --policy-pack policy-packs/security-zones --policy-pack-config <file>`:",
    "",
    "| Key | Default | Meaning |",
    "| --- | --- | --- |",
    ...keys.map((k) => `| \`${k}\` | \`${JSON.stringify(SITE_SCHEMA[k].default)}\` | ${cell(SITE_SCHEMA[k].description ?? "")} |`),
    "",
    "```json",
    exampleConfig(docs),
    "```",
    "",
    ...docs.map(section),
  ].join("\n");
}

if (require.main === module) {
  fs.writeFileSync(CATALOGUE_PATH, renderCatalogue());
  console.log(`wrote ${path.relative(process.cwd(), CATALOGUE_PATH)} (${POLICY_DOCS.length} policies)`);
}
