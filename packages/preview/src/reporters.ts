/**
 * Reporters: the extension point for sections computed from a finished preview, such as a
 * zone reachability matrix. A reporter sees what the engine would see after the preview
 * (every registration with its inputs, property dependencies and outputs, and every policy
 * violation) and returns a section: `text` for the human output, printed under its title,
 * and `json` for `--json`, where it appears as a top-level key named after the reporter.
 *
 * To add one, export it and add it to {@link DEFAULT_REPORTERS} (the CLI runs those), or
 * pass `reporters` to `runOfflinePreview`. A reporter that needs a CLI flag (say, a file to
 * write a diagram to) reads it from `flags`, which holds the CLI's unrecognised
 * `--name value` pairs it declared in {@link Reporter.flags}.
 */
import { zoneMatrixReporter } from "./reporters/zone-matrix";
import type { Json, PropertyMap, RecordedResource, Report, Violation } from "./types";

export interface ReporterInput {
  readonly stack: string;
  readonly project: string;
  /** Every registration, the stack first, in order (default providers excluded). */
  readonly resources: readonly RecordedResource[];
  readonly violations: readonly Violation[];
  readonly outputs: PropertyMap;
  /** Values of the flags the reporter declared, as given on the command line. */
  readonly flags: Readonly<Record<string, string>>;
  /** Where relative paths in flags resolve (the directory the command was typed in). */
  readonly cwd: string;
  /** The stack's config as the program saw it (`namespace:key` to its JSON text). */
  readonly config?: Readonly<Record<string, string>>;
}

export interface Reporter {
  /** The key under which the section appears in `--json` and in `PreviewResult.reports`. */
  readonly name: string;
  /** The heading of the section in the human output. */
  readonly title: string;
  /** Extra CLI flags (without `--`) this reporter reads, each taking a value. */
  readonly flags?: readonly string[];
  /** Computes the section; `undefined` leaves it out (nothing to report for this stack). */
  report(input: ReporterInput): Report | undefined | Promise<Report | undefined>;
}

/** The reporters the CLI runs. */
export const DEFAULT_REPORTERS: Reporter[] = [zoneMatrixReporter];

/** Keys of the `--json` output a reporter may not take. */
export const RESERVED_JSON_KEYS: readonly string[] = [
  "stack", "project", "resources", "violations", "summary", "outputs", "policyPacks", "error", "diagnostics",
];

/** Runs the reporters in order; a reporter's name must be unique and not reserved. */
export async function runReporters(
  reporters: readonly Reporter[],
  input: ReporterInput,
): Promise<Record<string, Report>> {
  const out: Record<string, Report> = {};
  for (const r of reporters) {
    if (RESERVED_JSON_KEYS.includes(r.name) || r.name in out) {
      throw new Error(`reporter name "${r.name}" is reserved or already taken: choose another`);
    }
    const report = await r.report(input);
    if (report !== undefined) out[r.name] = { title: r.title, ...report };
  }
  return out;
}

/** A JSON-safe copy of a report's value (reporters return plain data). */
export function reportJson(report: Report): Json | undefined {
  return report.json === undefined ? undefined : (JSON.parse(JSON.stringify(report.json)) as Json);
}
