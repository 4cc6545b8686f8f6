"""Field-by-field differences between two versions of a proposal, for people to read.

Texts are compared word by word (whitespace kept, so paragraphs survive); lists (spectrum
tags, well-being outcomes) item by item; the cost and the review date as old → new.
The result is plain data: the page renders it with <del>/<ins> and the API returns it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from proposals.models import CONTENT_FIELDS, TEXT_FIELDS, ProposalContent, SpectrumTag

LABELS = {
    "title": _("Title"),
    "summary": _("Plain-language summary"),
    "body": _("Body"),
    "people_served": _("People served"),
    "spectrum_tags": _("Spectrum tags"),
    "wellbeing_outcomes": _("Well-being outcomes and their measures"),
    "risks_and_harms": _("Risks and harms"),
    "cost": _("Cost"),
    "review_date": _("Review date"),
}

# A word with the spaces after it: matching bare spaces between words would cut a
# replaced phrase into fragments ("every[ ]addict" against "people[ ]who[ ]use[ ]drugs").
_TOKENS = re.compile(r"^\s+|\S+\s*")


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions ("equal"), only in the older one
    ("removed") or only in the newer one ("added")."""

    op: str
    text: str


@dataclass
class FieldDiff:
    name: str
    label: Any
    changed: bool
    segments: list[Segment] = field(default_factory=list)

    @property
    def removed(self) -> list[str]:
        return [segment.text for segment in self.segments if segment.op == "removed"]

    @property
    def added(self) -> list[str]:
        return [segment.text for segment in self.segments if segment.op == "added"]


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].op == segment.op:
            merged[-1] = Segment(segment.op, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


# Word-level comparison costs about the product of the two passages' word counts; a
# changed passage larger than this is shown removed and added whole, so a diff page
# stays quick for every reader whatever the authors wrote.
WORD_DIFF_BUDGET = 250_000


def text_segments(old: str, new: str) -> list[Segment]:
    """Differences between two texts, line by line and then word by word within the
    lines that changed; joining the "equal" and "added" runs gives ``new`` back, the
    "equal" and "removed" runs give ``old``."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    # autojunk: lines repeated all over (blank ones) do not anchor the match, which keeps
    # the comparison quick even for pathological texts.
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines)
    segments: list[Segment] = []
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        before = "".join(old_lines[a_start:a_end])
        if op == "equal":
            segments.append(Segment("equal", before))
        else:
            segments.extend(_word_segments(before, "".join(new_lines[b_start:b_end])))
    return _merge(segments)


def _word_segments(old: str, new: str) -> list[Segment]:
    old_tokens = _TOKENS.findall(old)
    new_tokens = _TOKENS.findall(new)
    if len(old_tokens) * len(new_tokens) > WORD_DIFF_BUDGET:
        return [Segment("removed", old), Segment("added", new)]
    # Words are matched without the spaces after them, so a word that merely gained or
    # lost a following space (the last word, a new paragraph) still counts as the same.
    matcher = difflib.SequenceMatcher(
        a=[token.rstrip() for token in old_tokens],
        b=[token.rstrip() for token in new_tokens],
        autojunk=False,
    )
    segments: list[Segment] = []
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op != "equal":
            segments.append(Segment("removed", "".join(old_tokens[a_start:a_end])))
            segments.append(Segment("added", "".join(new_tokens[b_start:b_end])))
            continue
        for before, after in zip(old_tokens[a_start:a_end], new_tokens[b_start:b_end], strict=True):
            if before == after:
                segments.append(Segment("equal", before))
                continue
            word = before.rstrip()
            segments.append(Segment("equal", word))
            segments.append(Segment("removed", before[len(word) :]))
            segments.append(Segment("added", after[len(word) :]))
    return segments


def _items(name: str, value: Any) -> list[str]:
    if name == "spectrum_tags":
        return SpectrumTag.words_for(value)
    return [f"{item.get('outcome', '')} — {item.get('measure', '')}" for item in value or []]


def _list_segments(name: str, old: Any, new: Any) -> list[Segment]:
    old_items, new_items = _items(name, old), _items(name, new)
    segments = []
    for item in old_items:
        segments.append(Segment("equal" if item in new_items else "removed", item))
    segments.extend(Segment("added", item) for item in new_items if item not in old_items)
    return segments


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def field_diff(name: str, old: Any, new: Any) -> FieldDiff:
    if name in TEXT_FIELDS:
        segments = text_segments(old or "", new or "")
    elif name in ("spectrum_tags", "wellbeing_outcomes"):
        segments = _list_segments(name, old, new)
    else:
        before, after = _scalar(old), _scalar(new)
        segments = (
            [Segment("equal", before)]
            if before == after
            else [Segment("removed", before), Segment("added", after)]
        )
        segments = [segment for segment in segments if segment.text]
    changed = any(segment.op != "equal" for segment in segments)
    return FieldDiff(name=name, label=LABELS[name], changed=changed, segments=segments)


def version_diff(old: ProposalContent, new: ProposalContent) -> list[FieldDiff]:
    """Every content field, in the order of the form, with what changed from ``old`` to
    ``new``."""
    return [field_diff(name, getattr(old, name), getattr(new, name)) for name in CONTENT_FIELDS]
