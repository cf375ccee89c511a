// The runtime every generated TypeScript package ships (copied verbatim by eventcontracts).

export * from "./envelope.js";
export * from "./publish.js";
export * from "./consumer.js";
export { REASON_ATTRIBUTE, deadLetterQueue } from "./deadletter.js";
export type { DeadLetterQueueOptions } from "./deadletter.js";
export { withCorrelationId, currentCorrelationId, correlationOf } from "./correlation.js";
export {
  DEFAULT_MAX_REQUEST_BYTES,
  LEGACY_MAX_REQUEST_BYTES,
  MAX_ENTRIES_PER_REQUEST,
  EVENT_ID_PREFIX,
  NotJsonError,
  encodeDetail,
  entrySize,
} from "./entries.js";
export type { Entry } from "./entries.js";
export { RETRYABLE_ENTRY_CODES, isRetryable, describeCallError } from "./retry.js";
