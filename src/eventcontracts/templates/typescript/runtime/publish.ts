// Publishing details to EventBridge with PutEvents: validate every detail, pack the entries into
// requests, retry only what failed, report every entry. The rules of the Python runtime's
// _producer.py and _putevents.py.

import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { PutEventsCommandOutput } from "@aws-sdk/client-eventbridge";

import { withCurrentCorrelation } from "./correlation.js";
import {
  DEFAULT_MAX_REQUEST_BYTES,
  MAX_ENTRIES_PER_REQUEST,
  NotJsonError,
  chunks,
  encodeDetail,
  entrySize,
  marker,
  newEventId,
  traceHeader,
} from "./entries.js";
import type { Entry } from "./entries.js";
import { describeErrors } from "./envelope.js";
import type { EventType, ValidationError } from "./envelope.js";
import { RETRYABLE_ENTRY_CODES, backoffDelay, describeCallError, isRetryable, sleep } from "./retry.js";

/** errorCode of an entry not sent because it alone exceeds the request size limit. */
export const ENTRY_TOO_LARGE = "EntryTooLarge";

export interface PublishOptions {
  /** The bus's name or ARN; "default" unless given. */
  eventBusName?: string;
  /** A client to use as it is (its own retry settings too). Without one, the runtime's client for
   * `region` and `endpoint` is used: made on first use with the SDK's retries off (publish
   * retries itself; both would multiply the attempts) and kept for the process. */
  client?: EventBridgeClient;
  region?: string;
  endpoint?: string;
  /** Entries per PutEvents request, 1..10 (10). */
  maxEntries?: number;
  /** Total entry size of one request (DEFAULT_MAX_REQUEST_BYTES, 1 MB). */
  maxRequestBytes?: number;
  /** PutEvents calls that may carry one entry (5). */
  maxAttempts?: number;
  /** Full-jitter backoff: base and cap of the wait after a failed attempt (50 ms, 2 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Throw PublishError (carrying the whole result) when an entry was not accepted (true). */
  throwOnFailure?: boolean;
  /** For tests: how to wait and where the jitter comes from. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** What became of one detail given to publish(). */
export interface EntryOutcome<T> {
  /** Its position among the details given. */
  index: number;
  /** The detail as it was sent (the correlation id filled in), parsed back from its wire form. */
  detail: T;
  /** The producer's own id of the event, carried in its Resources (it survives a redrive). */
  producerEventId: string;
  /** EventBridge's id when the entry was accepted. */
  eventId?: string;
  /** Why it was not accepted: PutEvents' ErrorCode, a failed call's code, or EntryTooLarge. */
  errorCode?: string;
  errorMessage?: string;
  /** PutEvents calls that carried it (0: never sent). */
  attempts: number;
  ok: boolean;
}

/** Every detail's outcome, in the order given: nothing is left out. */
export interface PublishResult<T = unknown> {
  entries: EntryOutcome<T>[];
  failed: EntryOutcome<T>[];
  ok: boolean;
}

/** Some entries were not accepted after every attempt; `result` holds every entry's outcome, so
 * the caller knows which EventBridge has and can publish the failed ones again. */
export class PublishError<T = unknown> extends Error {
  readonly result: PublishResult<T>;

  constructor(result: PublishResult<T>) {
    const first = result.failed[0];
    const detail = first ? `; first: ${first.errorCode ?? "NotSent"}: ${first.errorMessage ?? ""}` : "";
    super(`${result.failed.length} of ${result.entries.length} events were not published${detail}`);
    this.name = "PublishError";
    this.result = result;
  }
}

/** One detail its EventType's validator (or the JSON encoder) refused. */
export interface InvalidDetail {
  index: number;
  reason: string;
  errors: ValidationError[];
}

/** Details were refused before anything was sent: none of the call's details went out. */
export class InvalidDetailError extends Error {
  readonly invalid: InvalidDetail[];

