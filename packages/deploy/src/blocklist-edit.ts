/**
 * Edits of the incident blocklist in a stack file's text. An edit touches only the lines of
 * the blocklist: the entry's own line, or the key with its list when the first entry comes
 * or the last one goes. Every other byte (comments, quoting, long lines such as SSH keys,
 * blank lines) stays as written, so the diff a reviewer sees is the block and nothing else.
 * A blocklist in another shape (a flow list, JSON text from `pulumi config set`, a flow
 * `config` map) is edited through the YAML document instead, printed without folding. Pure.
 */
import { isMap, isNode, isScalar, isSeq, parse, parseDocument, Scalar, YAMLSeq, type Document, type Range } from "yaml";
import { checkCidr, cidrContains, isValidCidr, parseCidr } from "@pfv5/zones";
import { BLOCKED_CIDRS_KEY } from "./blocklist";
import { decodeConfigValue } from "./stack-file";

export interface BlockEntry {
  readonly cidr: string;
  /** The entry's comment (when and why), if any. */
  readonly note?: string;
}

/** Thrown when the stack file's blocklist cannot be edited safely. */
export class BlocklistEditError extends Error {
  override name = "BlocklistEditError";
}

export interface EditResult {
  readonly text: string;
  readonly changed: boolean;
  /** What happened, for the user. */
  readonly message: string;
}

/**
 * How the document is printed when it has to be: `lineWidth: 0` turns folding off, which
 * would otherwise re-wrap every long plain scalar (an `ssh-ed25519 …` key becomes three
 * lines).
 */
const PRINT = { lineWidth: 0 } as const;

function parseStackText(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new BlocklistEditError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ""}`);
  return doc;
}

/** The blocklist node as written, when it is a block-style list with entries. */
function blockList(doc: Document): YAMLSeq | undefined {
  const node: unknown = doc.getIn(["config", BLOCKED_CIDRS_KEY], true);
  return isSeq(node) && node.flow !== true && node.items.length > 0 ? node : undefined;
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

// Line surgery. Offsets come from the parsed nodes' ranges: [start, value end, node end].

function rangeOf(node: unknown): Range | undefined {
  return isNode(node) && node.range ? node.range : undefined;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

/** The offset just past the line holding the character before `end` (a collection's range already ends there). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === "\n") return end;
  const nl = text.indexOf("\n", end);
  return nl < 0 ? text.length : nl + 1;
}

/** The `    - ` before a block list entry, when the entry starts its own line. */
function entryPrefix(text: string, item: unknown): string | undefined {
  const r = rangeOf(item);
  if (r === undefined) return undefined;
  const prefix = text.slice(lineStart(text, r[0]), r[0]);
  return /^[ \t]*-[ \t]+$/.test(prefix) ? prefix : undefined;
}

function insertLines(text: string, at: number, lines: string): string {
  return `${text.slice(0, at)}${at > 0 && text[at - 1] !== "\n" ? "\n" : ""}${lines}${text.slice(at)}`;
}

function appendEntry(text: string, seq: YAMLSeq, line: string): string | undefined {
  const last = seq.items[seq.items.length - 1];
  const prefix = entryPrefix(text, last);
  const r = rangeOf(last);
  return prefix === undefined || r === undefined ? undefined : insertLines(text, afterLine(text, r[1]), `${prefix}${line}\n`);
}

/** Adds the key with its first entry after the last entry of a block-style `config` map. */
function appendKey(text: string, doc: Document, line: string): string | undefined {
  const config: unknown = doc.get("config", true);
  if (!isMap(config) || config.flow === true || config.items.length === 0) return undefined;
  const first = rangeOf(config.items[0]?.key);
  if (first === undefined) return undefined;
  const indent = text.slice(lineStart(text, first[0]), first[0]);
  if (!/^[ \t]+$/.test(indent)) return undefined;
  const ends = config.items.flatMap((p) => [rangeOf(p.key)?.[1] ?? 0, rangeOf(p.value)?.[1] ?? 0]);
  return insertLines(text, afterLine(text, Math.max(...ends)), `${indent}${BLOCKED_CIDRS_KEY}:\n${indent}  - ${line}\n`);
}

function removeEntry(text: string, item: unknown): string | undefined {
  const r = rangeOf(item);
  if (entryPrefix(text, item) === undefined || r === undefined) return undefined;
  return `${text.slice(0, lineStart(text, r[0]))}${text.slice(afterLine(text, r[1]))}`;
}

/** Removes the key and its one entry. */
function removeKey(text: string, doc: Document, seq: YAMLSeq): string | undefined {
  const config: unknown = doc.get("config", true);
  const pair = isMap(config) ? config.items.find((p) => isScalar(p.key) && p.key.value === BLOCKED_CIDRS_KEY) : undefined;
  const key = rangeOf(pair?.key);
  const last = rangeOf(seq.items[seq.items.length - 1]);
  if (key === undefined || last === undefined) return undefined;
  const start = lineStart(text, key[0]);
  if (!/^[ \t]*$/.test(text.slice(start, key[0]))) return undefined;
  return `${text.slice(0, start)}${text.slice(afterLine(text, last[1]))}`;
}

/** Everything but the blocklist, as plain data in document order. */
function withoutBlocklist(text: string): string {
  const doc = (parse(text) ?? {}) as Record<string, unknown>;
  const config = doc["config"];
  const rest = typeof config === "object" && config !== null ? Object.fromEntries(Object.entries(config).filter(([k]) => k !== BLOCKED_CIDRS_KEY)) : config;
  return JSON.stringify({ ...doc, config: rest });
}

/**
 * Whether `after` holds exactly `wanted` as its blocklist and the same everything else as
 * `before`: the check that line surgery did what it meant to, else the document edit runs.
 */
function editHolds(before: string, after: string | undefined, wanted: readonly string[]): after is string {
  if (after === undefined || parseDocument(after).errors.length > 0) return false;
  const list = readBlocklist(after).map((e) => e.cidr);
  return JSON.stringify(list) === JSON.stringify(wanted) && withoutBlocklist(after) === withoutBlocklist(before);
}

/**
 * Adds `cidr` (already validated) with `note` as its comment, changing no other line. A
 * block already listed, or inside a listed block, is left alone.
 */
export function addBlockedCidr(text: string, cidr: string, note: string, file = "stack file"): EditResult {
  const doc = parseStackText(text, file);
  const canonical = parseCidr(cidr).text;
  const written = blockList(doc);
  const absent = doc.getIn(["config", BLOCKED_CIDRS_KEY], true) === undefined;
  const seq = readSeq(doc, file);
  const current = entries(seq, file);
  const same = current.find((e) => e.canonical === canonical);
  if (same !== undefined) return { text, changed: false, message: `${canonical} is already blocked (${BLOCKED_CIDRS_KEY}[${same.index}])` };
  const cover = current.find((e) => isValidCidr(e.cidr) && cidrContains(e.cidr, canonical));
  if (cover !== undefined) return { text, changed: false, message: `${canonical} is already inside the blocked ${cover.cidr} (${BLOCKED_CIDRS_KEY}[${cover.index}])` };
  const message = `added ${canonical} to ${BLOCKED_CIDRS_KEY}`;
  const line = `${canonical} # ${note}`;
  const surgery = written !== undefined ? appendEntry(text, written, line) : absent ? appendKey(text, doc, line) : undefined;
  if (editHolds(text, surgery, [...current.map((e) => e.cidr), canonical])) return { text: surgery, changed: true, message };

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
  return { text: doc.toString(PRINT), changed: true, message };
}

