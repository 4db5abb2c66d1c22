/**
 * The administrators who may log in to an access host, each with their own public keys.
 * Passwords are locked: keys are the only way in.
 */
import type { Problem } from "@pfv5/zones";
import { unknownFields, type EntryKind } from "./fields";
import { looksLikePrivateKey, parseSshPublicKey } from "./ssh-keys";

export interface AdminUser {
  /** The login name, e.g. `alice`. */
  readonly name: string;
  /** OpenSSH public keys, one authorized_keys line each (the content of `~/.ssh/id_ed25519.pub`). */
  readonly publicKeys: readonly string[];
  /**
   * Whether the user may run commands as root. Passwords are locked, so sudo is
   * passwordless; a jump host needs no root for ProxyJump.
   * @default false
   */
  readonly sudo?: boolean;
}

/** The fields of a user entry, as {@link checkUsers} reads them. */
export const ADMIN_USER_FIELDS: readonly string[] = ["name", "publicKeys", "sudo"];

const USER_ENTRY: EntryKind = {
  noun: "an admin user",
  known: ADMIN_USER_FIELDS,
  privateKey:
    "a private key must never be in config: it stays on its owner's machine, and the host needs only the public half; remove this field and list the .pub file's line in publicKeys",
  password:
    "a password must never be in config: passwords are locked on these hosts and keys are the only way in, so it would only leak; remove this field",
};

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Names that belong to the system or to the image and must not be taken over. */
export const RESERVED_USER_NAMES: readonly string[] = ["root", "bin", "daemon", "adm", "nobody", "sshd", "ssm-user", "ec2-user", "ubuntu", "azureuser"];

/**
 * Problems with the user list: names, duplicates, every key, and every field the code does
 * not read (a password or private key among them is named, its value never shown). With
 * `required`, the list must name at least one user (a host reachable over SSH with nobody
 * allowed in is a configuration mistake).
 */
export function checkUsers(key: string, users: unknown, required: boolean): Problem[] {
  if (users === undefined && !required) return [];
  if (!Array.isArray(users)) {
    return [{ key, value: users, message: 'expected a list of users such as [{ name: "alice", publicKeys: ["ssh-ed25519 AAAA... alice@laptop"] }]' }];
  }
  const problems: Problem[] = [];
  if (required && users.length === 0) {
    problems.push({ key, value: users, message: "names nobody, so no one could log in over SSH: add a user with a public key, or turn SSH off" });
  }
  const seen = new Map<string, number>();
  users.forEach((raw: unknown, i) => {
    const at = `${key}[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push({ key: at, value: raw, message: "expected an object with name and publicKeys" });
      return;
    }
    const u = raw as Record<string, unknown>;
    problems.push(...unknownFields(at, u, USER_ENTRY));
    const name = u["name"];
    if (typeof name !== "string" || !USER_NAME.test(name)) {
      problems.push({ key: `${at}.name`, value: name, message: "expected a login name: lower-case letters, digits, '_' or '-', at most 32, not starting with a digit" });
    } else if (RESERVED_USER_NAMES.includes(name)) {
      problems.push({ key: `${at}.name`, value: name, message: "is a system or image account: give each administrator a personal name" });
    } else if (seen.has(name)) {
      problems.push({ key: `${at}.name`, value: name, message: `is already used by ${key}[${seen.get(name)}]: list each user once with all their keys` });
    } else seen.set(name, i);
    const keys = u["publicKeys"];
    if (!Array.isArray(keys) || keys.length === 0) {
      problems.push({ key: `${at}.publicKeys`, value: keys, message: "expected at least one OpenSSH public key: passwords are locked, so a user without a key cannot log in" });
    } else {
      keys.forEach((k: unknown, j) => {
        if (typeof k !== "string") {
          problems.push({ key: `${at}.publicKeys[${j}]`, value: k, message: "expected an OpenSSH public key line" });
          return;
        }
        try {
          parseSshPublicKey(k);
        } catch (e) {
          // Never echo a pasted private key into an error message or a log.
          const shown = looksLikePrivateKey(k) ? "<private key, not shown>" : k.length > 60 ? `${k.slice(0, 57)}...` : k;
          problems.push({ key: `${at}.publicKeys[${j}]`, value: shown, message: e instanceof Error ? e.message : String(e) });
        }
      });
    }
    if (u["sudo"] !== undefined && typeof u["sudo"] !== "boolean") {
      problems.push({ key: `${at}.sudo`, value: u["sudo"], message: "expected true or false" });
    }
  });
  return problems;
}
