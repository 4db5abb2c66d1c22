/**
 * One error for many problems: validation collects every problem first and throws once,
 * so a user fixes their config in one pass.
 */

export interface Problem {
  /** The argument or config key as the user writes it, e.g. `pfv5:sshAllowedCidrs[1]`. */
  readonly key: string;
  /** The value received, shown quoted. */
  readonly value: unknown;
  /** What is wrong, why it matters, and the fix. */
  readonly message: string;
}

function show(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Formats one problem as `key = "value": message`. */
export function formatProblem(p: Problem): string {
  return `${p.key} = ${show(p.value)}: ${p.message}`;
}

export class ValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${subject}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ValidationError";
  }
}

/**
 * Throws a {@link ValidationError} when there is any problem. A problem found twice (two
 * components checking one shared setting, such as a stack's `domain`) is listed once.
 */
export function throwIfProblems(subject: string, problems: readonly Problem[]): void {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const line = formatProblem(p);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  if (unique.length > 0) throw new ValidationError(subject, unique);
}

/**
 * Runs `fn`; when it throws a {@link ValidationError}, throws it again with every key
 * under `prefix`, so a component's `jwt.issuer` reads as the config key the user wrote,
 * `pfv5:cluster.jwt.issuer`.
 */
export function underKey<T>(prefix: string, subject: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(
      subject,
      e.problems.map((p) => ({ ...p, key: p.key.startsWith("[") ? `${prefix}${p.key}` : `${prefix}.${p.key}` })),
    );
  }
}

/**
 * The problems with every value under a secret key replaced by `[secret]`, so an error
 * about a secret setting names the key without echoing the secret.
 */
export function redactSecrets(problems: readonly Problem[], secretKeys: readonly string[]): Problem[] {
  const secret = (key: string): boolean => secretKeys.some((s) => key === s || key.startsWith(`${s}.`) || key.startsWith(`${s}[`));
  return problems.map((p) => (secret(p.key) ? { ...p, value: "[secret]" } : p));
}

/**
 * The problems with each key's leading argument name replaced through `names`, e.g.
 * `{ blockedCidrs: "pfv5:blockedCidrs" }` turns a component's `blockedCidrs[2]` into the
 * config key the user wrote, `pfv5:blockedCidrs[2]`.
 */
export function renameKeys(problems: readonly Problem[], names: Readonly<Record<string, string>>): Problem[] {
  // Messages name arguments too ("... or set networkAclRuleLimit"): camel-case names are
  // identifiers, never English words, so they can be replaced in the text safely.
  const identifiers = Object.entries(names).filter(([from]) => /[a-z][A-Z]/.test(from));
  return problems.map((p) => {
    const m = /^([^.[]+)(.*)$/.exec(p.key);
    const to = m?.[1] !== undefined ? names[m[1]] : undefined;
    let message = p.message;
    for (const [from, into] of identifiers) message = message.replace(new RegExp(`(?<![\\w:.])${from}(?![\\w])`, "g"), into);
    return { ...p, key: to === undefined ? p.key : `${to}${m?.[2] ?? ""}`, message };
  });
}
