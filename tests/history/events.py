"""An event's stored data, read by a test that expects the event not to be redacted."""

from __future__ import annotations

from typing import Any

from history import chain
from history.models import Event


def event_data(event: Event) -> dict[str, Any]:
    data = chain.decode_data(event.content.data)
    assert data is not None, f"event #{event.seq} has been redacted"
    return data


def event_text(event: Event) -> str:
    """The stored data as it is written in the database, to search for what it must not hold."""
    data = event.content.data
    assert data is not None, f"event #{event.seq} has been redacted"
    return bytes(data).decode()
