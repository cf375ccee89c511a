// A typed event module written by hand, the shape the generator writes (interfaces, EventTypes
// with validators), so the runtime's tests do not depend on the generator. The validators check
// what the tests need: required fields, types, a pattern, an enum, unknown properties for the
// exact reading. v2 adds an optional `currency`, so v2's validator accepts v1 details too: the
// case where choosing the version needs the exact reading.

import type { EventType, ValidationError, Validator } from "./runtime/index.js";

export const SOURCE = "shop.orders";

export interface Metadata {
  correlationId?: string;
  version?: number;
}

export interface OrderPlacedV1 {
  orderId: string;
  total: number;
  note?: string;
  metadata?: Metadata;
}

export interface OrderPlacedV2 {
  orderId: string;
  total: number;
  currency?: "USD" | "EUR";
  note?: string;
  metadata?: Metadata;
}

/** A detail with a metadata object that takes no correlationId (extra properties refused). */
export interface AuditedV1 {
  action: string;
  metadata: { actor: string };
}

type Check = (data: unknown, errors: ValidationError[]) => void;

function validator<T>(check: Check): Validator<T> {
  const validate = ((data: unknown): data is T => {
    const errors: ValidationError[] = [];
    check(data, errors);
    validate.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  }) as Validator<T>;
  validate.errors = null;
  return validate;
}

function isObject(data: unknown): data is Record<string, unknown> {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}

function only(data: Record<string, unknown>, known: string[], at: string, errors: ValidationError[]): void {
  for (const key of Object.keys(data)) {
    if (!known.includes(key)) {
      errors.push({ instancePath: at, keyword: "additionalProperties", message: `must NOT have additional property ${key}` });
    }
  }
}

function metadata(data: unknown, exact: boolean, errors: ValidationError[]): void {
  if (data === undefined) return;
  if (!isObject(data)) {
    errors.push({ instancePath: "/metadata", keyword: "type", message: "must be object" });
    return;
  }
  if (data["correlationId"] !== undefined && typeof data["correlationId"] !== "string") {
    errors.push({ instancePath: "/metadata/correlationId", keyword: "type", message: "must be string" });
  }
  if (data["version"] !== undefined && !Number.isInteger(data["version"])) {
    errors.push({ instancePath: "/metadata/version", keyword: "type", message: "must be integer" });
  }
  if (exact) only(data, ["correlationId", "version"], "/metadata", errors);
}

function order(version: 1 | 2, exact: boolean): Check {
  return (data, errors) => {
    if (!isObject(data)) {
      errors.push({ instancePath: "", keyword: "type", message: "must be object" });
      return;
    }
    const orderId = data["orderId"];
    if (typeof orderId !== "string") {
      errors.push({ instancePath: "/orderId", keyword: "required", message: "must be string" });
    } else if (!/^ORD-[0-9]+$/.test(orderId)) {
      errors.push({ instancePath: "/orderId", keyword: "pattern", message: 'must match pattern "^ORD-[0-9]+$"' });
    }
    const total = data["total"];
    if (typeof total !== "number" || total < 0) {
      errors.push({ instancePath: "/total", keyword: "minimum", message: "must be a number >= 0" });
    }
    if (data["note"] !== undefined && typeof data["note"] !== "string") {
      errors.push({ instancePath: "/note", keyword: "type", message: "must be string" });
    }
    const currency = data["currency"];
    if (version === 2 && currency !== undefined && currency !== "USD" && currency !== "EUR") {
      errors.push({ instancePath: "/currency", keyword: "enum", message: "must be equal to one of the allowed values" });
    }
    metadata(data["metadata"], exact, errors);
    if (exact) {
      const known = ["orderId", "total", "note", "metadata", ...(version === 2 ? ["currency"] : [])];
      only(data, known, "", errors);
    }
  };
}

export const OrderPlacedV1Type: EventType<OrderPlacedV1, "Order Placed", "shop.orders"> = {
  source: SOURCE,
  detailType: "Order Placed",
  schemaName: "OrderPlaced",
  version: 1,
  validate: validator<OrderPlacedV1>(order(1, false)),
  validateExact: validator<OrderPlacedV1>(order(1, true)),
};

export const OrderPlacedV2Type: EventType<OrderPlacedV2, "Order Placed", "shop.orders"> = {
  source: SOURCE,
  detailType: "Order Placed",
  schemaName: "OrderPlaced",
  version: 2,
  validate: validator<OrderPlacedV2>(order(2, false)),
  validateExact: validator<OrderPlacedV2>(order(2, true)),
};

/** The same two versions without exact validators: dispatch falls back to the newest that
 * accepts. */
export const OrderPlacedV1Loose: EventType<OrderPlacedV1, "Order Placed", "shop.orders"> = {
  source: SOURCE,
  detailType: "Order Placed",
  schemaName: "OrderPlaced",
  version: 1,
  validate: OrderPlacedV1Type.validate,
};
export const OrderPlacedV2Loose: EventType<OrderPlacedV2, "Order Placed", "shop.orders"> = {
  source: SOURCE,
  detailType: "Order Placed",
  schemaName: "OrderPlaced",
  version: 2,
  validate: OrderPlacedV2Type.validate,
};

export const AuditedV1Type: EventType<AuditedV1, "Audited", "shop.audit"> = {
  source: "shop.audit",
  detailType: "Audited",
  schemaName: "Audited",
  version: 1,
  validate: validator<AuditedV1>((data, errors) => {
    if (!isObject(data) || typeof data["action"] !== "string") {
      errors.push({ instancePath: "/action", keyword: "required", message: "must have required property 'action'" });
      return;
    }
    const meta = data["metadata"];
    if (!isObject(meta) || typeof meta["actor"] !== "string") {
      errors.push({ instancePath: "/metadata", keyword: "required", message: "must have required property 'actor'" });
      return;
    }
    only(meta, ["actor"], "/metadata", errors);
  }),
};
