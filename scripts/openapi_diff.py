#!/usr/bin/env python3
"""What an OpenAPI schema lost against an earlier one: paths, operations, parameters,
responses, request and response fields, enum values. Standard library only.

    python manage.py spectacular --format openapi-json --file before.json   # on the old code
    python manage.py spectacular --format openapi-json --file after.json    # on the new code
    python scripts/openapi_diff.py before.json after.json

Exits 1 and lists each loss (one line, a path into the schema) when anything a client could
rely on is gone; additions are counted, not listed. Component names may change (a schema
can be renamed or inlined): fields are compared where they are used, with every ``$ref``
followed, not by component name.
"""

from __future__ import annotations

import json
import sys
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve(schema: dict[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> Any:
    """``node`` with every ``$ref`` replaced by what it names (a cycle stops at its ref)."""
    if isinstance(node, list):
        return [resolve(schema, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return {"$cycle": ref.rsplit("/", 1)[-1]}
        target: Any = schema
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return resolve(schema, target, seen | {ref})
    return {key: resolve(schema, value, seen) for key, value in node.items()}


def leaves(node: Any, where: str) -> set[str]:
    """Every field, enum value and type a client could rely on, as a path of names."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= leaves(item, where)
        return found
    if not isinstance(node, dict):
        return found
    for combinator in ("allOf", "oneOf", "anyOf"):
        for part in node.get(combinator, []):
            found |= leaves(part, where)
    for name, child in node.get("properties", {}).items():
        found.add(f"{where}.{name}")
        found |= leaves(child, f"{where}.{name}")
    for name in node.get("required", []):
        found.add(f"{where}.{name} (required)")
    if "items" in node:
        found |= leaves(node["items"], f"{where}[]")
    if isinstance(node.get("additionalProperties"), dict):
        found |= leaves(node["additionalProperties"], f"{where}{{}}")
    for value in node.get("enum", []):
        found.add(f"{where} = {value!r}")
    if "type" in node:
        found.add(f"{where} : {node['type']}")
    return found


def surface(schema: dict[str, Any]) -> set[str]:
    """The whole client-facing surface of ``schema``, one string per thing."""
    found: set[str] = set()
    for path, item in schema.get("paths", {}).items():
        found.add(path)
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            operation = resolve(schema, item[method])
            where = f"{method.upper()} {path}"
            found.add(where)
            for parameter in resolve(schema, shared) + operation.get("parameters", []):
                name = f"{where} ?{parameter['in']}:{parameter['name']}"
                found.add(name)
                found |= leaves(parameter.get("schema", {}), name)
            for media, body in operation.get("requestBody", {}).get("content", {}).items():
                found |= leaves(body.get("schema", {}), f"{where} body<{media}>")
            for code, response in operation.get("responses", {}).items():
                found.add(f"{where} -> {code}")
                for media, body in response.get("content", {}).items():
                    found.add(f"{where} -> {code} <{media}>")
                    found |= leaves(body.get("schema", {}), f"{where} -> {code} <{media}>")
            for scheme in operation.get("security", []):
                found.add(f"{where} security {sorted(scheme)}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as before_file, open(argv[2], encoding="utf-8") as f:
        before, after = surface(json.load(before_file)), surface(json.load(f))
    lost = sorted(before - after)
    for line in lost:
        print(f"lost: {line}")
    print(
        f"{len(before)} things before, {len(after)} after: "
        f"{len(lost)} lost, {len(after - before)} added."
    )
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
