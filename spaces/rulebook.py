"""The rulebook's arithmetic: fractions compared in integers, defaults and floors.

The floors here are the same ones the database enforces with CHECK constraints
(``spaces.models.Rulebook.Meta.constraints``); this module lets services, forms and the
API refuse a value below a floor with a message per field before the database would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Fraction:
    """A share such as "2/3, at least" or "1/2, more than", in integers only.

    ``strict`` is the "more than" flag: ``passes`` then needs a share strictly above
    ``num/den``; otherwise a share equal to it passes too.
    """

    num: int
    den: int
    strict: bool = False

    def __post_init__(self) -> None:
        if not (0 < self.num <= self.den):
            raise ValueError("A fraction needs 0 < numerator ≤ denominator.")

    def passes(self, count: int, total: int) -> bool:
        """Does ``count`` out of ``total`` reach this share? Nothing out of nothing never does."""
        if total <= 0 or count < 0:
            return False
        if self.strict:
            return count * self.den > self.num * total
        return count * self.den >= self.num * total

    def at_least(self, other: Fraction) -> bool:
        """Is this requirement at least as demanding as ``other`` (a floor)?"""
        left, right = self.num * other.den, other.num * self.den
        return left > right or (left == right and (self.strict or not other.strict))

    def __str__(self) -> str:
        return f"{self.num}/{self.den}{' (more than)' if self.strict else ''}"


# field -> default
DEFAULTS: dict[str, Any] = {
    "advisory_quorum_num": 1,
    "advisory_quorum_den": 2,
    "minimum_reviews": 3,
    "consent_num": 2,
    "consent_den": 3,
    "consent_strict": False,
    "review_window_days": 14,
    "vote_delay_days": 7,
    "voting_window_days": 14,
    "turnout_quorum_num": 1,
    "turnout_quorum_den": 4,
    "approval_num": 1,
    "approval_den": 2,
    "approval_strict": True,
    "dual_majority": True,
    "min_group_size": 5,
    "publish_receipt_choices": True,
}
FIELDS = tuple(DEFAULTS)

# The floors (the database CHECK constraints say the same).
ADVISORY_QUORUM_FLOOR = Fraction(1, 3)
CONSENT_FLOOR = Fraction(1, 2, strict=True)
TURNOUT_QUORUM_FLOOR = Fraction(1, 10)
APPROVAL_FLOOR = Fraction(1, 2, strict=True)
DAY_FLOORS = {"review_window_days": 7, "vote_delay_days": 2, "voting_window_days": 3}
MIN_GROUP_SIZE_FLOOR = 5
MINIMUM_REVIEWS_FLOOR = 2
MAX_MINIMUM_REVIEWS = 1000
MAX_DAYS = 365
MAX_DENOMINATOR = 1000


def validate(values: dict[str, Any]) -> dict[str, list[str]]:
    """Each field's problems, in words a facilitator can act on; empty when all is well."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in FIELDS:
        if field not in values:
            add(field, _("This value is missing."))
    if errors:
        return errors

    fractions = {
        "advisory_quorum": (
            None,
            ADVISORY_QUORUM_FLOOR,
            _("The advisory quorum cannot be lower than 1/3 of the board."),
        ),
        "consent": (
            "consent_strict",
            CONSENT_FLOOR,
            _("The consent threshold cannot be lower than more than half (1/2, more than)."),
        ),
        "turnout_quorum": (
            None,
            TURNOUT_QUORUM_FLOOR,
            _("The turnout quorum cannot be lower than 1/10 of the electorate."),
        ),
        "approval": (
            "approval_strict",
            APPROVAL_FLOOR,
            _("The approval threshold cannot be lower than more than half (1/2, more than)."),
        ),
    }
    for prefix, (strict_field, floor, floor_message) in fractions.items():
        num, den = values[f"{prefix}_num"], values[f"{prefix}_den"]
        if not (isinstance(num, int) and isinstance(den, int)) or not (
            0 < num <= den <= MAX_DENOMINATOR
        ):
            add(
                f"{prefix}_num",
                _("Give a share as two whole numbers, 0 < top ≤ bottom ≤ %(max)d.")
                % {"max": MAX_DENOMINATOR},
            )
            continue
        strict = bool(values[strict_field]) if strict_field else False
        if not Fraction(num, den, strict).at_least(floor):
            add(f"{prefix}_num", floor_message)

    day_messages = {
        "review_window_days": _("The review window cannot be shorter than 7 days."),
        "vote_delay_days": _(
            "The vote cannot open sooner than 2 days after the response is published."
        ),
        "voting_window_days": _("The voting window cannot be shorter than 3 days."),
    }
    for field, floor_days in DAY_FLOORS.items():
        value = values[field]
        if not isinstance(value, int) or value > MAX_DAYS:
            add(field, _("Give a whole number of days, at most %(max)d.") % {"max": MAX_DAYS})
        elif value < floor_days:
            add(field, day_messages[field])
    reviews = values["minimum_reviews"]
    if not isinstance(reviews, int) or reviews > MAX_MINIMUM_REVIEWS:
        add(
            "minimum_reviews",
            _("Give a whole number of reviews, at most %(max)d.") % {"max": MAX_MINIMUM_REVIEWS},
        )
    elif reviews < MINIMUM_REVIEWS_FLOOR:
        add(
            "minimum_reviews",
            _("A review needs at least 2 answers from the board, so no one decides alone."),
        )
    size = values["min_group_size"]
    if not isinstance(size, int) or size > 10_000:
        add("min_group_size", _("Give a whole number of people."))
    elif size < MIN_GROUP_SIZE_FLOOR:
        add(
            "min_group_size",
            _("A breakdown needs groups of at least 5 ballots, so no one can be singled out."),
        )
    return errors
