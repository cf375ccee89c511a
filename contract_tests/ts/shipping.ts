// The shipping service in TypeScript: books a parcel for every new order and cancels it with the
// order, as contract_tests/services/shipping.py does. Its handler is written against Order
// Created v2, the latest: the catalog's FULL mode promises that v2 readers read v1 events too.
import { Consumer, orders } from "@mycompany/events";

export const parcels = new Map<string, string>();
export const deadLettered: string[] = [];

export const consumer = new Consumer({ deadLetter: (_raw, reason) => void deadLettered.push(reason) })
  .on(orders.OrderCreatedType, (event: orders.OrderCreatedEvent) => {
    const order = event.detail;
    const address = order.shippingAddress;
    parcels.set(order.orderId, `${address.city}, ${address.country} (${order.items.length} items)`);
  })
  .on(orders.OrderCancelledType, (event: orders.OrderCancelledEvent) => {
    parcels.delete(event.detail.orderId);
  });

/** The Lambda handler of the shipping queue (an SQS event source mapping). */
export const handler = consumer.sqsHandler();
