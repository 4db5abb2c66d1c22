/**
 * What a packed tarball must hold to work as published: real versions in place of the
 * workspace protocols, every entry point present with its declarations, no tests, and every
 * module the shipped code requires declared as a dependency or peer.
 */
import { builtinModules } from "node:module";
import { DEPENDENCY_FIELDS, type ExportTarget, type Manifest } from "./workspace";

export interface PackedTarball {
  /** The manifest inside the tarball (pnpm rewrites it on pack). */
  readonly manifest: Manifest;
  /** The tarball's files, relative to the package root (`dist/index.js`). */
  readonly files: readonly string[];
  /** The text of one of `files`. */
  readonly read: (file: string) => string;
  /** The version of every workspace package, by name. */
  readonly workspaceVersions: ReadonlyMap<string, string>;
}

const TEST_FILE = /(^|\/)[^/]*\.test\.[^/]*$|(^|\/)testing\//;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function normalize(file: string): string {
  return file.replace(/^\.\//, "");
}

function exportTargets(target: ExportTarget | undefined): string[] {
  if (target === undefined) return [];
  if (typeof target === "string") return [target];
  return Object.values(target).flatMap(exportTargets);
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || BUILTINS.has(specifier) || BUILTINS.has(specifier.split("/")[0] ?? "")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The module specifiers a compiled CommonJS file requires. */
export function requiredModules(js: string): string[] {
  return [...js.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? "");
}

/** The module specifiers a declaration file imports (statements and `import("...")` types). */
export function importedInDeclarations(dts: string): string[] {
  return [...dts.matchAll(/\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** Every problem with one packed tarball, each naming the file or field and the fix. */
export function checkTarball(t: PackedTarball): string[] {
  const problems: string[] = [];
  const m = t.manifest;
  const files = new Set(t.files);

  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(m[field] ?? {})) {
      if (/^(workspace|catalog):/.test(range)) {
        problems.push(`${field}["${dep}"] is still "${range}" in the packed manifest: pack with pnpm, which replaces it with a version`);
      }
      const own = t.workspaceVersions.get(dep);
      if (own !== undefined && field !== "devDependencies" && range !== own) {
        problems.push(`${field}["${dep}"] is "${range}" but the workspace has ${dep}@${own}: depend on it with "workspace:*"`);
      }
    }
  }

  const entryPoints = [
    ...(m.main !== undefined ? [["main", m.main]] : []),
    ...(m.types !== undefined ? [["types", m.types]] : []),
    ...Object.entries(m.bin ?? {}).map(([name, file]) => [`bin.${name}`, file]),
    ...Object.entries(m.exports ?? {}).flatMap(([sub, target]) => exportTargets(target).map((file) => [`exports["${sub}"]`, file])),
  ] as [string, string][];
  if (m.exports === undefined) problems.push(`has no "exports": add one, so consumers resolve dist/ and its declarations`);
  if (m.types === undefined) problems.push(`has no "types": point it at the declarations of "main"`);
  for (const [field, file] of entryPoints) {
    if (!files.has(normalize(file))) problems.push(`${field} points at ${file}, which the tarball does not contain: build first, or fix "files"`);
  }

  for (const file of t.files) {
    if (TEST_FILE.test(file)) problems.push(`ships test code ${file}: exclude it in "files"`);
  }
  const scripts = t.files.filter((f) => f.endsWith(".js") && !TEST_FILE.test(f));
  if (scripts.length === 0) problems.push(`ships no compiled JavaScript: run the build before packing`);
  const declared = new Set(Object.keys({ ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies }));
  const used = new Set<string>();
  // The sources ship beside the build, so an output without its source is left over from
  // a file that no longer exists (incremental builds never delete).
  const shipsSources = t.files.some((f) => f.startsWith("src/"));
  for (const js of scripts) {
    const source = js.replace(/^(dist|bin)\//, "src/").replace(/\.js$/, ".ts");
    if (shipsSources && /^(dist|bin)\//.test(js) && !files.has(source)) {
      problems.push(`${js} has no source (${source}): it is left over from an earlier build; run tsc -b --clean, then build`);
    }
    if (!files.has(js.replace(/\.js$/, ".d.ts")) && !js.endsWith(".d.js")) {
      problems.push(`${js} has no declarations beside it (${js.replace(/\.js$/, ".d.ts")}): keep "declaration" on`);
    }
    for (const specifier of requiredModules(t.read(js))) {
      if (/(^|\/)test\/setup(\/|$)/.test(specifier)) problems.push(`${js} requires the test setup ("${specifier}"): only specs may`);
      const pkg = packageOf(specifier);
      if (pkg === undefined) continue;
      used.add(pkg);
      if (!declared.has(pkg)) {
        problems.push(`${js} requires "${specifier}", but "${pkg}" is neither a dependency nor a peer: declare it (a peer for the Pulumi SDKs)`);
      }
    }
  }
  // Declarations name packages the JavaScript may not (type-only imports): a consumer's
  // type-check needs those installed too. A policy pack is run by the engine, not compiled
  // against, so its declarations may use the SDKs it was tested with.
  const policyPack = files.has("PulumiPolicy.yaml");
  const undeclaredTypes = new Map<string, string[]>();
  for (const dts of t.files.filter((f) => !policyPack && f.endsWith(".d.ts") && !TEST_FILE.test(f))) {
    for (const specifier of importedInDeclarations(t.read(dts))) {
      const pkg = packageOf(specifier);
      if (pkg === undefined || pkg === m.name) continue;
      used.add(pkg);
      if (!declared.has(pkg) && !pkg.startsWith("@types/")) undeclaredTypes.set(pkg, [...(undeclaredTypes.get(pkg) ?? []), dts]);
    }
  }
  for (const [pkg, where] of undeclaredTypes) {
    const files = [...new Set(where)];
    problems.push(
      `${files[0] ?? ""}${files.length > 1 ? ` and ${files.length - 1} more declaration file(s)` : ""} import types from "${pkg}", which is neither a dependency nor a peer: declare it (an optional peer if only types need it)`,
    );
  }
  for (const peer of Object.keys(m.peerDependencies ?? {})) {
    if (!used.has(peer)) problems.push(`peerDependencies["${peer}"] is never required by the shipped code: drop it, so consumers need not install it`);
  }
  // A policy pack runs on its own (the engine starts it in its directory), so it carries
  // its SDKs; a component library shares the program's copy through peers.
  if (!policyPack) {
    for (const dep of Object.keys(m.dependencies ?? {})) {
      if (dep.startsWith("@pulumi/")) problems.push(`dependencies["${dep}"]: make the Pulumi SDK a peer, so a consumer's program keeps one copy`);
    }
  }
  if (!files.has("README.md")) problems.push(`has no README.md: add one with a usage example`);
  return problems;
}
