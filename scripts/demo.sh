#!/usr/bin/env bash
# `make demo`: eventcontracts on the bundled example catalog, offline, no AWS account needed.
set -euo pipefail
# An absolute path, so the tools are found from the temporary folders the demo works in too.
bin="$(cd "${1:-.venv/bin}" && pwd)"
evc="$bin/eventcontracts"
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

step "Lint the example catalog (registry/)" "eventcontracts lint"
"$evc" lint

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r registry eventcontracts.toml rules infra "$work"/

# A typical slip: a sample event that no longer matches the schema, and a typo in a $ref.
python_bin="$bin/python"
"$python_bin" - "$work" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1]) / "registry" / "com.mycompany.orders" / "OrderCreated"
sample = root / "examples" / "v2" / "web-order-with-discount.json"
event = json.loads(sample.read_text())
event["detail"]["currency"] = "JPY"
sample.write_text(json.dumps(event, indent=2) + "\n")
schema = root.parent / "OrderCancelled" / "v1.json"
text = schema.read_text().replace('"#/components/schemas/Refund"', '"#/components/schemas/Refnud"', 1)
schema.write_text(text)
PY

step "Lint a copy with a broken sample event and a misspelt \$ref (exit code 1)" \
  "eventcontracts lint"
set +e
(cd "$work" && "$evc" lint)
code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ] || { echo "expected exit code 1" >&2; exit 1; }

step "The same findings for programs" "eventcontracts lint --format json | head -20"
(cd "$work" && "$evc" lint --format json | head -20) || true

step "Order Created v1 -> v2: only optional fields added (compatible)" \
  "eventcontracts compat registry/.../OrderCreated/v1.json registry/.../OrderCreated/v2.json"
"$evc" compat registry/com.mycompany.orders/OrderCreated/v1.json \
  registry/com.mycompany.orders/OrderCreated/v2.json

"$python_bin" - "$work" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1]) / "registry" / "com.mycompany.orders" / "OrderCreated"
document = json.loads((root / "v2.json").read_text())
detail = document["components"]["schemas"]["OrderCreated"]
detail["properties"]["currency"]["enum"].append("JPY")
detail["required"].append("channel")
(root / "v3.json").write_text(json.dumps(document, indent=2) + "\n")
PY
step "A v3 that adds a currency and makes a field required (exit code 1, with proof)" \
  "eventcontracts compat .../v2.json .../v3.json"
set +e
"$evc" compat registry/com.mycompany.orders/OrderCreated/v2.json \
  "$work/registry/com.mycompany.orders/OrderCreated/v3.json"
code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ] || { echo "expected exit code 1" >&2; exit 1; }

gate=$(mktemp -d)
trap 'rm -rf "$work" "$gate"' EXIT
cp -r registry eventcontracts.toml rules infra "$gate"/
git_() { git -C "$gate" -c user.email=demo@example.com -c user.name=demo "$@"; }
git_ init -q -b main && git_ add -A && git_ commit -qm "the catalog on main"
git_ checkout -q -b add-jpy
cp "$work/registry/com.mycompany.orders/OrderCreated/v3.json" \
  "$gate/registry/com.mycompany.orders/OrderCreated/v3.json"
step "The CI gate on a pull request that adds that v3 (exit code 1)" \
  "eventcontracts check --against main"
set +e
(cd "$gate" && "$evc" check --against main)
code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ] || { echo "expected exit code 1" >&2; exit 1; }

step "The typed package services import is up to date with the registry" \
  "eventcontracts generate --check"
"$evc" generate --check

# Sync: an emulator of the EventBridge Schema Registry, started and stopped by the demo.
log="$work/emulator.log"
"$evc" emulator --port 0 2> "$log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work" "$gate"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$log" && break; sleep 0.1; done
endpoint=$(grep -o "http://[0-9.:]*" "$log" | head -1)
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION=us-east-1
step "Sync the catalog to a Schema Registry (an emulator at $endpoint)" \
  "eventcontracts sync apply --yes --endpoint-url $endpoint"
"$evc" sync apply --yes --endpoint-url "$endpoint"
step "Plan again: nothing to do, no per-schema reads" \
  "eventcontracts sync plan --endpoint-url $endpoint"
"$evc" sync plan --endpoint-url "$endpoint"
kill "$emulator_pid"

step "Every rule has a stable ID" "eventcontracts explain"
"$evc" explain

step "Bus rules (rules/, infra/) checked against the schemas they target" "eventcontracts rules check"
"$evc" rules check

# The catalog site of the example registry, kept for you to open (DEMO_SITE: another folder).
site="${DEMO_SITE:-site}"
step "The event catalog site: every event, version, diff, consumer and bus rule" \
  "eventcontracts catalog build --out $site"
"$evc" catalog build --out "$site"
site_path="$(cd "$site" && pwd)"
printf '\nOpen the catalog: file://%s/index.html\n' "$site_path"
