/** Output of child processes, made fit to show: colour codes removed, blank lines dropped. */

/** Terminal colour codes (ESC [ ... m); child output is shown as plain text. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The non-blank lines of a chunk of output, without colour codes. */
export function outputLines(text: string): string[] {
  return stripAnsi(text)
    .split("\n")
    .filter((l) => l.trim() !== "");
}
