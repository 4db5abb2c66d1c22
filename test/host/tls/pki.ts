/**
 * A throw-away certificate chain made with the openssl CLI: root -> intermediate -> leaf,
 * ECDSA P-256, the leaf valid for the given DNS names. It has no OCSP responder URL.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "./processes";

export interface TestChain {
  /** The root certificate clients trust. */
  readonly rootPath: string;
  /** Leaf then intermediate (`ssl_certificate`). */
  readonly fullChainPath: string;
  readonly keyPath: string;
  /** Intermediate then root (`ssl_trusted_certificate`). */
  readonly trustedPath: string;
}

async function openssl(args: readonly string[]): Promise<void> {
  const r = await run("openssl", args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(" ")} failed (${String(r.code)}): ${r.stderr}`);
}

/** Writes the chain into `dir` (which must exist) and returns the file paths. */
export async function makeTestChain(dir: string, dnsNames: readonly string[]): Promise<TestChain> {
  const f = (name: string) => path.join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await openssl(["req", "-x509", ...ec, "-keyout", f("root.key"), "-out", f("root.pem"), "-days", "2", "-subj", "/CN=pfv5 test root",
    "-addext", "basicConstraints=critical,CA:TRUE,pathlen:1", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await openssl(["req", ...ec, "-keyout", f("intermediate.key"), "-out", f("intermediate.csr"), "-subj", "/CN=pfv5 test intermediate"]);
  fs.writeFileSync(f("intermediate.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
  await openssl(["x509", "-req", "-in", f("intermediate.csr"), "-CA", f("root.pem"), "-CAkey", f("root.key"), "-CAcreateserial",
    "-out", f("intermediate.pem"), "-days", "2", "-extfile", f("intermediate.ext")]);
  await openssl(["req", ...ec, "-keyout", f("leaf.key"), "-out", f("leaf.csr"), "-subj", `/CN=${dnsNames[0] ?? "localhost"}`]);
  fs.writeFileSync(f("leaf.ext"), [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(",")}`,
    "",
  ].join("\n"));
  await openssl(["x509", "-req", "-in", f("leaf.csr"), "-CA", f("intermediate.pem"), "-CAkey", f("intermediate.key"), "-CAcreateserial",
    "-out", f("leaf.pem"), "-days", "2", "-extfile", f("leaf.ext")]);
  const read = (n: string) => fs.readFileSync(f(n), "utf8");
  fs.writeFileSync(f("fullchain.pem"), read("leaf.pem") + read("intermediate.pem"));
  fs.writeFileSync(f("trusted.pem"), read("intermediate.pem") + read("root.pem"));
  return { rootPath: f("root.pem"), fullChainPath: f("fullchain.pem"), keyPath: f("leaf.key"), trustedPath: f("trusted.pem") };
}
