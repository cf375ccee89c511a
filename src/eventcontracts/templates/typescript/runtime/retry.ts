// Which failures are worth retrying and how long to wait: the Python runtime's _retry.py policy,
// read from what AWS SDK v3 throws (a service exception's name and HTTP status, a Node socket
// error's code).

/** Per-entry ErrorCodes of a PutEvents response that describe the service's state rather than
 * the entry: sending the same entry again can succeed. Any other code (InvalidArgument,
 * MalformedDetail, AccessDeniedException...) would fail the same way again. */
export const RETRYABLE_ENTRY_CODES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "InternalFailure",
  "InternalException",
]);

// Whole-call error codes that mean "slow down", as the SDKs' standard retry mode lists them.
const THROTTLING_CALL_CODES = [
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "LimitExceededException",
];

// Retryable whatever the status (some services answer throttling with a 400). Besides these,
// 429 and any 5xx but 501 (not implemented: it stays so) are retried.
const TRANSIENT_CALL_CODES: ReadonlySet<string> = new Set([
  ...THROTTLING_CALL_CODES,
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "InternalServerErrorException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);

// The request never reached the service (no connection made): nothing was done, so any call may
// be made again. botocore's EndpointConnectionError covers the same cases.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === "object" && error !== null ? (error as ErrorLike) : {};
}

/** The HTTP status the service answered a failed call with; undefined when there was no answer. */
export function callErrorStatus(error: unknown): number | undefined {
  const status = asErrorLike(error).$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

/** The Node socket error code of a call that got no answer (ECONNREFUSED, ECONNRESET...), looking
 * inside an AggregateError (Node tries every address of a host). */
function socketCode(error: unknown): string | undefined {
  const like = asErrorLike(error);
  if (typeof like.code === "string" && /^E[A-Z_]+$/.test(like.code)) return like.code;
  if (Array.isArray(like.errors)) {
    for (const inner of like.errors) {
      const code = socketCode(inner);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

/** [error code, message] of a failed call: the service's code (the SDK's exception name) and
 * message, a socket error's code, or any other error's name. */
export function describeCallError(error: unknown): [string, string] {
  const like = asErrorLike(error);
  const message = typeof like.message === "string" ? like.message : String(error);
  const socket = socketCode(error);
  if (callErrorStatus(error) === undefined && socket !== undefined) {
    return [socket, message];
  }
  const name = typeof like.name === "string" && like.name !== "" ? like.name : "Error";
  return [name, message];
}

/** Whether a call that threw `error` should be made again.
 *
 * Throttling and 5xx answers are the service's state; no answer at all may have been the
 * network's (for a call that is not `idempotent`, such as PutEvents, only a connection never
 * made is retried: the service may have carried the call out). Any other answer (denied
 * access, a validation error, a missing bus, bad credentials) would be the same again. */
export function isRetryable(error: unknown, idempotent = true): boolean {
  const status = callErrorStatus(error);
  if (status === undefined) {
    const socket = socketCode(error);
    if (socket !== undefined) return NOT_SENT_CODES.has(socket) || idempotent;
    const name = asErrorLike(error).name;
    if (name === "TimeoutError") return idempotent;
    return typeof name === "string" && TRANSIENT_CALL_CODES.has(name);
  }
  const [code] = describeCallError(error);
  return TRANSIENT_CALL_CODES.has(code) || status === 429 || (status >= 500 && status !== 501);
}

/** Milliseconds to wait after failed attempt number `attempt` (1-based): "full jitter", a uniform
 * draw from [0, min(cap, base * 2^(attempt - 1))], so the retries of many producers spread over
 * the window instead of hitting a throttled bus again in lockstep. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return random() * ceiling;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
