// Runs generated validators on instances, for tests/test_ts_validators_differential.py:
//   node ajv_run.mjs <package folder> < [{"validator": "<path>.validate.js", "instance": "<JSON>"}]
// Answer, in order: {"valid", "seen"}, "seen" the instance as JavaScript read it (JSON.parse
// makes 1.0 the number 1), written back as JSON.
import {readFileSync} from "node:fs"
import {join} from "node:path"
import {pathToFileURL} from "node:url"

const [folder] = process.argv.slice(2)
const batch = JSON.parse(readFileSync(0, "utf8"))
const validators = new Map()
const answers = []
for (const {validator, instance} of batch) {
  if (!validators.has(validator)) {
    const module = await import(pathToFileURL(join(folder, validator)).href)
    validators.set(validator, module.validate)
  }
  const data = JSON.parse(instance)
  const valid = validators.get(validator)(data)
  answers.push({valid, seen: JSON.stringify(data)})
}
process.stdout.write(JSON.stringify(answers))
