// Compiles detail schemas into Ajv standalone validators: run once per `eventcontracts generate`
// by eventcontracts.codegen.typescript.validators, never shipped in a generated package.
//
//   node ajv_compile.mjs <folder holding node_modules> < batch.json > answer.json
//
// batch: {"module": "esm" | "commonjs", "formats": [checked format names],
//         "items": [{"id", "dialect", "schema", "linear", "runtime"}]}
// An item with "unevaluated": true (a detail read exactly: codegen/typescript/exact.py) has
// unevaluatedProperties in any draft, as Ajv's 2019-09 class reads it.
// "dialect" one of draft-04, draft-06, draft-07, 2019-09, 2020-12; "linear" the schema's
// patterns written in RE2's syntax (re2js evaluates them; any other pattern is a JavaScript
// RegExp); "runtime" the module path the validator imports the format checks and the pattern
// engine from (the generated package's src/runtime/validation.js).
// Answer: {"validators": {id: validator source}, "failures": [{id, error}]}, ids sorted.
// Every schema gets an Ajv instance of its own: the names Ajv numbers its functions and
// constants with then depend on that schema only, so a validator's text does not change when
// other schemas are added to the registry, nor with the worker thread that compiled it (a
// large batch is shared among worker threads, one per core: Ajv's compile is the cost).
import {readFileSync} from "node:fs"
import {createRequire} from "node:module"
import {availableParallelism} from "node:os"
import {join} from "node:path"
import {fileURLToPath} from "node:url"
import {isMainThread, parentPort, Worker, workerData} from "node:worker_threads"

const [nodeModulesParent] = isMainThread ? process.argv.slice(2) : workerData.args
// Below this many schemas one thread compiles them all: starting workers costs more.
const PER_WORKER = 40
const MAX_WORKERS = 4
const require = createRequire(join(nodeModulesParent, "noop.js"))
const {default: Ajv, _} = require("ajv")
const {default: Ajv2019} = require("ajv/dist/2019")
const {default: Ajv2020} = require("ajv/dist/2020")
const {default: AjvDraft04} = require("ajv-draft-04")
const {default: standaloneCode} = require("ajv/dist/standalone")
const {default: unevaluatedVocabulary} = require("ajv/dist/vocabularies/unevaluated")
const {RE2JS} = require("re2js")

const CLASSES = {
  "draft-04": AjvDraft04,
  "draft-06": Ajv,
  "draft-07": Ajv,
  "2019-09": Ajv2019,
  "2020-12": Ajv2020,
}

function formatNames(schema, found = new Set()) {
  if (Array.isArray(schema)) {
    for (const item of schema) formatNames(item, found)
  } else if (schema !== null && typeof schema == "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "format" && typeof value == "string") found.add(value)
      else formatNames(value, found)
    }
  }
  return found
}

// The pattern engine as Ajv calls it while compiling: the validator's code calls the
// generated package's regExp (validation.js) with the same pattern. A pattern in RE2's syntax
// must be one re2js reads, any other one one it does not: the package's regExp, which tries
// re2js first, then evaluates each as eventcontracts wrote it.
const readableByRe2js = new Map() // the same few patterns recur in every version

function re2jsReads(pattern) {
  if (!readableByRe2js.has(pattern)) {
    let readable = true
    try {
      RE2JS.compile(pattern)
    } catch {
      readable = false
    }
    readableByRe2js.set(pattern, readable)
  }
  return readableByRe2js.get(pattern)
}

function patternEngine(item) {
  const linear = new Set(item.linear)
  const engine = (pattern, flags) => {
    const readable = re2jsReads(pattern)
    if (linear.has(pattern)) {
      if (!readable) throw new Error(`re2js cannot read the pattern ${JSON.stringify(pattern)}`)
      return {test: () => true, toString: () => `re2:${pattern}`}
    }
    if (readable) throw new Error(`re2js would read the pattern ${JSON.stringify(pattern)} as RE2`)
    return new RegExp(pattern, flags)
  }
  engine.code = `require(${JSON.stringify(item.runtime)}).regExp`
  return engine
}

