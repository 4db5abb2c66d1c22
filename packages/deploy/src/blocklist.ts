/**
 * The incident blocklist: `pfv5:blockedCidrs` in a stack file, a plain list of CIDR strings
 * that the network components turn into deny entries. The reason and time of each block
 * travel as the entry's YAML comment, so the config value stays a list of strings and the
 * file tells whoever lifts the block why it was set. Validation and edits are pure.
 */
import { isScalar, isSeq, parseDocument, Scalar, YAMLSeq, type Document } from "yaml";
import {
  AWS_ADDRESS_PLAN,
  AZURE_ADDRESS_PLAN,
  VPN_CIDR,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  isValidCidr,
  parseCidr,
  type Problem,
} from "@pfv5/zones";
import { decodeConfigValue } from "./stack-file";

export const BLOCKED_CIDRS_KEY = "pfv5:blockedCidrs";
export const ADMIN_CIDRS_KEY = "pfv5:sshAllowedCidrs";
export const ADDRESS_PLAN_KEY = "pfv5:addressPlan";

/** What a block must not touch, read from the stack config. */
export interface BlockContext {
  /** The VPC or VNet block and where it came from (a config key or the default plan). */
  readonly networkCidr: string;
  readonly networkCidrSource: string;
  /** Authorized administrator blocks, as `[key, cidr]`. */
  readonly adminCidrs: readonly (readonly [string, string])[];
  /** The VPN client range: blocking it locks out administrators on the VPN. */
  readonly vpnCidr: string;
}

/** Reads the network block, admin CIDRs and VPN range that a block must leave alone. */
export function blockContext(config: Readonly<Record<string, unknown>>, cloud: string | undefined): BlockContext {
  const plan = decodeConfigValue(config[ADDRESS_PLAN_KEY]);
  const planCidr = typeof plan === "object" && plan !== null ? (plan as Record<string, unknown>)["cidr"] : undefined;
  const fallback = cloud === "azure" ? AZURE_ADDRESS_PLAN : AWS_ADDRESS_PLAN;
  const admins = decodeConfigValue(config[ADMIN_CIDRS_KEY]);
  const adminCidrs: (readonly [string, string])[] = [];
  (Array.isArray(admins) ? (admins as unknown[]) : []).forEach((v, i) => {
    const key = `${ADMIN_CIDRS_KEY}[${i}]`;
    // A malformed admin entry is the stack validation's to report; it protects nothing here.
    if (typeof v === "string" && checkCidr(key, v).length === 0) adminCidrs.push([key, v]);
  });
  return typeof planCidr === "string" && checkCidr("cidr", planCidr).length === 0
    ? { networkCidr: planCidr, networkCidrSource: `${ADDRESS_PLAN_KEY}.cidr`, adminCidrs, vpnCidr: VPN_CIDR }
    : { networkCidr: fallback.cidr, networkCidrSource: `the default ${cloud === "azure" ? "Azure" : "AWS"} address plan`, adminCidrs, vpnCidr: VPN_CIDR };
}

/**
 * Problems with blocking `cidr` (the argument as the user typed it): it must parse, must not
 * be everything, and must not overlap the network itself, an admin CIDR or the VPN range.
 */
export function checkBlock(cidr: string, ctx: BlockContext): Problem[] {
  const key = "<cidr>";
  const bad = checkCidr(key, cidr);
  if (bad.length > 0) return bad.map((p) => ({ ...p, message: `${p.message}; give the attacker's block, e.g. 203.0.113.0/24 or 198.51.100.7/32` }));
  const c = parseCidr(cidr);
  const problems: Problem[] = [];
  if (c.prefix === 0) {
    problems.push({ key, value: cidr, message: "would block every address: give the attacker's block, e.g. 203.0.113.0/24" });
  }
  if (cidrsOverlap(c, ctx.networkCidr)) {
    problems.push({
      key,
      value: cidr,
      message: `overlaps the network's own block ${ctx.networkCidr} (${ctx.networkCidrSource}): blocking it would cut the network off from itself; block the attacker's public range, or quarantine a compromised pod with the label pfv5.io/quarantine=true`,
    });
  }
  for (const [adminKey, admin] of ctx.adminCidrs) {
    if (cidrsOverlap(c, admin)) {
      problems.push({
        key,
        value: cidr,
        message: `overlaps the authorized admin CIDR ${admin} (${adminKey}): it would lock administrators out; remove ${admin} from ${ADMIN_CIDRS_KEY} first if that is intended`,
      });
    }
  }
  if (cidrsOverlap(c, ctx.vpnCidr)) {
    problems.push({ key, value: cidr, message: `overlaps the VPN client range ${ctx.vpnCidr}: administrators on the VPN would be locked out; revoke the peer instead` });
  }
  return problems;
}

export interface BlockEntry {
  readonly cidr: string;
  /** The entry's comment (when and why), if any. */
  readonly note?: string;
}

/** Thrown when the stack file's blocklist cannot be edited safely. */
export class BlocklistEditError extends Error {
  override name = "BlocklistEditError";
}

