"""The demo's proposals show every stage the services can reach, stay private where they
should, and leave a decision history that verifies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from accounts.authority import Actor
from accounts.models import User
from demo.advisory import NOT_PASSED, PASSED
from demo.proposals import (
    COMMUNITY,
    COSIGNED_DRAFT,
    DEMO_PROPOSALS,
    PRIVATE_DRAFT,
    PRIVATE_DRAFT_LOGIN,
    SUBMITTED_ONCE,
    TWO_VERSIONS,
    WITHDRAWN,
)
from demo.voting import VOTING_PROPOSALS
from history.models import Event
from history.verification import verify
from proposals.language import check_text
from proposals.models import CONTENT_FIELDS, Proposal, ProposalVersion
from proposals.selectors import proposals_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, capsys: pytest.CaptureFixture[str]) -> str:
    """Loads the demo and returns what it printed."""
    settings.DEBUG = True
    call_command("load_demo")
    return capsys.readouterr().out


def _proposal(title: str) -> Proposal:
    return Proposal.objects.get(draft__title=title)


def test_the_demo_has_a_proposal_in_every_state_the_services_can_reach(demo: str) -> None:
    states = {p.title: _proposal(p.title).state for p in DEMO_PROPOSALS}

    assert states == {
        PRIVATE_DRAFT.title: Proposal.State.DRAFT,
        COSIGNED_DRAFT.title: Proposal.State.DRAFT,
        SUBMITTED_ONCE.title: Proposal.State.ADVISORY_REVIEW,
        TWO_VERSIONS.title: Proposal.State.ADVISORY_REVIEW,
        WITHDRAWN.title: Proposal.State.WITHDRAWN,
        COMMUNITY.title: Proposal.State.ADVISORY_REVIEW,
    }
    assert _proposal(SUBMITTED_ONCE.title).versions.count() == 1
    assert _proposal(WITHDRAWN.title).first_submitted_at is not None


def test_the_multi_version_proposal_has_two_versions_with_different_content(demo: str) -> None:
    proposal = _proposal(TWO_VERSIONS.title)
    versions = list(ProposalVersion.objects.filter(proposal=proposal).order_by("number"))

    assert [version.number for version in versions] == [1, 2]
    assert versions[0].content_hash != versions[1].content_hash
    assert versions[0].summary != versions[1].summary
    assert proposal.current_version == versions[1]
    submitted = Event.objects.filter(kind="proposal.submitted", subject_id=str(proposal.pk))
    assert submitted.count() == 2


def test_the_history_chain_verifies_after_the_demo(demo: str) -> None:
    result = verify()

    assert result.ok, str(result)
    # Five here, the two proposals whose rounds closed (tests/demo/test_demo_advisory.py)
    # and the five put to a vote (tests/demo/test_demo_voting.py).
    assert Event.objects.filter(kind="proposal.submitted").count() == 12
    assert Event.objects.filter(kind="proposal.withdrawn").count() == 1


def test_the_private_drafts_are_seen_only_by_their_authors_and_co_signers(demo: str) -> None:
    people = {person.username: person for person in User.objects.all()}
    anyone = proposals_visible_to(Actor.anonymous())
    private = _proposal(PRIVATE_DRAFT.title)
    cosigned = _proposal(COSIGNED_DRAFT.title)

    assert not anyone.filter(pk__in=[private.pk, cosigned.pk]).exists()
    assert set(anyone.values_list("draft__title", flat=True)) == {
        SUBMITTED_ONCE.title,
        TWO_VERSIONS.title,
        WITHDRAWN.title,
        COMMUNITY.title,
        PASSED.title,
        NOT_PASSED.title,
        *(proposal.title for proposal in VOTING_PROPOSALS),
    }
    editor = proposals_visible_to(Actor(user=people[PRIVATE_DRAFT_LOGIN]))
    assert editor.filter(pk=private.pk).exists()
    board1 = proposals_visible_to(Actor(user=people["board1"]))
    assert board1.filter(pk=cosigned.pk).exists()
    assert not board1.filter(pk=private.pk).exists()
    # Nothing about either draft is in the public record.
    assert not Event.objects.filter(
        subject_type="proposals.proposal", subject_id__in=[str(private.pk), str(cosigned.pk)]
    ).exists()


def test_the_demo_prints_which_login_sees_the_private_draft(demo: str) -> None:
    assert PRIVATE_DRAFT.title in demo
    assert f"sign in as {PRIVATE_DRAFT_LOGIN!r}" in demo
    for proposal in DEMO_PROPOSALS:
        assert proposal.title in demo


def test_the_community_proposal_is_a_board_members_and_co_signed(demo: str) -> None:
    proposal = _proposal(COMMUNITY.title)

    assert proposal.organisation is None
    assert proposal.created_by.username == "board2"
    assert list(proposal.cosigners.values_list("user__username", flat=True)) == ["board3"]
    assert list(
        _proposal(COSIGNED_DRAFT.title).cosigners.values_list("user__username", flat=True)
    ) == ["board1"]


def test_the_demo_proposals_are_complete_and_pass_the_language_check(demo: str) -> None:
    """Demo text is what visitors copy: person-first wording throughout."""
    for proposal in Proposal.objects.select_related("draft"):
        content = proposal.draft.content()
        for name in CONTENT_FIELDS:
            value = content[name]
            texts = (
                [item[key] for item in value for key in ("outcome", "measure")]
                if name == "wellbeing_outcomes"
                else [value]
                if isinstance(value, str)
                else []
            )
            for text in texts:
                assert check_text(text, "en") == [], (proposal.draft.title, name, text)
        if proposal.first_submitted_at is not None:
            assert proposal.draft.cost is not None
            assert proposal.draft.review_date is not None
