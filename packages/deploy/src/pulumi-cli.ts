/**
 * Finding the Pulumi CLI before anything starts. The Automation API would otherwise fail
 * deep inside with a spawn error; here a missing CLI is one line that says how to install it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import type { Env } from "./backend";

/** The CLI version installed by `--install-cli`: the SDK's own, which it is tested with. */
export const PINNED_CLI_VERSION = sdkVersion;

/** How long `--install-cli` may take before the driver gives up (slow or blocked network). */
export const INSTALL_TIMEOUT_MS = 180_000;

export interface CliLocation {
  /** The executable's path. */
  readonly command: string;
  /** The install root (holding `bin/pulumi`), for `PulumiCommand.get`; absent, PATH decides. */
  readonly root?: string;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the CLI may live outside PATH: the installer's and the SDK installer's locations. */
export function candidateRoots(home: string): string[] {
  return [home, path.join(home, "versions", PINNED_CLI_VERSION)];
}

/** Finds `pulumi` on PATH, then under the Pulumi home. No process is started. */
export function findPulumiCli(env: Env, home: string): CliLocation | undefined {
  const exe = process.platform === "win32" ? "pulumi.exe" : "pulumi";
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const file = path.join(dir, exe);
    // Under a bin/ directory the parent is an install root: the SDK then runs exactly this
    // file and puts its directory first on PATH, where the CLI's bundled plugins live.
    if (isExecutable(file)) return path.basename(dir) === "bin" ? { command: file, root: path.dirname(dir) } : { command: file };
  }
  for (const root of candidateRoots(home)) {
    const file = path.join(root, "bin", exe);
    if (isExecutable(file)) return { command: file, root };
  }
  return undefined;
}

/** The one line printed when the CLI is missing. */
export function missingCliMessage(home: string): string {
  return (
    `error: the Pulumi CLI is not installed (no "pulumi" on PATH or in ${path.join(home, "bin")}): ` +
    `install it with \`curl -fsSL https://get.pulumi.com | sh -s -- --version ${PINNED_CLI_VERSION}\`, ` +
    `or rerun with --install-cli to install ${PINNED_CLI_VERSION} through the SDK`
  );
}

/**
 * Installs the pinned CLI under `<home>/versions/<version>` through the SDK, giving up after
 * {@link INSTALL_TIMEOUT_MS}. Resolves to the location, or rejects with a one-line reason.
 */
export async function installPulumiCli(home: string, timeoutMs = INSTALL_TIMEOUT_MS): Promise<CliLocation> {
  const root = path.join(home, "versions", PINNED_CLI_VERSION);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the install did not finish within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    const cmd = await Promise.race([PulumiCommand.install({ root }), timeout]);
    return { command: cmd.command, root };
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
    throw new Error(`installing the Pulumi CLI ${PINNED_CLI_VERSION} into ${root} failed (${reason}): install it by hand with \`curl -fsSL https://get.pulumi.com | sh -s -- --version ${PINNED_CLI_VERSION}\``);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
