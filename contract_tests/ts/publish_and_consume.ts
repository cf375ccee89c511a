// The TypeScript services, deployed: checkout publishes Order Created events through an
// EventBridge bus and cancels one; a rule routes them to the shipping queue; shipping's Lambda
// handler consumes the queue's messages as an SQS event source mapping hands them over. The
// TypeScript counterpart of contract_tests/publish_and_consume.py, run by
// tests/test_ts_contract_services.py against a moto server:
//
//   AWS_ENDPOINT_URL=http://127.0.0.1:5000 node dist/publish_and_consume.js
//
// It prints one JSON object: what was published, the batch items that failed, the parcels.
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

import { orders } from "@mycompany/events";

import { placeOrders } from "./checkout.js";
import { deadLettered, handler, parcels } from "./shipping.js";

const BUS = "example-services-ts";

async function routedQueue(events: EventBridgeClient, sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error("no queue URL");
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const pattern = {
    source: [orders.SOURCE],
    "detail-type": [orders.OrderCreatedType.detailType, orders.OrderCancelledType.detailType],
  };
  await events.send(new PutRuleCommand({ Name: name, EventBusName: BUS, EventPattern: JSON.stringify(pattern) }));
  await events.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: BUS,
      // The whole event, as EventBridge delivers it.
      Targets: [{ Id: name, Arn: Attributes?.["QueueArn"], InputTransformer: { InputTemplate: "<aws.events.event.json>" } }],
    }),
  );
  return QueueUrl;
}

/** Hand the queue's messages to the handler in batches of up to 10, deleting those done. */
async function consume(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const failed: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) return failed;
    const records = Messages.map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "" }));
    const { batchItemFailures } = await handler({ Records: records });
    const failures = new Set(batchItemFailures.map((item) => item.itemIdentifier));
    failed.push(...[...failures].sort());
    for (const message of Messages) {
      if (!failures.has(message.MessageId ?? "")) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    if (failures.size > 0) return failed; // they would be retried; once is enough to report them
  }
}

async function main(): Promise<void> {
  const endpoint = process.env["AWS_ENDPOINT_URL"];
  if (!endpoint) {
    // It creates a bus, a queue and a rule: never in an account by accident.
    throw new Error("publish_and_consume: set AWS_ENDPOINT_URL to a local endpoint (moto server)");
  }
  const events = new EventBridgeClient({ endpoint });
  const sqs = new SQSClient({ endpoint });
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const shippingQueue = await routedQueue(events, sqs, "shipping-ts");

  const options = { eventBusName: BUS, endpoint };
  const placed = await placeOrders(
    [
      {
        orderNumber: 2001,
        customerId: "C42",
        lines: [
          { sku: "SKU-1", quantity: 2, unitPriceCents: 1250 },
          { sku: "SKU-2", quantity: 1, unitPriceCents: 499 },
        ],
        currency: "EUR",
        country: "DE",
        email: "ada@example.com",
      },
      { orderNumber: 2002, customerId: "C43", lines: [{ sku: "SKU-3", quantity: 1, unitPriceCents: 10000 }], currency: "EUR", country: "FR" },
    ],
    options,
  );
  const cancelled = await orders.publish(
    orders.OrderCancelledType,
    [
      {
        orderId: "ORD-2002",
        reason: "CUSTOMER_REQUEST",
        cancelledAt: new Date().toISOString(),
        refundId: null,
        metadata: { correlationId: "8f0e2c1a-7d4b-4e59-9a36-0c2d5b7e9f14", version: "1.0" },
      },
    ],
    options,
  );
  const failed = await consume(sqs, shippingQueue);
  const report = {
    published: [...placed.entries, ...cancelled.entries].map((entry) => entry.ok),
    failed,
    deadLettered,
    parcels: Object.fromEntries([...parcels].sort()),
  };
  process.stdout.write(JSON.stringify(report) + "\n");
}

await main();
