"""The cast the demo's loaders act as, and the actions they take as them."""

from __future__ import annotations

import datetime
from contextlib import AbstractContextManager
from typing import Any

from django.utils import timezone

from accounts.authority import Actor
from accounts.models import User
from advisory.models import Review, Round
from advisory.services import message_post, review_give
from demo.clock import demo_clock
from organisations.models import Organisation
from proposals.models import Proposal
from proposals.services import proposal_create_draft, proposal_submit, proposal_update_draft
from spaces.models import DecisionSpace

V = Review.Verdict


class Demo:
    """The cast and the clock shared by the loaders."""

    def __init__(self, start: datetime.datetime) -> None:
        self.start = start
        self.people = {person.username: person for person in User.objects.all()}
        self.usernames = {person.pk: username for username, person in self.people.items()}
        self.space = DecisionSpace.objects.get(slug="northside")
        self.outreach = Organisation.objects.get(name="Outreach Collective")

    def as_(self, username: str) -> Actor:
        # A signed-in session: reviewing, posting and responding need no second factor.
        return Actor(user=self.people[username])

    def days_ago(self, days: float) -> AbstractContextManager[None]:
        return demo_clock(self.start - datetime.timedelta(days=days))

    def review(
        self,
        round: Round,
        username: str,
        verdict: str,
        rationale: str,
        *,
        conditions: list[str] | None = None,
        anonymous: bool = False,
    ) -> Review:
        return review_give(
            actor=self.as_(username),
            round=round,
            verdict=verdict,
            rationale=rationale,
            conditions=conditions,
            shown_as_advisory_member=anonymous,
        ).review

    def post(self, round: Round, username: str, body: str, *, anonymous: bool = False) -> None:
        message_post(
            actor=self.as_(username), round=round, body=body, shown_as_advisory_member=anonymous
        )

    def submit_new(self, title: str, **content: Any) -> Round:
        editor = self.as_("editor")
        proposal = proposal_create_draft(
            actor=editor, space=self.space, organisation=self.outreach, title=title
        )
        proposal_update_draft(actor=editor, proposal=proposal, **content)
        proposal_submit(actor=editor, proposal=proposal)
        return current_round(proposal)


def current_round(proposal: Proposal) -> Round:
    proposal.refresh_from_db()
    return Round.objects.get(proposal=proposal, version_id=proposal.current_version_id)


def review_date(start: datetime.datetime, days: int) -> str:
    return (timezone.localdate(start) + datetime.timedelta(days=days)).isoformat()
