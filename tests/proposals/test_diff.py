"""Differences between two versions read like an editor's marks: whole replaced phrases,
paragraphs kept, and each side recoverable from the marks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from proposals.diff import field_diff, text_segments


@pytest.mark.parametrize(
    ("old", "new", "removed", "added"),
    [
        (
            "Kits for every addict on the bus.",
            "Kits for people who use drugs on the bus.",
            ["every addict "],
            ["people who use drugs "],
        ),
        ("Two peer workers.", "Three peer workers.", ["Two "], ["Three "]),
        ("Same text.", "Same text.", [], []),
        ("", "A new summary.", [], ["A new summary."]),
        ("## Plan\n\nFour evenings.", "## Plan\n\nFive evenings.", ["Four "], ["Five "]),
    ],
)
def test_text_changes_are_marked_as_whole_phrases(
    old: str, new: str, removed: list[str], added: list[str]
) -> None:
    segments = text_segments(old, new)

    assert [s.text for s in segments if s.op == "removed"] == removed
    assert [s.text for s in segments if s.op == "added"] == added
    assert "".join(s.text for s in segments if s.op != "added") == old
    assert "".join(s.text for s in segments if s.op != "removed") == new


def test_lists_show_each_item_removed_or_added() -> None:
    diff = field_diff("spectrum_tags", ["safer_use", "health"], ["health", "housing"])
    assert diff.changed
    assert diff.removed == ["safer use"]
    assert diff.added == ["housing"]


@pytest.mark.parametrize(
    ("name", "old", "new", "changed"),
    [
        ("cost", Decimal("100.00"), Decimal("120.00"), True),
        ("cost", None, None, False),
        ("review_date", datetime.date(2027, 1, 1), datetime.date(2027, 1, 1), False),
        ("review_date", None, datetime.date(2027, 1, 1), True),
    ],
)
def test_amounts_and_dates_change_as_old_to_new(
    name: str, old: object, new: object, changed: bool
) -> None:
    assert field_diff(name, old, new).changed is changed


def test_a_very_large_changed_passage_is_shown_removed_and_added_whole() -> None:
    """Word by word, two long unrelated passages would take minutes to compare; they are
    shown whole instead, and every reader's diff page stays quick."""
    old = " ".join(["naloxone"] * 600)
    new = " ".join(["housing"] * 600)

    segments = text_segments(old, new)

    assert [(s.op, s.text) for s in segments] == [("removed", old), ("added", new)]


def test_an_edit_in_one_paragraph_of_many_is_marked_word_by_word() -> None:
    paragraphs = [f"Paragraph {n} about peer support and naloxone." for n in range(300)]
    edited = list(paragraphs)
    edited[150] = edited[150].replace("naloxone", "housing")

    segments = text_segments("\n\n".join(paragraphs), "\n\n".join(edited))

    assert [s.text for s in segments if s.op == "removed"] == ["naloxone.\n"]
    assert [s.text for s in segments if s.op == "added"] == ["housing.\n"]
