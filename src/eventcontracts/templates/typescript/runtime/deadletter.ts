// A dead-letter callback that sends what a Consumer cannot handle to an SQS queue, in the form
// `eventcontracts redrive` reads back: the message body is the EventBridge event itself (so the
// queue's own "redrive to source" works too), the reason a message attribute.
//
// @aws-sdk/client-sqs is loaded on first use only: a consumer that does not use this pays nothing
// for it, and a package that never calls it need not install it.

import type { SQSClient } from "@aws-sdk/client-sqs";

import type { DeadLetter } from "./consumer.js";

/** The message attribute holding why the event was dead-lettered. */
export const REASON_ATTRIBUTE = "eventcontracts-reason";

// An attribute value may be up to the message size limit; a reason is one line, kept short.
const MAX_REASON_CHARS = 1024;

// The `{ body }` records the Consumer makes for an SQS message body it could not read: their
// text goes to the queue as it came, not wrapped.
const unreadBodies = new WeakSet<object>();

/** The record the Consumer dead-letters for a message body it could not read. */
export function unreadBody(body: string): { body: string } {
  const record = { body };
  unreadBodies.add(record);
  return record;
}

export interface DeadLetterQueueOptions {
  /** A client to use as it is; without one, the runtime's client for `region` and `endpoint`
   * (the environment's when not given), made once. */
  client?: SQSClient;
  region?: string;
  endpoint?: string;
}

const clients = new Map<string, SQSClient>();

type SqsModule = typeof import("@aws-sdk/client-sqs");
let sqsModule: Promise<SqsModule> | undefined;

function loadSqs(): Promise<SqsModule> {
  sqsModule ??= import("@aws-sdk/client-sqs");
  return sqsModule;
}

function defaultSqsClient(sqs: SqsModule, region?: string, endpoint?: string): SQSClient {
  const key = JSON.stringify([region ?? null, endpoint ?? null]);
  let client = clients.get(key);
  if (client === undefined) {
    client = new sqs.SQSClient({
      ...(region !== undefined ? { region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

/** The message body of a dead-lettered event: the event as JSON, or an unreadable body as it
 * came. */
export function deadLetterBody(raw: unknown): string {
  if (typeof raw === "object" && raw !== null && unreadBodies.has(raw)) {
    return (raw as { body: string }).body;
  }
  return JSON.stringify(raw) ?? "null";
}

/** A `deadLetter` callback for `new Consumer({ deadLetter: deadLetterQueue(url) })`. If the send
 * fails, the callback throws, so the event is not counted as done (an SQS batch item failure, a
 * Lambda retry): it is never lost. */
export function deadLetterQueue(queueUrl: string, options: DeadLetterQueueOptions = {}): DeadLetter {
  return async (raw: unknown, reason: string): Promise<void> => {
    const sqs = await loadSqs();
    const client = options.client ?? defaultSqsClient(sqs, options.region, options.endpoint);
    await client.send(
      new sqs.SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: deadLetterBody(raw),
        MessageAttributes: {
          [REASON_ATTRIBUTE]: { DataType: "String", StringValue: reason.slice(0, MAX_REASON_CHARS) || "-" },
        },
      }),
    );
  };
}