function compile(item, esm, unicodeRegExp, checked) {
  const formats = {}
  // Every format the schema names is known to Ajv: the checked ones by the package's
  // validation.js (with the registry's semantics), any other one (uri, int64...) accepted, as
  // the registry's validator does. Ajv only names the checks here, it does not run them.
  for (const name of [...formatNames(item.schema)].sort()) {
    formats[name] = checked.has(name) ? () => true : true
  }
  const ajv = new CLASSES[item.dialect]({
    strict: false, // vendor keywords (x-amazon-...), OpenAPI's example, unknown keywords
    logger: false,
    validateSchema: false, // lint has checked the schema against its metaschema
    meta: false,
    unicodeRegExp,
    formats,
    ...(item.unevaluated ? {unevaluated: true} : {}),
    code: {
      source: true,
      esm,
      lines: true,
      optimize: false,
      formats: _`require(${item.runtime}).formats`,
      regExp: patternEngine(item),
    },
  })
  if (item.unevaluated && !["2019-09", "2020-12"].includes(item.dialect)) {
    ajv.addVocabulary(unevaluatedVocabulary)
  }
  if (item.dialect === "draft-06") {
    // if/then/else came with draft 7: a draft-06 validator ignores them.
    for (const keyword of ["if", "then", "else"]) ajv.removeKeyword(keyword)
  }
  return standaloneCode(ajv, ajv.compile(item.schema))
}

// Ajv's ESM output still requires its runtime helpers and the formats: made imports here.
function asEsm(source) {
  const modules = []
  const body = source.replace(/require\(("(?:[^"\\]|\\.)*")\)/g, (_match, literal) => {
    const path = JSON.parse(literal)
    let index = modules.indexOf(path)
    if (index === -1) index = modules.push(path) - 1
    return `__import${index}`
  })
  const imports = modules.map((path, index) => {
    const file = path.startsWith("ajv/") && !path.endsWith(".js") ? `${path}.js` : path
    return `import __import${index} from ${JSON.stringify(file)};\n`
  })
  return body.replace(/^"use strict";\n/, `"use strict";\n${imports.join("")}`)
}

function validatorSource(item, esm, checked) {
  let source
  try {
    source = compile(item, esm, true, checked)
  } catch (error) {
    // A RegExp pattern JavaScript's "u" mode refuses (an identity escape such as \- outside
    // a class) is compiled as the other engines read it: without Unicode mode.
    if (!/Invalid regular expression/.test(String(error))) throw error
    source = compile(item, esm, false, checked)
  }
  return esm ? asEsm(source) : asCommonJs(source)
}

// The named export the declarations (.validate.d.ts) promise, beside Ajv's default one.
function asCommonJs(source) {
  return source.replace(
    /^module\.exports = (\w+);$/m,
    (line, name) => `${line}\nmodule.exports.validate = ${name};`,
  )
}

function compileAll(items, esm, formats) {
  const checked = new Set(formats)
  const validators = {}
  const failures = []
  for (const item of items) {
    try {
      validators[item.id] = validatorSource(item, esm, checked)
    } catch (error) {
      failures.push({id: item.id, error: String(error && error.message ? error.message : error)})
    }
  }
  return {validators, failures}
}

function inWorker(items, esm, formats) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), {
      workerData: {args: [nodeModulesParent], items, esm, formats},
    })
    worker.once("message", resolve)
    worker.once("error", reject)
  })
}

async function main() {
  const batch = JSON.parse(readFileSync(0, "utf8"))
  const esm = batch.module !== "commonjs"
  const items = [...batch.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const threads = Math.max(
    1,
    Math.min(MAX_WORKERS, availableParallelism(), Math.floor(items.length / PER_WORKER)),
  )
  let parts
  if (threads === 1) {
    parts = [compileAll(items, esm, batch.formats)]
  } else {
    const shares = Array.from({length: threads}, (_, index) =>
      items.filter((_item, position) => position % threads === index),
    )
    parts = await Promise.all(shares.map((share) => inWorker(share, esm, batch.formats)))
  }
  const validators = {}
  const failures = []
  for (const part of parts) {
    Object.assign(validators, part.validators)
    failures.push(...part.failures)
  }
  const sorted = {}
  for (const id of Object.keys(validators).sort()) sorted[id] = validators[id]
  failures.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  process.stdout.write(JSON.stringify({validators: sorted, failures}))
}

if (isMainThread) {
  await main()
} else {
  parentPort.postMessage(compileAll(workerData.items, workerData.esm, workerData.formats))
}
