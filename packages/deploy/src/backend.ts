/**
 * The backend and secrets settings handed to the workspace. They are passed explicitly
 * (never left to whatever `pulumi login` a machine happens to have), so CI and a laptop
 * deploy the same state with the same key.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The state directory inside the repository when no backend is configured (git-ignored). */
export const LOCAL_STATE_DIR = ".pulumi-state";

export interface BackendSettings {
  readonly backendUrl: string;
  /** Whether the backend is the local file backend inside the repository. */
  readonly localFile: boolean;
  /** Directory to create before the run (the local state directory), if any. */
  readonly stateDir?: string;
  /** Environment for every CLI call: backend, passphrase, no update check. */
  readonly envVars: Record<string, string>;
  readonly pulumiHome: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Backends that keep secrets encrypted with a passphrase unless the stack names a KMS. */
function isSelfManaged(url: string): boolean {
  return !/^https?:\/\//.test(url);
}

/** The Pulumi home: `PULUMI_HOME`, else `~/.pulumi`. */
export function pulumiHome(env: Env): string {
  return env["PULUMI_HOME"] ?? path.join(env["HOME"] ?? os.homedir(), ".pulumi");
}

/**
 * Resolves backend and secrets settings from the environment. Returns the problems instead
 * when a self-managed backend has no passphrase and the stack uses no other secrets provider.
 */
export function resolveBackend(
  env: Env,
  workDir: string,
  secretsProvider: string | undefined,
): { ok: true; settings: BackendSettings } | { ok: false; problems: string[] } {
  const configured = env["PULUMI_BACKEND_URL"];
  const localFile = configured === undefined || configured === "";
  const stateDir = path.join(workDir, LOCAL_STATE_DIR);
  const backendUrl = localFile ? `file://${stateDir}` : configured;
  const envVars: Record<string, string> = { PULUMI_BACKEND_URL: backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true" };
  const problems: string[] = [];
  const usesPassphrase = secretsProvider === undefined || secretsProvider === "passphrase";
  if (isSelfManaged(backendUrl) && usesPassphrase) {
    const passphrase = env["PULUMI_CONFIG_PASSPHRASE"];
    const passphraseFile = env["PULUMI_CONFIG_PASSPHRASE_FILE"];
    if (passphrase !== undefined) envVars["PULUMI_CONFIG_PASSPHRASE"] = passphrase;
    else if (passphraseFile !== undefined && passphraseFile !== "") {
      if (!fs.existsSync(passphraseFile)) problems.push(`PULUMI_CONFIG_PASSPHRASE_FILE names "${passphraseFile}", which does not exist: point it at the file holding the stack passphrase`);
      envVars["PULUMI_CONFIG_PASSPHRASE_FILE"] = passphraseFile;
    } else {
      problems.push(
        `the backend ${backendUrl} keeps stack secrets encrypted with a passphrase, and neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set: export one of them (CI: a repository secret)`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    settings: { backendUrl, localFile, ...(localFile ? { stateDir } : {}), envVars, pulumiHome: pulumiHome(env) },
  };
}
