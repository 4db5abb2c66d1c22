/**
 * Fields of a config entry that the code does not read. A misspelt field is otherwise
 * dropped without a word, and a secret pasted into config would sit in the stack file
 * and in state: both are reported, secrets without their value.
 */
import type { Problem } from "@pfv5/zones";
import { looksLikePrivateKey } from "./ssh-keys";
import { isWireGuardKey } from "./wireguard-keys";

/** What is shown in place of a value that may be a secret. */
export const NOT_SHOWN = "<not shown>";

/** How an entry kind speaks about the secrets a user might paste into it. */
export interface EntryKind {
  /** The entry as a user calls it, e.g. `an admin user`. */
  readonly noun: string;
  /** The fields the code reads, in the order the docs list them. */
  readonly known: readonly string[];
  /** Why a private key must not be here, and what to do instead. */
  readonly privateKey: string;
  /** Why a password must not be here, and what to do instead. */
  readonly password: string;
}

/** Field names compared without case, `_` or `-`: `public_key` and `PublicKey` are `publicKey`. */
function normal(field: string): string {
  return field.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The known field a misspelling most likely means, if one is close. */
function closest(field: string, known: readonly string[]): string | undefined {
  const n = normal(field);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(n, normal(name));
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** A value that could be key material: never repeated in a message or a log. */
function looksSecret(value: unknown): boolean {
  return typeof value === "string" && (looksLikePrivateKey(value) || isWireGuardKey(value.trim()));
}

/**
 * One problem per field of `entry` outside `kind.known`, under `at.field`. A field whose
 * name says private key, password or secret gets a plain "never in config" and its value
 * is not shown; so is any value that looks like key material.
 */
export function unknownFields(at: string, entry: Readonly<Record<string, unknown>>, kind: EntryKind): Problem[] {
  const problems: Problem[] = [];
  const list = kind.known.join(", ");
  for (const [field, value] of Object.entries(entry)) {
    if (kind.known.includes(field)) continue;
    const key = `${at}.${field}`;
    const n = normal(field);
    if (n.includes("private")) {
      problems.push({ key, value: NOT_SHOWN, message: kind.privateKey });
    } else if (n.includes("passw") || n === "pass") {
      problems.push({ key, value: NOT_SHOWN, message: kind.password });
    } else if (n.includes("secret") || n.includes("preshared") || n.includes("token")) {
      problems.push({ key, value: NOT_SHOWN, message: `is a secret, and secrets must never be in config (it would sit in the stack file and in state): remove it; ${kind.noun} has the fields ${list}` });
    } else {
      const meant = closest(field, kind.known);
      problems.push({
        key,
        value: looksSecret(value) ? NOT_SHOWN : value,
        message:
          meant !== undefined
            ? `is not a field of ${kind.noun}, so it would be ignored: did you mean "${meant}"? The known fields are ${list}`
            : `is not a field of ${kind.noun}, so it would be ignored: remove it; the known fields are ${list}`,
      });
    }
  }
  return problems;
}
