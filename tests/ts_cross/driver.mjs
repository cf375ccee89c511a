// Drives the committed TypeScript package (generated-ts/, built into dist/) as a Node.js service
// uses it, for tests/test_ts_cross_language.py: one scenario read from stdin as JSON, what
// happened written to stdout as JSON.
//
//   {"scenario": "validate", "items": [{"schemaName", "version", "detail"}]}
//       -> [true | false, ...]: each detail checked by its version's generated validator (its
//       exact one, validateExact, for an item with "exact": true)
//   {"scenario": "consume", "events": [...], "versions": {"<schema name>": [1, 2]}}
//       -> {"handled": [{"id", "schemaName", "version"}], "deadLettered": [{"id", "reason"}]}
//       a Consumer with a handler for each listed version (every version when none is listed)
//   {"scenario": "publish", "schemaName", "version", "details", "options"}
//       -> the PublishResult of the source's typed publish()
import * as events from "./dist/index.js";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

// Every namespace of the package that has event types: the sources.
const sources = Object.values(events).filter((value) => Array.isArray(value?.EVENT_TYPES));
const eventTypes = sources.flatMap((source) => source.EVENT_TYPES);

function eventType(schemaName, version) {
  const found = eventTypes.find((t) => t.schemaName === schemaName && t.version === version);
  if (found === undefined) throw new Error(`no event type ${schemaName} v${version}`);
  return found;
}

async function run(scenario) {
  if (scenario.scenario === "validate") {
    return scenario.items.map((item) => {
      const type = eventType(item.schemaName, item.version);
      const validator = item.exact ? type.validateExact : type.validate;
      if (validator === undefined) throw new Error(`${item.schemaName} v${item.version} has no exact validator`);
      return validator(item.detail);
    });
  }
  if (scenario.scenario === "consume") {
    const handled = [];
    const deadLettered = [];
    const consumer = new events.Consumer({
      deadLetter: (raw, reason) => void deadLettered.push({ id: raw?.id ?? null, reason }),
      log: () => {},
    });
    for (const type of eventTypes) {
      const wanted = scenario.versions?.[type.schemaName];
      if (scenario.versions !== undefined && !wanted?.includes(type.version)) continue;
      consumer.on(type, (event) => {
        handled.push({ id: event.id, schemaName: type.schemaName, version: type.version });
      });
    }
    for (const event of scenario.events) await consumer.dispatch(event);
    return { handled, deadLettered };
  }
  if (scenario.scenario === "publish") {
    const type = eventType(scenario.schemaName, scenario.version);
    const source = sources.find((s) => s.SOURCE === type.source);
    const result = await source.publish(type, scenario.details, scenario.options);
    return { ok: result.ok, entries: result.entries.map((e) => ({ ok: e.ok, eventId: e.eventId ?? null })) };
  }
  throw new Error(`unknown scenario ${scenario.scenario}`);
}

process.stdout.write(JSON.stringify(await run(input)));
