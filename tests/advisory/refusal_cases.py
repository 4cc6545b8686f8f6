"""The advisory refusal table: see tests/refusals.py."""

from __future__ import annotations

from tests.refusals import RefusalCase

CASES: list[RefusalCase] = []