function readSeq(doc: Document, file: string): YAMLSeq | undefined {
  const node: unknown = doc.getIn(["config", BLOCKED_CIDRS_KEY], true);
  if (node === undefined || node === null) return undefined;
  if (isSeq(node)) return node;
  if (isScalar(node)) {
    if (node.value === null) return undefined;
    // `pulumi config set pfv5:blockedCidrs '["..."]'` stores JSON text: turn it into a list.
    const decoded = decodeConfigValue(node.value);
    if (Array.isArray(decoded) && decoded.every((v): v is string => typeof v === "string")) {
      const seq = new YAMLSeq<Scalar<string>>();
      seq.items.push(...decoded.map((v) => new Scalar(v)));
      doc.setIn(["config", BLOCKED_CIDRS_KEY], seq);
      return seq;
    }
  }
  throw new BlocklistEditError(
    `${file}: config "${BLOCKED_CIDRS_KEY}" is not a list of CIDR strings (secret or malformed): fix it by hand to a YAML list such as\n  ${BLOCKED_CIDRS_KEY}:\n    - 203.0.113.0/24`,
  );
}

function entries(seq: YAMLSeq | undefined, file: string): { cidr: string; canonical: string; note?: string; index: number }[] {
  return (seq?.items ?? []).map((item, index) => {
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== "string") throw new BlocklistEditError(`${file}: ${BLOCKED_CIDRS_KEY}[${index}] is not a string: fix the entry by hand`);
    let canonical = value;
    try {
      canonical = parseCidr(value).text;
    } catch {
      // Left as written: the stack's own validation names it.
    }
    const note = isScalar(item) && item.comment ? item.comment.trim() : undefined;
    return { cidr: value, canonical, ...(note ? { note } : {}), index };
  });
}

/** The blocklist of a stack file's text. */
export function readBlocklist(text: string, file = "stack file"): BlockEntry[] {
  const doc = parseDocument(text);
  return entries(readSeq(doc, file), file).map(({ cidr, note }) => (note !== undefined ? { cidr, note } : { cidr }));
}

export interface EditResult {
  readonly text: string;
  readonly changed: boolean;
  /** What happened, for the user. */
  readonly message: string;
}

/**
 * Adds `cidr` (already validated) with `note` as its comment, keeping the rest of the file
 * (comments, order, quoting) as it was. A block already listed, or inside a listed block, is
 * left alone.
 */
export function addBlockedCidr(text: string, cidr: string, note: string, file = "stack file"): EditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new BlocklistEditError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ""}`);
  const canonical = parseCidr(cidr).text;
  const seq = readSeq(doc, file);
  const current = entries(seq, file);
  const same = current.find((e) => e.canonical === canonical);
  if (same !== undefined) return { text, changed: false, message: `${canonical} is already blocked (${BLOCKED_CIDRS_KEY}[${same.index}])` };
  const cover = current.find((e) => isValidCidr(e.cidr) && cidrContains(e.cidr, canonical));
  if (cover !== undefined) return { text, changed: false, message: `${canonical} is already inside the blocked ${cover.cidr} (${BLOCKED_CIDRS_KEY}[${cover.index}])` };
  const item = new Scalar(canonical);
  item.comment = ` ${note}`;
  if (seq === undefined) {
    const list = new YAMLSeq<Scalar<string>>();
    list.items.push(item);
    if (!doc.hasIn(["config"]) || doc.getIn(["config"]) === null) doc.set("config", doc.createNode({}));
    doc.setIn(["config", BLOCKED_CIDRS_KEY], list);
  } else {
    seq.flow = false;
    seq.items.push(item);
  }
  return { text: doc.toString(), changed: true, message: `added ${canonical} to ${BLOCKED_CIDRS_KEY}` };
}

/** Removes `cidr` (any spelling of the same block). Not listed is an error naming the list. */
export function removeBlockedCidr(text: string, cidr: string, file = "stack file"): EditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new BlocklistEditError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ""}`);
  let canonical = cidr;
  try {
    canonical = parseCidr(cidr).text;
  } catch {
    // An entry written badly by hand can still be removed by its exact text.
  }
  const seq = readSeq(doc, file);
  const current = entries(seq, file);
  const hit = current.find((e) => e.canonical === canonical || e.cidr === cidr);
  if (seq === undefined || hit === undefined) {
    throw new BlocklistEditError(
      `"${cidr}" is not in ${BLOCKED_CIDRS_KEY} of ${file}: ` +
        (current.length > 0 ? `the blocked CIDRs are ${current.map((e) => e.cidr).join(", ")}` : "nothing is blocked"),
    );
  }
  seq.items.splice(hit.index, 1);
  return { text: doc.toString(), changed: true, message: `removed ${hit.cidr} from ${BLOCKED_CIDRS_KEY}${hit.note ? ` (was: ${hit.note})` : ""}` };
}

/** The comment kept beside an entry: when, and why. */
export function blockNote(reason: string, at: Date): string {
  return `${at.toISOString().replace(/\.\d{3}Z$/, "Z")} ${reason}`;
}
