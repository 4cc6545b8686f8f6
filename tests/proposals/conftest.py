"""The cast for proposals: Olu edits for an approved organisation, Ngozi edits for
another one, Marcus sits on the board of the space, Dee is only a voter, Pat edits for an
organisation still pending approval. The fixtures that build it (``cast``, ``draft``) are in
tests/proposals/fixtures.py, which every folder sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.authority import Actor
from accounts.models import User
from organisations.models import Organisation
from spaces.models import DecisionSpace

COMPLETE: dict[str, Any] = {
    "summary": "Peer workers hand out naloxone kits and show people how to use them.",
    "body": "## Plan\n\nTwo peer workers, four evenings a week.",
    "people_served": "People who use opioids in the city centre.",
    "spectrum_tags": ["safer_use", "health"],
    "wellbeing_outcomes": [
        {"outcome": "Fewer fatal overdoses", "measure": "Coroner figures, yearly"}
    ],
    "risks_and_harms": "Kits may run out; we keep a two-week reserve.",
    "cost": "12500.00",
    "review_date": "2027-06-30",
}


@dataclass
class Cast:
    space: DecisionSpace
    organisation: Organisation
    other_organisation: Organisation
    pending_organisation: Organisation
    olu: User
    ngozi: User
    marcus: User
    dee: User
    pat: User


def actor(user: User) -> Actor:
    return Actor(user=user)
