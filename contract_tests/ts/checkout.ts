// The checkout service in TypeScript: turns a paid-for cart into an Order Created event, as
// contract_tests/services/checkout.py does, typed against the generated package.
import { randomUUID } from "node:crypto";

import { orders } from "@mycompany/events";
import type { PublishOptions, PublishResult } from "@mycompany/events";

export interface CartLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Cart {
  orderNumber: number;
  customerId: string;
  lines: CartLine[];
  currency: orders.OrderCreated["currency"];
  country: string;
  email?: string;
  placedAt?: Date;
}

export function orderCreated(cart: Cart): orders.OrderCreated {
  const totalCents = cart.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const order: orders.OrderCreated = {
    orderId: `ORD-${cart.orderNumber}`,
    customerId: cart.customerId,
    items: cart.lines.map((line) => ({
      productId: line.sku,
      quantity: line.quantity,
      price: line.unitPriceCents / 100,
    })),
    totalAmount: totalCents / 100,
    currency: cart.currency,
    shippingAddress: { street: "Torstraße 112", city: "Berlin", postalCode: "10119", country: cart.country },
    createdAt: (cart.placedAt ?? new Date()).toISOString(),
    metadata: { correlationId: randomUUID(), version: "2.0" },
    channel: "web",
  };
  // Optional fields left unset are absent from the event, not null.
  if (cart.email) order.customerEmail = cart.email;
  return order;
}

/** Publish one Order Created event per cart (batched, validated, every entry reported). */
export function placeOrders(carts: Cart[], options: PublishOptions): Promise<PublishResult<orders.OrderCreated>> {
  return orders.publish(orders.OrderCreatedType, carts.map(orderCreated), options);
}