  constructor(type: EventType<unknown>, invalid: InvalidDetail[]) {
    const first = invalid[0];
    const where = first ? `; first, at index ${first.index}: ${first.reason}` : "";
    super(`${invalid.length} ${type.source}/${type.detailType} v${type.version} detail(s) invalid, nothing was sent${where}`);
    this.name = "InvalidDetailError";
    this.invalid = invalid;
  }
}

interface Settings {
  bus: string;
  maxEntries: number;
  maxRequestBytes: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  throwOnFailure: boolean;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

function settingsOf(options: PublishOptions): Settings {
  const settings: Settings = {
    bus: options.eventBusName ?? "default",
    maxEntries: options.maxEntries ?? MAX_ENTRIES_PER_REQUEST,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 2000,
    throwOnFailure: options.throwOnFailure ?? true,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  if (!Number.isInteger(settings.maxEntries) || settings.maxEntries < 1 || settings.maxEntries > MAX_ENTRIES_PER_REQUEST) {
    throw new RangeError(`maxEntries must be 1..${MAX_ENTRIES_PER_REQUEST}`);
  }
  if (!(settings.maxRequestBytes >= 1)) throw new RangeError("maxRequestBytes must be positive");
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) {
    throw new RangeError("maxAttempts must be at least 1");
  }
  if (!(settings.baseDelayMs >= 0 && settings.maxDelayMs >= 0)) {
    throw new RangeError("delays cannot be negative");
  }
  return settings;
}

const clients = new Map<string, EventBridgeClient>();

/** The runtime's EventBridge client for `region` and `endpoint` (the environment's when not
 * given): made once, kept for the process, so a warm Lambda neither builds a client nor opens
 * new connections. The SDK's own retries are off: publish() retries failed entries itself. */
export function defaultEventBridgeClient(region?: string, endpoint?: string): EventBridgeClient {
  const key = JSON.stringify([region ?? null, endpoint ?? null]);
  let client = clients.get(key);
  if (client === undefined) {
    client = new EventBridgeClient({
      maxAttempts: 1,
      ...(region !== undefined ? { region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

function checkType(type: EventType<unknown>): void {
  if (typeof type !== "object" || type === null) throw new TypeError("publish() needs an EventType");
  if (typeof type.source !== "string" || type.source === "") throw new TypeError("the EventType has no source");
  if (typeof type.detailType !== "string" || type.detailType === "") {
    throw new TypeError("the EventType has no detailType");
  }
  if (typeof type.validate !== "function") throw new TypeError("the EventType has no validate function");
}

type Checked = { wire: string; sent: unknown } | { problem: InvalidDetail };

/** A detail as it goes on the wire, validated in that form (what is validated is what is sent):
 * the detail with the current correlation id filled in when its schema takes one there, else
 * the detail as given. */
function checkDetail(type: EventType<unknown>, detail: unknown, index: number): Checked {
  const filled = withCurrentCorrelation(detail);
  const candidates = filled === detail ? [detail] : [filled, detail];
  let problem: InvalidDetail = { index, reason: "", errors: [] };
  for (const candidate of candidates) {
    let wire: string;
    try {
      wire = encodeDetail(candidate);
    } catch (error) {
      if (!(error instanceof NotJsonError)) throw error;
      problem = { index, reason: error.message, errors: [] };
      continue;
    }
    const sent: unknown = JSON.parse(wire);
    let valid: boolean;
    try {
      valid = type.validate(sent);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      problem = { index, reason: "the detail nests too deep to validate", errors: [] };
      continue;
    }
    if (valid) return { wire, sent };
    const errors = [...(type.validate.errors ?? [])];
    problem = { index, reason: describeErrors(errors), errors };
  }
  return { problem };
}

/** What became of one entry, filled in while a publish() runs. */
interface Delivery {
  attempts: number;
  eventId?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** One entry on its way out, measured, with the delivery it records its fate in. */
interface Outgoing {
  entry: Entry;
  size: number;
  delivery: Delivery;
}

/** Publish `details` as events of `type` on a bus; one outcome per detail, in order.
 *
 * Every detail is validated, in the JSON form it is sent in, before anything is sent: one
 * invalid detail (or a value that is not JSON) throws InvalidDetailError and nothing goes out.
 * Source and DetailType come from `type`. Entries go out in requests of at most `maxEntries`
 * entries and `maxRequestBytes` bytes (EventBridge's entry-size rule); an entry too large to fit
 * any request is not sent and reported as EntryTooLarge. Entries the service failed for a
 * transient reason (ThrottlingException, InternalFailure), and whole calls that were throttled,
 * answered 5xx or could not connect, are sent again with full-jitter exponential backoff up to
 * `maxAttempts`; each attempt sends only the entries still pending. If any entry is still not
 * accepted, PublishError (with every outcome) is thrown unless `throwOnFailure` is false. */
export async function publish<T>(
  type: EventType<T>,
  details: readonly T[],
  options: PublishOptions = {},
): Promise<PublishResult<T>> {
  checkType(type as EventType<unknown>);
  const settings = settingsOf(options);
  const wire: { wire: string; sent: unknown }[] = [];
  const invalid: InvalidDetail[] = [];
  details.forEach((detail, index) => {
    const checked = checkDetail(type as EventType<unknown>, detail, index);
    if ("problem" in checked) invalid.push(checked.problem);
    else wire.push(checked);
  });
  if (invalid.length > 0) throw new InvalidDetailError(type as EventType<unknown>, invalid);

  const trace = traceHeader();
  const items = wire.map((one) => ({ ...one, producerEventId: newEventId(), delivery: { attempts: 0 } as Delivery }));
  const sendable: Outgoing[] = [];
  for (const item of items) {
    const entry: Entry = {
      Source: type.source,
      DetailType: type.detailType,
      Detail: item.wire,
      EventBusName: settings.bus,
      Resources: [marker(item.producerEventId)],
      ...(trace !== undefined ? { TraceHeader: trace } : {}),
    };
    const size = entrySize(entry);
    if (size > settings.maxRequestBytes) {
      // Not sent: EventBridge would reject the whole request, taking the others with it.
      item.delivery.errorCode = ENTRY_TOO_LARGE;
      item.delivery.errorMessage = `entry is ${size} bytes, over the ${settings.maxRequestBytes}-byte request limit`;
    } else {
      sendable.push({ entry, size, delivery: item.delivery });
    }
  }

  if (sendable.length > 0) {
    const client = options.client ?? defaultEventBridgeClient(options.region, options.endpoint);
    for (const chunk of chunks(sendable, settings.maxEntries, settings.maxRequestBytes)) {
      await sendChunk(client, chunk, settings);
    }
  }

  const entries = items.map(({ sent, producerEventId, delivery }, index): EntryOutcome<T> => ({
    index,
    detail: sent as T,
    producerEventId,
    attempts: delivery.attempts,
    ok: delivery.eventId !== undefined && delivery.errorCode === undefined,
    ...(delivery.eventId !== undefined ? { eventId: delivery.eventId } : {}),
    ...(delivery.errorCode !== undefined ? { errorCode: delivery.errorCode } : {}),
    ...(delivery.errorMessage !== undefined ? { errorMessage: delivery.errorMessage } : {}),
  }));
  const failed = entries.filter((entry) => !entry.ok);
  const result: PublishResult<T> = { entries, failed, ok: failed.length === 0 };
  if (settings.throwOnFailure && !result.ok) throw new PublishError(result);
  return result;
}

/** Send one request's worth of entries until each is accepted or given up on: each attempt sends
 * only the entries still pending (PutEvents can partly succeed). PutEvents has no idempotency
 * token, so a call that may have been carried out (no answer came) is not made again. */
async function sendChunk(client: EventBridgeClient, chunk: Outgoing[], settings: Settings): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    for (const item of pending) item.delivery.attempts += 1;
    let retryable: boolean;
    try {
      const response = await client.send(new PutEventsCommand({ Entries: pending.map((item) => item.entry) }));
      pending = recordResponse(response, pending);
      retryable = pending.length > 0;
    } catch (error) {
      const [code, message] = describeCallError(error);
      for (const item of pending) {
        item.delivery.errorCode = code;
        item.delivery.errorMessage = message;
      }
      retryable = isRetryable(error, false);
    }
    if (!retryable || attempt === settings.maxAttempts) return;
    await settings.sleep(backoffDelay(attempt, settings.baseDelayMs, settings.maxDelayMs, settings.random));
  }
}

/** Record each entry's fate from a PutEvents response; return the entries to send again. Response
 * entries line up with request entries by position: an accepted one has an EventId, a failed one
 * an ErrorCode. */
function recordResponse(response: PutEventsCommandOutput, sent: Outgoing[]): Outgoing[] {
  const answers = response.Entries ?? [];
  const again: Outgoing[] = [];
  sent.forEach((item, position) => {
    const delivery = item.delivery;
    const answer = answers[position];
    if (answer === undefined) {
      // Not retried: the service may have accepted the entry, and a resend would duplicate it.
      delivery.errorCode = "MissingResponseEntry";
      delivery.errorMessage = "PutEvents returned fewer entries than it was sent";
      return;
    }
    const code = answer.ErrorCode;
    if (!code && answer.EventId) {
      delivery.eventId = answer.EventId;
      delete delivery.errorCode;
      delete delivery.errorMessage;
      return;
    }
    delivery.errorCode = code || "MissingEventId";
    delivery.errorMessage = answer.ErrorMessage ?? "";
    if (code && RETRYABLE_ENTRY_CODES.has(code)) again.push(item);
  });
  return again;
}