/**
 * Removes `cidr` (any spelling of the same block), and the key with it when the list
 * becomes empty, changing no other line. Text that is not a CIDR, or a block not listed, is
 * an error naming what is listed.
 */
export function removeBlockedCidr(text: string, cidr: string, file = "stack file"): EditResult {
  const doc = parseStackText(text, file);
  let canonical = cidr;
  try {
    canonical = parseCidr(cidr).text;
  } catch {
    // An entry written badly by hand can still be removed by its exact text.
  }
  const written = blockList(doc);
  const seq = readSeq(doc, file);
  const current = entries(seq, file);
  const hit = current.find((e) => e.canonical === canonical || e.cidr === cidr);
  if (seq === undefined || hit === undefined) {
    const listed = current.length > 0 ? `the blocked CIDRs are ${current.map((e) => e.cidr).join(", ")}` : "nothing is blocked";
    const bad = checkCidr("<cidr>", cidr)[0];
    throw new BlocklistEditError(
      bad !== undefined
        ? `"${cidr}" is ${bad.message.replace(/^not a valid CIDR block/, "not a CIDR block")}: give a block listed in ${BLOCKED_CIDRS_KEY} of ${file}; ${listed}`
        : `"${cidr}" is not in ${BLOCKED_CIDRS_KEY} of ${file}: ${listed}`,
    );
  }
  const message = `removed ${hit.cidr} from ${BLOCKED_CIDRS_KEY}${hit.note ? ` (was: ${hit.note})` : ""}`;
  const wanted = current.filter((e) => e.index !== hit.index).map((e) => e.cidr);
  const surgery = written === undefined ? undefined : wanted.length === 0 ? removeKey(text, doc, written) : removeEntry(text, written.items[hit.index]);
  if (editHolds(text, surgery, wanted)) return { text: surgery, changed: true, message };

  seq.items.splice(hit.index, 1);
  // An empty list denies nothing: drop the key rather than leave `[]` behind.
  if (seq.items.length === 0) doc.deleteIn(["config", BLOCKED_CIDRS_KEY]);
  return { text: doc.toString(PRINT), changed: true, message };
}

/** The comment kept beside an entry: when, and why. */
export function blockNote(reason: string, at: Date): string {
  return `${at.toISOString().replace(/\.\d{3}Z$/, "Z")} ${reason}`;
}
