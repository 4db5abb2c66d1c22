/**
 * The API reference: TypeDoc over every package's public entry point, rendered as Markdown
 * (one page per package), and the argument tables the package READMEs embed, taken from the
 * same reflections so the two cannot disagree.
 */
import * as path from "node:path";
// TypeDoc is an ES module; this script is CommonJS, so its types come in with resolution-mode.
import type * as TypeDocModule from "typedoc" with { "resolution-mode": "import" };
import type { DeclarationReflection, ProjectReflection, Reflection, TypeDocOptions } from "typedoc" with { "resolution-mode": "import" };
import { ROOT, publishablePackages } from "./workspace";

type TypeDoc = typeof TypeDocModule;

/** The packages the reference covers: every publishable package under packages/. */
export function documentedPackages(): { readonly dir: string; readonly name: string }[] {
  return publishablePackages()
    .filter((p) => p.dir.startsWith("packages/"))
    .map((p) => ({ dir: p.dir, name: p.manifest.name }));
}

const OPTIONS: TypeDocOptions = {
  name: "pfv5 API reference",
  tsconfig: path.join(ROOT, "scripts", "tsconfig.docs.json"),
  plugin: ["typedoc-plugin-markdown"],
  readme: "none",
  // Source links carry line numbers, which would make every edit a documentation change.
  disableSources: true,
  excludePrivate: true,
  excludeExternals: true,
  sort: ["kind", "source-order"],
  logLevel: "Warn",
};

/** typedoc-plugin-markdown's options (its declarations extend TypeDoc's only when loaded as a plugin). */
const MARKDOWN_OPTIONS: Record<string, unknown> = {
  outputFileStrategy: "modules",
  interfacePropertiesFormat: "table",
  classPropertiesFormat: "table",
  parametersFormat: "table",
  enumMembersFormat: "table",
  hidePageHeader: true,
};

export interface ApiDocs {
  readonly typedoc: TypeDoc;
  readonly project: ProjectReflection;
}

/** Converts every package and writes the Markdown reference into `out`. */
export async function generateApiDocs(out: string): Promise<ApiDocs> {
  const typedoc = await import("typedoc");
  const packages = documentedPackages();
  const app = await typedoc.Application.bootstrapWithPlugins({
    ...OPTIONS,
    ...MARKDOWN_OPTIONS,
    entryPoints: packages.map((p) => path.join(ROOT, p.dir, "src", "index.ts")),
    out,
  } as TypeDocOptions);
  const project = await app.convert();
  if (project === undefined) throw new Error("TypeDoc could not convert the packages: see the errors above");
  // TypeDoc names a module after its entry point's path (`network/src`); readers know the
  // package name.
  for (const module of project.children ?? []) {
    const pkg = packages.find((p) => module.name === `${path.basename(p.dir)}/src`);
    if (pkg !== undefined) module.name = pkg.name;
  }
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("TypeDoc reported errors: see above");
  return { typedoc, project };
}

function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
}

function stripFence(text: string): string {
  return text.replace(/^```\w*\n?/, "").replace(/\n?```$/, "").trim();
}

/** The component classes of a package: classes extending `ComponentResource`. */
function components(docs: ApiDocs, module: Reflection): DeclarationReflection[] {
  const { ReflectionKind } = docs.typedoc;
  const children = (module as DeclarationReflection).children ?? [];
  return children.filter(
    (c) => c.kindOf(ReflectionKind.Class) && (c.extendedTypes ?? []).some((t) => /\bComponentResource\b/.test(t.toString())),
  );
}

function argsInterface(docs: ApiDocs, component: DeclarationReflection): DeclarationReflection | undefined {
  const { ReflectionKind, ReferenceType } = docs.typedoc;
  const ctor = component.children?.find((c) => c.kindOf(ReflectionKind.Constructor));
  const args = ctor?.signatures?.[0]?.parameters?.find((p) => p.name === "args");
  const type = args?.type;
  if (!(type instanceof ReferenceType)) return undefined;
  const target = type.reflection;
  return target !== undefined && target.kindOf(ReflectionKind.Interface) ? (target as DeclarationReflection) : undefined;
}

/** The Markdown table of one component's arguments: name, type, default and summary. */
export function argsTable(docs: ApiDocs, component: DeclarationReflection): string {
  const { Comment, ReflectionKind } = docs.typedoc;
  const args = argsInterface(docs, component);
  if (args === undefined) return `\`${component.name}\` takes no documented arguments interface.`;
  const rows = (args.children ?? [])
    .filter((p) => p.kindOf(ReflectionKind.Property))
    .map((p) => {
      const comment = p.comment;
      const summary = comment !== undefined ? Comment.combineDisplayParts(comment.summary) : "";
      const fallback = comment?.getTag("@default");
      const def = fallback !== undefined ? stripFence(Comment.combineDisplayParts(fallback.content)) : p.flags.isOptional ? "" : "required";
      return `| \`${p.name}\` | \`${cell(p.type?.toString() ?? "unknown")}\` | ${cell(def)} | ${cell(summary)} |`;
    });
  return [`Arguments of \`${component.name}\` (\`${args.name}\`):`, "", "| argument | type | default | description |", "|---|---|---|---|", ...rows].join("\n");
}

/** Per package name, per component name, the argument table. */
export function argsTables(docs: ApiDocs): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const module of docs.project.children ?? []) {
    tables.set(module.name, new Map(components(docs, module).map((c) => [c.name, argsTable(docs, c)])));
  }
  return tables;
}

const MARKER = /<!-- args:([A-Za-z0-9]+) -->[\s\S]*?<!-- \/args -->/g;

/**
 * The README with every `<!-- args:Component -->...<!-- /args -->` block refilled from the
 * tables, and the markers that name no component of the package.
 */
export function fillReadme(readme: string, tables: ReadonlyMap<string, string>): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const text = readme.replace(MARKER, (whole, name: string) => {
    const table = tables.get(name);
    if (table === undefined) {
      unknown.push(name);
      return whole;
    }
    return `<!-- args:${name} -->\n${table}\n<!-- /args -->`;
  });
  return { text, unknown };
}
