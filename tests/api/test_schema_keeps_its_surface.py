"""The API keeps every path, parameter, response and field it has published: a client
written against the baseline schema keeps working. The baseline
(tests/api/data/openapi_baseline.json) is the schema as it stood; what the API adds is
allowed, what it loses fails here with the list of losses. Compared with
scripts/openapi_diff.py, the same check a person can run between any two versions."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).parent / "data" / "openapi_baseline.json"


def _openapi_diff() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "openapi_diff", ROOT / "scripts" / "openapi_diff.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _current_schema() -> dict[str, Any]:
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema: dict[str, Any] = json.loads(out.getvalue())
    return schema


@pytest.mark.django_db
def test_the_schema_loses_nothing_the_baseline_published() -> None:
    diff = _openapi_diff()
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))

    lost = sorted(diff.surface(baseline) - diff.surface(_current_schema()))

    assert lost == []


def test_the_diff_names_a_lost_field_and_a_lost_response() -> None:
    diff = _openapi_diff()
    before = json.loads(BASELINE.read_text(encoding="utf-8"))
    after = json.loads(BASELINE.read_text(encoding="utf-8"))
    account = after["paths"]["/api/v1/account/"]["get"]
    del account["responses"]["200"]
    after["components"]["schemas"]["Account"]["properties"].pop("public_name")

    lost = diff.surface(before) - diff.surface(after)

    assert "GET /api/v1/account/ -> 200" in lost
    assert "PATCH /api/v1/account/ -> 200 <application/json>.public_name" in lost
    assert not any(line.startswith("POST ") for line in lost)
