"""Writes the hostile-input corpus (tests/hostile/items/): run it after changing an item.

Each item is a folder of files laid over tests/hostile/base/ (a small valid project: one schema
with v1, one bus rule). Most items add a hostile v2 of that schema, so that every command
reaches it: lint and check read the registry, compat compares v1 with it, generate and sample
take the latest version, rules check and rules test load the registry, import reads the file.
The items are written by code (not by hand) because several are unreadable on purpose: a
5,000-digit number, a 200-deep document, a BOM, a lone surrogate, a name holding newlines.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ITEMS = HERE / "items"
SCHEMA = "registry/com.example.orders/OrderCreated"


def envelope(detail: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A draft-04 EventBridge schema of com.example.orders@OrderCreated around ``detail``."""
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": "com.example.orders",
        "x-amazon-events-detail-type": "Order Created",
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": detail},
        **extra,
    }


def detail(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["orderId"],
        "properties": {"orderId": {"type": "string"}, **properties},
    }


BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
INJECTION = "x\n::error file=README.md::forged by a schema\n::add-mask::x"


def deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"a": node}}
    return node


def items() -> dict[str, dict[str, str | bytes]]:
    """Item name -> {path under the project: content}."""
    v2 = f"{SCHEMA}/v2.json"

    def version(schema: Any) -> dict[str, str | bytes]:
        return {v2: json.dumps(schema, ensure_ascii=False)}

    defs = {
        "A": {"anyOf": [{"$ref": "#/definitions/B"}]},
        "B": {"anyOf": [{"$ref": "#/definitions/A"}]},
    }
    all_defs = {
        "A": {"allOf": [{"$ref": "#/definitions/B"}]},
        "B": {"allOf": [{"$ref": "#/definitions/A"}]},
    }
    nested_optional: dict[str, Any] = {"type": "string"}
    for _ in range(25):
        nested_optional = {"type": "object", "properties": {"next": nested_optional}}
    return {
        "alias-bomb-version": {f"{SCHEMA}/v2.yaml": BOMB},
        "alias-bomb-example": {f"{SCHEMA}/examples/v1/bomb.yaml": BOMB},
        "alias-bomb-shared": {"registry/_shared/bomb.yaml": BOMB},
        "alias-bomb-consumer": {f"{SCHEMA}/consumers/bomb.yaml": BOMB},
        "alias-bomb-rule": {"rules/bomb.yaml": BOMB},
        "deep-nesting": version(envelope(detail(deep=deep(100)))),
        "huge-integer": {
            v2: json.dumps(envelope(detail(total={"type": "number", "maximum": 0}))).replace(
                '"maximum": 0', '"maximum": ' + "9" * 5000
            )
        },
        "duplicate-keys": {
            v2: json.dumps(envelope(detail(total={"type": "number"}))).replace(
                '"type": "number"', '"type": "number", "type": "string"'
            )
        },
        "bom": {v2: "\ufeff" + json.dumps(envelope(detail(total={"type": "number"})))},
        "lone-surrogate": {
            v2: json.dumps(
                envelope(detail(note={"type": "string", "enum": ["SURROGATE"]}))
            ).replace("SURROGATE", "\\ud800")
        },
        "number-1e400": {
            v2: json.dumps(envelope(detail(total={"type": "number", "maximum": 7}))).replace(
                '"maximum": 7', '"maximum": 1e400'
            )
        },
        "nan": {
            v2: json.dumps(envelope(detail(total={"type": "number", "enum": [7]}))).replace(
                '"enum": [7]', '"enum": [NaN]'
            )
        },
        "min-items-1e8": version(
            envelope(
                detail(lines={"type": "array", "items": {"type": "string"}, "minItems": 100000000})
            )
        ),
        "nested-optional-25": version(envelope(detail(next=nested_optional))),
        "not-itself": version(
            envelope(
                {"$ref": "#/definitions/X"}, definitions={"X": {"not": {"$ref": "#/definitions/X"}}}
            )
        ),
        "anyof-cycle": version(envelope({"$ref": "#/definitions/A"}, definitions=defs)),
        "allof-cycle": version(envelope({"$ref": "#/definitions/A"}, definitions=all_defs)),
        "id-cycle": version(
            envelope(
                {
                    "$id": "https://example.com/order.json",
                    "allOf": [{"$ref": "https://example.com/order.json"}],
                }
            )
        ),
        "yaml-integer-key-rule": {
            "rules/integer-key.yaml": 'source: ["com.example.orders"]\ndetail:\n  1: ["x"]\n'
        },
        "injection-names": version(
            envelope(
                {
                    "type": "object",
                    "required": ["orderId", INJECTION],
                    "properties": {"orderId": {"type": "string"}, INJECTION: {"type": "string"}},
                },
                title=INJECTION,
            )
        ),
        "vendor-keys": version(
            envelope(
                detail(
                    total={"type": "number", "x-python-type": "pwn_helper.T"},
                    note={"type": "string", "customTypePath": "pwn_helper.U"},
                    extra={
                        "type": "object",
                        "x-python-import": "pwn_helper",
                        "customBasePath": "pwn_helper.Base",
                    },
                )
            )
        ),
        "catastrophic-regex": {
            **version(envelope(detail(code={"type": "string", "pattern": "^(a+)+$"}))),
            f"{SCHEMA}/examples/v2/slow.json": json.dumps(
                {
                    "version": "0",
                    "id": "1",
                    "detail-type": "Order Created",
                    "source": "com.example.orders",
                    "account": "123456789012",
                    "time": "2024-01-01T00:00:00Z",
                    "region": "eu-west-1",
                    "resources": [],
                    "detail": {"orderId": "o-1", "code": "a" * 34 + "!"},
                }
            ),
        },
        # No files: the item runs every command with --config /dev/zero (see the test).
        "config-dev-zero": {},
    }


def main() -> None:
    shutil.rmtree(ITEMS, ignore_errors=True)
    for name, files in items().items():
        folder = ITEMS / name
        folder.mkdir(parents=True)
        for relative, content in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_bytes(content.encode("utf-8", "surrogatepass"))
            else:
                path.write_bytes(content)
        if not files:
            (folder / ".keep").write_text("")


if __name__ == "__main__":
    main()
