// Turning details into PutEvents entries, measuring them, and packing them into requests: the
// rules of the Python runtime's _entries.py and _eventid.py.

import { randomUUID } from "node:crypto";

/** EventBridge accepts at most 10 entries in one PutEvents request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/** EventBridge's limit on the total entry size of one PutEvents request. It was 256 KB until AWS
 * raised it to 1 MB in January 2026 (the Python runtime's default too); pass
 * `maxRequestBytes: LEGACY_MAX_REQUEST_BYTES` for a partition or emulator with the old limit. */
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
export const LEGACY_MAX_REQUEST_BYTES = 262_144;

/** Resources item prefix carrying the producer's own id of an event: it survives a redrive,
 * where EventBridge's envelope id does not (the consumer's idempotency keys on it). */
export const EVENT_ID_PREFIX = "urn:eventcontracts:event:";

// Per "Calculating Amazon EventBridge PutEvents event entry size", a set Time counts 14 bytes.
const TIME_BYTES = 14;

/** A PutEvents request entry as the runtime builds it. */
export interface Entry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
  Resources: string[];
  Time?: Date;
  TraceHeader?: string;
}

/** A detail that cannot go on the wire as JSON (a NaN, a function, a Date, a cycle...). */
export class NotJsonError extends Error {
  constructor(where: string, what: string) {
    super(`${where === "" ? "(top level)" : where}: ${what} is not JSON`);
    this.name = "NotJsonError";
  }
}

/** The Detail string of a detail: compact JSON, keys sorted by code point at every level, as the
 * Python runtime writes it, so the same event always produces the same bytes. Only plain JSON
 * values are accepted (a property whose value is `undefined` is absent, as in JSON.stringify);
 * NaN and Infinity, which EventBridge rejects, are refused rather than written as null. */
export function encodeDetail(detail: unknown): string {
  return encode(detail, "", new Set());
}

function encode(value: unknown, where: string, open: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new NotJsonError(where, String(value));
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new NotJsonError(where, `a ${typeof value}`);
  }
  const node = value as object;
  if (open.has(node)) throw new NotJsonError(where, "a value that contains itself");
  open.add(node);
  try {
    if (Array.isArray(node)) {
      const items = node.map((item: unknown, i) => {
        if (item === undefined) throw new NotJsonError(`${where}/${i}`, "undefined");
        return encode(item, `${where}/${i}`, open);
      });
      return `[${items.join(",")}]`;
    }
    const proto = Object.getPrototypeOf(node) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new NotJsonError(where, `a ${node.constructor?.name ?? "non-plain"} object`);
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort(byCodePoint);
    const members = keys.map(
      (key) => `${JSON.stringify(key)}:${encode(record[key], `${where}/${pointerToken(key)}`, open)}`,
    );
    return `{${members.join(",")}}`;
  } finally {
    open.delete(node);
  }
}

/** Python's sort order of str keys (by code point); JavaScript's default compares UTF-16 code
 * units, which orders characters above U+FFFF before U+E000..U+FFFF. */
function byCodePoint(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

function pointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The size EventBridge charges an entry against the request limit, as AWS documents it: UTF-8
 * bytes of Source, DetailType, Detail and each Resource, plus 14 when Time is set. EventBusName
 * and TraceHeader do not count. */
export function entrySize(entry: Entry): number {
  let size = entry.Time !== undefined ? TIME_BYTES : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...entry.Resources]) {
    size += Buffer.byteLength(text, "utf8");
  }
  return size;
}

/** A fresh producer event id (a random version 4 UUID). */
export function newEventId(): string {
  return randomUUID();
}

/** The Resources item that carries `eventId`. */
export function marker(eventId: string): string {
  return `${EVENT_ID_PREFIX}${eventId}`;
}

/** Consecutive groups of at most `maxEntries` items and `maxBytes` total size, in order. Every
 * item must itself fit in `maxBytes`; the caller sets aside those that do not. */
export function* chunks<Item extends { size: number }>(
  items: readonly Item[],
  maxEntries: number,
  maxBytes: number,
): Generator<Item[]> {
  let current: Item[] = [];
  let currentBytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= maxEntries || currentBytes + item.size > maxBytes)) {
      yield current;
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += item.size;
  }
  if (current.length > 0) yield current;
}

// X-Ray: Lambda sets this per invocation; it goes with each entry so X-Ray links the producer to
// the rule targets. Read at every publish, never once.
const TRACE_ENV = "_X_AMZN_TRACE_ID";
const MAX_TRACE_HEADER = 500;

/** The current invocation's X-Ray trace header, or undefined outside a traced Lambda. */
export function traceHeader(): string | undefined {
  const value = (process.env[TRACE_ENV] ?? "").trim();
  return value === "" || value.length > MAX_TRACE_HEADER ? undefined : value;
}
