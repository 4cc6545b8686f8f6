"""The proposals cast (tests/proposals/conftest.py) serves the advisory tests too, with
two more board members, Ama and Ben, so that one answer does not complete the board."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from advisory import services
from advisory.models import Review, Round

# The cast and its actor, for the advisory tests to import from here.
from tests.proposals.conftest import Cast as Cast
from tests.proposals.conftest import actor as actor


@dataclass
class Board:
    marcus: User
    ama: User
    ben: User

    @property
    def members(self) -> list[User]:
        return [self.marcus, self.ama, self.ben]


def review(
    who: User,
    in_round: Round,
    *,
    verdict: str = "endorse",
    rationale: str = "Meets people where they are.",
    conditions: list[str] | None = None,
    shown_as_advisory_member: bool = False,
) -> Review:
    return services.review_give(
        actor=actor(who),
        round=in_round,
        verdict=verdict,
        rationale=rationale,
        conditions=conditions,
        shown_as_advisory_member=shown_as_advisory_member,
    ).review
