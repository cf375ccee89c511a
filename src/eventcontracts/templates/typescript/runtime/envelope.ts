// The shapes every generated module and the runtime share: the EventBridge envelope, a detail
// validator, and the description of one version of one event (an EventType).

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

/** One problem a validator found; the fields of Ajv's ErrorObject the runtime reads. */
export interface ValidationError {
  instancePath: string;
  schemaPath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** A detail validator (Ajv standalone code): true when `data` is valid, its problems in `errors`
 * after a call that returned false. */
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
  /** Accepts exactly what the version's JSON Schema accepts. */
  validate: Validator<T>;
  /** Optional: accepts what `validate` accepts only when the detail has no property the version
   * does not declare, at any depth. With it, a consumer of several versions gives an event to the
   * oldest version that reads it exactly, as the Python runtime does (see consumer.ts). */
  validateExact?: Validator<T>;
}

/** The envelope type a handler of `Type` receives. */
export type EventOf<Type> = Type extends EventType<infer T, infer D, infer S>
  ? EventBridgeEvent<D, S, T>
  : never;

/** "where: what" of the first problem a validator reported, and how many more there were. */
export function describeErrors(errors: readonly ValidationError[] | null | undefined): string {
  const first = errors?.[0];
  if (!errors || first === undefined) {
    return "the validator rejected it";
  }
  const where = first.instancePath === "" ? "(top level)" : first.instancePath;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return `${where}: ${first.message ?? first.keyword ?? "invalid"}${more}`;
}
