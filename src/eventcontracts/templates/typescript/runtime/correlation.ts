// The correlation id that follows a chain of events (the Python runtime's _correlation.py). A
// producer fills `metadata.correlationId` of the details it publishes from the current id when
// the detail has none; the consumer sets the current id from the event it is handling, so events
// published from inside a handler continue the chain without any plumbing.

import { AsyncLocalStorage } from "node:async_hooks";

// AsyncLocalStorage, not a module variable: concurrent handlers each see their own id.
const current = new AsyncLocalStorage<string | undefined>();

/** Run `fn` with `id` as the current correlation id (undefined: none), restored after. */
export function withCorrelationId<R>(id: string | undefined, fn: () => R): R {
  return current.run(id, fn);
}

/** The current correlation id, if one is set. */
export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `detail` with `metadata.correlationId` set to the current id when it has a `metadata` object
 * whose correlationId is absent or null; else `detail` itself. A copy, never the caller's
 * object. An absent `metadata` is not invented: its other fields may be required. */
export function withCurrentCorrelation(detail: unknown): unknown {
  const id = current.getStore();
  if (id === undefined || !isPlainObject(detail)) return detail;
  const metadata = detail["metadata"];
  if (!isPlainObject(metadata)) return detail;
  const present = metadata["correlationId"];
  if (present !== undefined && present !== null) return detail;
  return { ...detail, metadata: { ...metadata, correlationId: id } };
}

/** The `metadata.correlationId` of a detail, if it is a string. */
export function correlationOf(detail: unknown): string | undefined {
  if (!isPlainObject(detail)) return undefined;
  const metadata = detail["metadata"];
  if (!isPlainObject(metadata)) return undefined;
  const id = metadata["correlationId"];
  return typeof id === "string" ? id : undefined;
}
