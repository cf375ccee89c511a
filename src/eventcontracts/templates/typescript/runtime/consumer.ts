// Receiving EventBridge events (a Lambda target, or SQS messages a rule put in a queue) and
// handing each to the typed handler of the right version: the rules of the Python runtime's
// _consumer.py, _routing.py and _sqs.py.

import { correlationOf, withCorrelationId } from "./correlation.js";
import { unreadBody } from "./deadletter.js";
import { describeErrors } from "./envelope.js";
import type { EventBridgeEvent, EventType, Validator } from "./envelope.js";

export type Handler<T, D extends string = string, S extends string = string> = (
  event: EventBridgeEvent<D, S, T>,
) => void | Promise<void>;

/** Told of every event that cannot be handled: the event as received and why, on one line. */
export type DeadLetter = (raw: unknown, reason: string) => void | Promise<void>;

export type DispatchOutcome = "handled" | "dead_lettered";

/** One log record: the runtime never puts a detail in one. */
export type Log = (record: Record<string, unknown>) => void;

export interface ConsumerOptions {
  /** Where invalid events go; without it they are thrown as InvalidEvent (never dropped). */
  deadLetter?: DeadLetter;
  /** "raise": throw InvalidEvent even with a deadLetter callback (for a target whose own
   * dead-letter queue should get them). */
  onInvalid?: "dead_letter" | "raise";
  /** Log a handler's error message too (it may quote the payload); by default only its name. */
  logExceptionMessages?: boolean;
  log?: Log;
}

/** An event with no handler, whose detail no registered version validates, or whose envelope does
 * not parse. `raw` is the event as received; `reason` says what failed. */
export class InvalidEvent extends Error {
  readonly reason: string;
  readonly raw: unknown;

  constructor(reason: string, raw: unknown) {
    super(reason);
    this.name = "InvalidEvent";
    this.reason = reason;
    this.raw = raw;
  }
}

/** What the Lambda entry point throws in place of a handler's error (see lambdaHandler). */
export class HandlerFailed extends Error {
  readonly errorType: string;

  constructor(error: unknown) {
    const errorType = error instanceof Error ? error.name : typeof error;
    super(`the event handler threw ${errorType}`);
    this.name = "HandlerFailed";
    this.errorType = errorType;
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    const frames = stack.split("\n").filter((line) => /^\s+at /.test(line));
    this.stack = [`${this.name}: ${this.message}`, ...frames].join("\n");
  }
}

// Errors that came out of a handler (user code that holds the payload), to scrub before Lambda
// logs them.
const raisedByHandler = new WeakSet<object>();

/** The SQS event a Lambda event source mapping delivers (the fields read here). */
export interface SqsEventLike {
  Records?: ReadonlyArray<{ messageId: string; body: string }>;
}

/** The partial batch response: only the listed messages return to the queue (enable
 * ReportBatchItemFailures on the event source mapping). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

interface Route {
  version: number;
  type: EventType<unknown>;
  handler: Handler<unknown>;
}

// A message body nesting deeper than this is refused before parsing (the Python runtime's limit):
// validators recurse once per level.
const MAX_DEPTH = 64;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

function oneLine(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

class NoMatch extends Error {}

/** Routes EventBridge events to typed handlers, one per (source, detail-type, version).
 *
 * Choosing the version: an event does not say which schema version its detail follows, so when
 * several versions of one event have handlers, the detail decides. With versions whose EventType
 * has `validateExact`, the oldest of them that reads the detail exactly (no property it does
 * not declare) wins, as in the Python runtime; failing that, the newest version whose validator
 * accepts the detail; failing that, the event is invalid. So an event carrying a field only v2
 * knows goes to v2, and one with a field no version knows yet still reaches the newest handler
 * that can read it.
 *
 * Invalid events (no handler for the source and detail-type, an envelope that does not parse, a
 * detail no version validates) go to the `deadLetter` callback, or are thrown as InvalidEvent:
 * never dropped silently. A handler that throws makes dispatch throw, so the delivery is
 * retried (an SQS batch item failure, a Lambda retry). */
export class Consumer {
  private readonly routes = new Map<string, Route[]>();
  private readonly options: ConsumerOptions;

  constructor(options: ConsumerOptions = {}) {
    if (options.onInvalid !== undefined && options.onInvalid !== "dead_letter" && options.onInvalid !== "raise") {
      throw new RangeError(`onInvalid must be "dead_letter" or "raise", not ${JSON.stringify(options.onInvalid)}`);
    }
    this.options = options;
  }

