// Drives the runtime for tests/test_ts_runtime.py: reads one scenario as JSON on stdin, runs it
// against the endpoint it names (moto, or the test's recording proxy in front of moto), and
// writes what happened as JSON on stdout.

import type { EventBridgeHandler, SQSHandler } from "aws-lambda";

import {
  AuditedV1Type,
  OrderPlacedV1Loose,
  OrderPlacedV1Type,
  OrderPlacedV2Loose,
  OrderPlacedV2Type,
} from "./orders.js";
import type { AuditedV1, OrderPlacedV1, OrderPlacedV2 } from "./orders.js";
import {
  Consumer,
  InvalidDetailError,
  PublishError,
  currentCorrelationId,
  deadLetterQueue,
  defaultEventBridgeClient,
  encodeDetail,
  publish,
  withCorrelationId,
} from "./runtime/index.js";
import type { EventBridgeEvent, EventType, PublishOptions, PublishResult, SqsEventLike } from "./runtime/index.js";

// --- compile-time checks: `tsc --strict` fails the test if any of these type-checks wrongly ----

// Never called: only compiled.
export function compileTimeChecks(): void {
  const typed = new Consumer();
  typed.on(OrderPlacedV1Type, (event) => {
    const id: string = event.detail.orderId;
    const detailType: "Order Placed" = event["detail-type"];
    void id;
    void detailType;
  });
  // @ts-expect-error a handler of another event cannot be registered for this one
  typed.on(OrderPlacedV1Type, (event: EventBridgeEvent<"Audited", "shop.audit", AuditedV1>) => {
    void event;
  });
  // @ts-expect-error a v1 detail needs its orderId
  void publish(OrderPlacedV1Type, [{ total: 1 }]);
  // @ts-expect-error currency is one of the enum's values
  void publish(OrderPlacedV2Type, [{ orderId: "ORD-1", total: 1, currency: "GBP" }]);
  // The entry points are what aws-lambda's handler types expect.
  const sqsEntry: SQSHandler = typed.sqsHandler();
  const lambdaEntry: EventBridgeHandler<"Order Placed", OrderPlacedV1, void> = typed.lambdaHandler();
  void sqsEntry;
  void lambdaEntry;
}

// --- scenarios ---------------------------------------------------------------------------------

interface PublishScenario {
  scenario: "publish";
  type: "v1" | "v2" | "audited";
  details: unknown[];
  options: PublishOptions;
  correlationId?: string;
}

interface ConsumeScenario {
  scenario: "consume";
  mode: "sqs" | "lambda";
  versions: "exact" | "loose" | "v1";
  deadLetter: boolean;
  failOn?: string;
  logExceptionMessages?: boolean;
  onInvalid?: "dead_letter" | "raise";
  sqs?: SqsEventLike;
  events?: unknown[];
  republish?: PublishOptions;
  deadLetterQueue?: { queueUrl: string; endpoint: string; region: string };
}

interface ClientsScenario {
  scenario: "clients";
}

interface EncodeScenario {
  scenario: "encode";
  details: unknown[];
}

type Scenario = PublishScenario | ConsumeScenario | ClientsScenario | EncodeScenario;

const TYPES: Record<PublishScenario["type"], EventType<unknown>> = {
  v1: OrderPlacedV1Type as EventType<unknown>,
  v2: OrderPlacedV2Type as EventType<unknown>,
  audited: AuditedV1Type as EventType<unknown>,
};

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof InvalidDetailError) {
    return { name: error.name, message: error.message, invalid: error.invalid };
  }
  if (error instanceof PublishError) {
    return { name: error.name, message: error.message, result: (error as PublishError).result };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? "" };
  return { name: typeof error, message: String(error) };
}

async function runPublish(scenario: PublishScenario): Promise<unknown> {
  const sleeps: number[] = [];
  const options: PublishOptions = {
    ...scenario.options,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
  const go = (): Promise<PublishResult> => publish(TYPES[scenario.type], scenario.details, options);
  try {
    const result = await (scenario.correlationId === undefined ? go() : withCorrelationId(scenario.correlationId, go));
    return { result, sleeps };
  } catch (error) {
    return { error: describe(error), sleeps };
  }
}

async function runConsume(scenario: ConsumeScenario): Promise<unknown> {
  const handled: Record<string, unknown>[] = [];
  const deadLettered: { reason: string; raw: unknown }[] = [];
  const republished: unknown[] = [];
  const logs: Record<string, unknown>[] = [];
  const queue = scenario.deadLetterQueue;
  const consumer = new Consumer({
    ...(queue !== undefined
      ? { deadLetter: deadLetterQueue(queue.queueUrl, { endpoint: queue.endpoint, region: queue.region }) }
      : {}),
    ...(scenario.deadLetter
      ? {
          deadLetter: (raw: unknown, reason: string) => {
            deadLettered.push({ raw, reason });
          },
        }
      : {}),
    log: (record) => logs.push(record),
    logExceptionMessages: scenario.logExceptionMessages ?? false,
    ...(scenario.onInvalid !== undefined ? { onInvalid: scenario.onInvalid } : {}),
  });
  const record = async (version: number, detail: OrderPlacedV1 | OrderPlacedV2): Promise<void> => {
    handled.push({ version, orderId: detail.orderId, correlationId: currentCorrelationId() ?? null });
    if (detail.orderId === scenario.failOn) throw new TypeError(`cannot handle ${detail.orderId}`);
    if (scenario.republish !== undefined) {
      // Published from inside the handler: the correlation id carries over on its own.
      const follow = await publish(
        OrderPlacedV1Type,
        [{ orderId: `${detail.orderId}0`, total: 0, metadata: {} }],
        scenario.republish,
      );
      republished.push(...follow.entries.map((entry) => entry.detail));
    }
  };
  const [v1, v2] =
    scenario.versions === "loose" ? [OrderPlacedV1Loose, OrderPlacedV2Loose] : [OrderPlacedV1Type, OrderPlacedV2Type];
  consumer.on(v1, (event) => record(1, event.detail));
  if (scenario.versions !== "v1") consumer.on(v2, (event) => record(2, event.detail));

  let outcome: unknown;
  if (scenario.mode === "sqs") {
    outcome = await consumer.sqsHandler()(scenario.sqs ?? {});
  } else {
    const outcomes: unknown[] = [];
    const entry = consumer.lambdaHandler();
    for (const event of scenario.events ?? []) {
      try {
        await entry(event);
        outcomes.push("ok");
      } catch (error) {
        outcomes.push(describe(error));
      }
    }
    outcome = outcomes;
  }
  return { outcome, handled, deadLettered, republished, logs };
}

async function runClients(): Promise<unknown> {
  const a = defaultEventBridgeClient("us-east-1", "http://127.0.0.1:1");
  const b = defaultEventBridgeClient("us-east-1", "http://127.0.0.1:1");
  const c = defaultEventBridgeClient("us-east-1", "http://127.0.0.1:2");
  return { sameForSameSettings: a === b, otherForOtherEndpoint: a !== c, sdkMaxAttempts: await a.config.maxAttempts() };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const scenario = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Scenario;
  let output: unknown;
  if (scenario.scenario === "publish") output = await runPublish(scenario);
  else if (scenario.scenario === "consume") output = await runConsume(scenario);
  else if (scenario.scenario === "encode") output = scenario.details.map((detail) => encodeDetail(detail));
  else output = await runClients();
  process.stdout.write(JSON.stringify(output));
}

await main();
