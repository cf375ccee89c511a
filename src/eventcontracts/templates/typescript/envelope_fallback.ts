// The envelope types generated modules import, for a tool without its TypeScript runtime
// templates (templates/typescript/runtime/envelope.ts replaces this file when it is there).

/** An EventBridge event as a rule target receives it, its detail typed. */
export interface EventBridgeEvent<DetailType extends string, Source extends string, Detail> {
  version: string;
  id: string;
  "detail-type": DetailType;
  source: Source;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** One problem a validator found. */
export interface ValidationError {
  instancePath: string;
  schemaPath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** A detail validator: true when `data` is valid, its problems in `errors` otherwise. */
export interface Validator<T> {
  (data: unknown): data is T;
  errors?: ValidationError[] | null;
}

/** One version of one event: where it comes from, which contract it follows, how to check it. */
export interface EventType<T, DetailType extends string = string, Source extends string = string> {
  source: Source;
  detailType: DetailType;
  schemaName: string;
  version: number;
  validate: Validator<T>;
}
