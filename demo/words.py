"""The demo's words: what its proposals say, what its board members write in their
reviews and what the authors answer, kept in ``words.toml`` apart from the story of who
does what and when."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

_WORDS: dict[str, dict[str, Any]] = tomllib.loads(
    Path(__file__).with_name("words.toml").read_text(encoding="utf-8")
)


def proposal(name: str) -> dict[str, Any]:
    """The content fields of the demo proposal ``name``, as a draft takes them."""
    return {
        field: value
        for field, value in _WORDS[name].items()
        if field not in ("reviews", "response")
    }


def reviews(name: str) -> list[tuple[str, str, str, list[str]]]:
    """The board's reviews of ``name``, in the order they are given: (member, verdict,
    rationale, conditions)."""
    return [
        (review["member"], review["verdict"], review["rationale"], review["conditions"])
        for review in _WORDS[name]["reviews"]
    ]


def response(name: str) -> tuple[str, list[dict[str, str]]]:
    """The authors' response to the board's reviews of ``name``: its statement, and its
    answers in the order the items to answer are listed."""
    written = _WORDS[name]["response"]
    return written["statement"], written.get("answers", [])
