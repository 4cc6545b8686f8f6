"""Helpers shared by the API tests."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class ApiError(TypedDict):
    """The shared error format (api/exceptions.py): ``fields`` comes with invalid input, and
    a refusal may add keys of its own (a confirmation's ``warnings``)."""

    status: int
    code: str
    message: str
    fields: NotRequired[dict[str, Any]]


def error_of(response: Any) -> ApiError:
    """The ``error`` object of a response in the shared format, checked on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    error: ApiError = body["error"]
    assert error["status"] == response.status_code
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return error