  /** Register `handler` for one version of one event; it receives the envelope typed by `type`. */
  on<T, D extends string, S extends string>(type: EventType<T, D, S>, handler: Handler<T, D, S>): this {
    if (typeof type.validate !== "function") throw new TypeError("the EventType has no validate function");
    if (!Number.isInteger(type.version)) throw new TypeError("the EventType has no integer version");
    const key = JSON.stringify([type.source, type.detailType]);
    const routes = this.routes.get(key) ?? [];
    if (routes.some((route) => route.version === type.version)) {
      throw new Error(`a handler for ${type.source}/${type.detailType} version ${type.version} is already registered`);
    }
    routes.push({
      version: type.version,
      type: type as EventType<unknown>,
      handler: handler as Handler<unknown>,
    });
    routes.sort((a, b) => a.version - b.version);
    this.routes.set(key, routes);
    return this;
  }

  /** The versions with a handler, by source and detail-type, oldest first. */
  handled(): { source: string; detailType: string; versions: number[] }[] {
    return [...this.routes.entries()].map(([key, routes]) => {
      const [source, detailType] = JSON.parse(key) as [string, string];
      return { source, detailType, versions: routes.map((route) => route.version) };
    });
  }

  /** Handle one EventBridge event (the JSON object EventBridge delivers to a target). */
  async dispatch(raw: unknown): Promise<DispatchOutcome> {
    if (!isPlainObject(raw)) {
      const reason = `the event is a JSON ${jsonKind(raw)}, not one EventBridge event object`;
      return this.invalid({ event: raw }, reason, "invalid_envelope");
    }
    const problem = envelopeProblem(raw);
    if (problem !== undefined) {
      return this.invalid(raw, `the event envelope does not parse, at ${problem}`, "invalid_envelope");
    }
    const source = raw["source"] as string;
    const detailType = raw["detail-type"] as string;
    const what = `${source}/${detailType}`;
    const routes = this.routes.get(JSON.stringify([source, detailType]));
    if (routes === undefined) {
      return this.invalid(raw, `no handler is registered for ${what}`, "no_handler");
    }
    const detail = raw["detail"];
    let route: Route;
    try {
      route = select(routes, detail, what);
    } catch (error) {
      if (error instanceof NoMatch) return this.invalid(raw, error.message, "invalid_detail");
      if (error instanceof RangeError) {
        return this.invalid(raw, `the detail of ${what} nests too deep to read`, "invalid_detail");
      }
      throw error;
    }
    const event = {
      ...raw,
      version: typeof raw["version"] === "string" ? raw["version"] : "0",
      resources: Array.isArray(raw["resources"]) ? raw["resources"] : [],
    } as unknown as EventBridgeEvent<string, string, unknown>;
    // Events the handler publishes carry on this event's correlation id.
    try {
      await withCorrelationId(correlationOf(detail), () => route.handler(event));
    } catch (error) {
      if (typeof error === "object" && error !== null) raisedByHandler.add(error);
      throw error;
    }
    return "handled";
  }

  /** The entry point of a Lambda function that is an EventBridge rule's target (one event). A
   * thrown error (a handler's, or an invalid event without a deadLetter callback) makes Lambda
   * retry the invocation, then send the event to the function's on-failure destination.
   *
   * Lambda logs what the function throws, so a handler's error is thrown again as HandlerFailed,
   * carrying its name and its stack frames (code, not data) but not its message, which may quote
   * the payload; `logExceptionMessages: true` throws the handler's own error. */
  lambdaHandler(): (event: unknown, context?: unknown) => Promise<void> {
    return async (event: unknown): Promise<void> => {
      try {
        await this.dispatch(event);
      } catch (error) {
        if (this.options.logExceptionMessages || !raisedByHandler.has(error as object)) throw error;
        throw new HandlerFailed(error);
      }
    };
  }

