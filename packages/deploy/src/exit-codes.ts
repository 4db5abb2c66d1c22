/**
 * Process exit codes of `pnpm infra`. CI branches on them, so each cause has its own.
 */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The engine reported an error or a resource step failed. */
  failed: 1,
  /** Bad arguments or refused input (unknown stack, bad CIDR, missing passphrase). */
  usage: 2,
  /** The Pulumi CLI is not installed. */
  cliMissing: 3,
  /** A policy pack reported a mandatory violation. */
  policy: 4,
  /** The protected-environment gate refused a replace or delete. */
  gate: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
