"""Helpers shared by the API tests."""

from __future__ import annotations

from typing import Any


def error_of(response: Any) -> dict[str, object]:
    """The ``error`` object of a response in the shared format, checked on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, object] = body["error"]
    assert error["status"] == response.status_code
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return error
