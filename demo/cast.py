"""The cast the demo's loaders act as, and the actions they take as them."""

from __future__ import annotations

import datetime
from contextlib import AbstractContextManager
from functools import cached_property
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


def review_date(days: int, *, after: datetime.datetime | None = None) -> str:
    """A proposal's review date ``days`` after the day of ``after`` (today by default),
    so the demo never starts out of date."""
    return (timezone.localdate(after) + datetime.timedelta(days=days)).isoformat()


def current_round(proposal: Proposal) -> Round:
    proposal.refresh_from_db()
    return Round.objects.get(proposal=proposal, version_id=proposal.current_version_id)


class Cast:
    """The demo's people by username, the Northside space and Outreach Collective once
    they exist, and the sessions the loaders act in."""

    def __init__(self) -> None:
        self.people = {person.username: person for person in User.objects.all()}
        self.usernames = {person.pk: username for username, person in self.people.items()}

    @cached_property
    def space(self) -> DecisionSpace:
        return DecisionSpace.objects.get(slug="northside")

    @cached_property
    def outreach(self) -> Organisation:
        return Organisation.objects.get(name="Outreach Collective")

    def as_(self, username: str) -> Actor:
        # A signed-in session: drafting, co-signing, reviewing, posting and responding
        # need no second factor.
        return Actor(user=self.people[username])

    def strong(self, username: str) -> Actor:
        # A session signed in with the second factor: facilitator and staff powers
        # (bringing a vote forward, approving an organisation) need it.
        return Actor(user=self.people[username], mfa=True, recently_authenticated=True)

    def draft(
        self, title: str, *, author: str = "editor", community: bool = False, **content: Any
    ) -> Proposal:
        """A draft in Northside by ``author``, for Outreach Collective or, drafted by an
        advisory board member, for the community."""
        proposal = proposal_create_draft(
            actor=self.as_(author),
            space=self.space,
            organisation=None if community else self.outreach,
            title=title,
        )
        proposal_update_draft(actor=self.as_(author), proposal=proposal, **content)
        return proposal


class Demo(Cast):
    """The cast and the clock shared by the loaders of the demo's history."""

    def __init__(self, start: datetime.datetime) -> None:
        super().__init__()
        self.start = start

    def ago(self, days: float) -> datetime.datetime:
        return self.start - datetime.timedelta(days=days)

    def days_ago(self, days: float) -> AbstractContextManager[None]:
        return demo_clock(self.ago(days))

    def review_date(self, days: int) -> str:
        return review_date(days, after=self.start)

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
        """A proposal for Outreach Collective, drafted and submitted by ``editor``: its
        advisory round."""
        proposal = self.draft(title, **content)
        proposal_submit(actor=self.as_("editor"), proposal=proposal)
        return current_round(proposal)