  /** The entry point of a Lambda function fed by an SQS queue an EventBridge rule targets: each
   * message body is one event. Messages whose handling threw are the batchItemFailures (only they
   * return to the queue); handled and dead-lettered messages are done. */
  sqsHandler(): (event: SqsEventLike, context?: unknown) => Promise<SqsBatchResponse> {
    return async (event: SqsEventLike): Promise<SqsBatchResponse> => {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records ?? []) {
        const messageId = String(record.messageId ?? "");
        try {
          await this.dispatchText(String(record.body ?? ""));
        } catch (error) {
          // Not thrown on: the failure is reported to SQS for this record only; logged so it is seen.
          this.logFailure(messageId, error);
          failures.push({ itemIdentifier: messageId });
        }
      }
      return { batchItemFailures: failures };
    };
  }

  /** Dispatch a message body, which should be one EventBridge event as JSON. */
  async dispatchText(body: string): Promise<DispatchOutcome> {
    const depth = nestingDepth(body, MAX_DEPTH);
    if (depth > MAX_DEPTH) {
      const reason = `the message body is not JSON this consumer reads: it nests ${depth} levels deep, more than the ${MAX_DEPTH} allowed`;
      return this.invalid(unreadBody(body), reason, "invalid_body");
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      // Not V8's message: it quotes the body, and a reason goes into logs.
      return this.invalid(unreadBody(body), "the message body is not JSON", "invalid_body");
    }
    if (!isPlainObject(raw)) {
      return this.invalid(unreadBody(body), "the message body is not a JSON object", "invalid_body");
    }
    return this.dispatch(raw);
  }

  private async invalid(raw: unknown, reason: string, problem: string): Promise<DispatchOutcome> {
    reason = oneLine(reason); // reasons quote the event (its detail-type, field names)
    const deadLetter = this.options.deadLetter;
    if (this.options.onInvalid === "raise") throw new InvalidEvent(reason, raw);
    if (deadLetter === undefined) {
      this.log({ level: "ERROR", message: "invalid event", problem, reason, deadLettered: false });
      throw new InvalidEvent(`${reason} (and no deadLetter callback was given)`, raw);
    }
    await deadLetter(raw, reason);
    this.log({ level: "WARNING", message: "invalid event dead-lettered", problem, reason, deadLettered: true });
    return "dead_lettered";
  }

  private logFailure(messageId: string, error: unknown): void {
    const name = error instanceof Error ? error.name : typeof error;
    const record: Record<string, unknown> = {
      level: "ERROR",
      message: "handling an SQS message failed; it will be redelivered",
      messageId,
      errorType: name,
    };
    if (error instanceof InvalidEvent) record["reason"] = error.reason; // says what, not values
    else if (this.options.logExceptionMessages && error instanceof Error) record["error"] = error.message;
    this.log(record);
  }

  private log(record: Record<string, unknown>): void {
    (this.options.log ?? defaultLog)(record);
  }
}

function defaultLog(record: Record<string, unknown>): void {
  console.error(JSON.stringify({ logger: "eventcontracts.runtime", ...record }));
}

/** What is wrong with an event's envelope (every field EventBridge puts around the detail), as
 * "where: what", or undefined when it parses. Unknown top-level keys are ignored. */
function envelopeProblem(raw: Record<string, unknown>): string | undefined {
  for (const field of ["id", "detail-type", "source", "account", "time", "region"]) {
    const value = raw[field];
    if (value === undefined) return `${field}: Field required`;
    if (typeof value !== "string") return `${field}: Input should be a valid string`;
  }
  if (!DATE_TIME.test(raw["time"] as string) || Number.isNaN(Date.parse(raw["time"] as string))) {
    return "time: Input should be a valid datetime";
  }
  if (raw["version"] !== undefined && typeof raw["version"] !== "string") {
    return "version: Input should be a valid string";
  }
  const resources = raw["resources"];
  if (resources !== undefined) {
    if (!Array.isArray(resources)) return "resources: Input should be a valid list";
    const at = resources.findIndex((item) => typeof item !== "string");
    if (at >= 0) return `resources.${at}: Input should be a valid string`;
  }
  if (raw["detail"] === undefined) return "detail: Field required";
  if (!isPlainObject(raw["detail"])) return "detail: Input should be a valid dictionary";
  return undefined;
}

/** The route (`routes` sorted oldest version first) for `detail`; NoMatch when none reads it. */
function select(routes: readonly Route[], detail: unknown, what: string): Route {
  if (routes.length > 1) {
    for (const route of routes) {
      const exact: Validator<unknown> | undefined = route.type.validateExact;
      if (exact !== undefined && exact(detail)) return route;
    }
  }
  const problems: string[] = [];
  for (const route of [...routes].reverse()) {
    if (route.type.validate(detail)) return route;
    problems.push(`version ${route.version} fails at ${describeErrors(route.type.validate.errors)}`);
  }
  problems.reverse(); // oldest first, as versions are listed everywhere else
  throw new NoMatch(`the detail of ${what} is valid for none of its versions: ${problems.join("; ")}`);
}

/** How deeply arrays and objects nest in `text` (brackets inside strings aside), in linear time;
 * 0 when it has too few brackets to nest past `limit` (the common case). */
function nestingDepth(text: string, limit: number): number {
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets++;
  }
  if (brackets <= limit) return 0;
  let deepest = 0;
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++level);
    else if (c === "]" || c === "}") level--;
  }
  return deepest;
}
