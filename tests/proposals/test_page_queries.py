"""The public proposal pages make the same number of queries however many proposals,
versions and co-signers there are (DESIGN.md, "Measured targets": query count
independent of data size)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from proposals.models import Proposal, ProposalCosigner, ProposalDraft, ProposalVersion
from tests.accounts.support import sign_in
from tests.proposals.conftest import COMPLETE, Cast

pytestmark = pytest.mark.django_db

CONTENT = {
    "summary": COMPLETE["summary"],
    "body": COMPLETE["body"],
    "people_served": COMPLETE["people_served"],
    "spectrum_tags": COMPLETE["spectrum_tags"],
    "wellbeing_outcomes": COMPLETE["wellbeing_outcomes"],
    "risks_and_harms": COMPLETE["risks_and_harms"],
}


def _submitted_proposals(cast: Cast, count: int) -> list[Proposal]:
    """``count`` submitted proposals of Olu's organisation, built in bulk (what the
    services would leave: a working copy, version 1, the proposal pointing at it)."""
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(space=cast.space, organisation=cast.organisation, created_by=cast.olu)
        for _ in range(count)
    )
    ProposalDraft.objects.bulk_create(
        ProposalDraft(proposal=proposal, title=f"Program {proposal.pk}", **CONTENT)
        for proposal in proposals
    )
    versions = ProposalVersion.objects.bulk_create(
        ProposalVersion(
            proposal=proposal,
            number=1,
            title=f"Program {proposal.pk}",
            content_hash=f"{proposal.pk:064x}",
            submitted_by=cast.olu,
            submitted_at=now,
            **CONTENT,
        )
        for proposal in proposals
    )
    for proposal, version in zip(proposals, versions, strict=True):
        proposal.current_version = version
        proposal.first_submitted_at = now
        proposal.state = Proposal.State.ADVISORY_REVIEW
    Proposal.objects.bulk_update(proposals, ["current_version", "first_submitted_at", "state"])
    return proposals


def _add_versions(cast: Cast, proposal: Proposal, upto: int) -> None:
    """Versions 2…``upto`` of ``proposal``, and as many co-signers."""
    now = timezone.now()
    versions = ProposalVersion.objects.bulk_create(
        ProposalVersion(
            proposal=proposal,
            number=number,
            title=f"Program, version {number}",
            content_hash=f"{number:064x}",
            submitted_by=cast.olu,
            submitted_at=now,
            **CONTENT,
        )
        for number in range(2, upto + 1)
    )
    Proposal.objects.filter(pk=proposal.pk).update(current_version=versions[-1])
    people = User.objects.bulk_create(
        User(username=f"cosigner-{proposal.pk}-{n}", public_name=f"Co-signer {n}")
        for n in range(upto)
    )
    ProposalCosigner.objects.bulk_create(
        ProposalCosigner(proposal=proposal, user=person) for person in people
    )


def _count(client: Client, path: str) -> int:
    client.get(path)  # warm up translations and the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


# Who reads the pages: the public, the author (Olu), and a voter (Dee), for whom the
# permission rules behind the actions run in full.
@pytest.fixture(params=["anonymous", "author", "voter"])
def reader(request: pytest.FixtureRequest, cast: Cast) -> tuple[str, Client]:
    person = {"anonymous": None, "author": cast.olu, "voter": cast.dee}[request.param]
    return request.param, Client() if person is None else sign_in(Client(), person)


# Every signed-in request reads the session and the person, and saves the session's
# last activity (for the idle timeout: a savepoint, the update, its release); every
# signed-in page reads the roles the person holds, for what the navigation offers = 6.
SIGNED_IN = 6


def test_the_list_page_query_count_does_not_grow_with_proposals(
    cast: Cast, reader: tuple[str, Client]
) -> None:
    who, client = reader
    _submitted_proposals(cast, 5)
    small = _count(client, "/spaces/city/proposals/?q=Program")
    _submitted_proposals(cast, 195)
    large = _count(client, "/spaces/city/proposals/?q=Program")

    # The space, the approved organisations for the filter, the count, the page of 25
    # with its drafts, current versions and organisations joined in = 4; signed in, the
    # organisations the person edits and their board seat, for the "Draft a proposal"
    # link = 2 more.
    expected = {"anonymous": 4, "author": 4 + SIGNED_IN + 2, "voter": 4 + SIGNED_IN + 2}
    assert small == large == expected[who]


def test_the_proposal_page_query_count_does_not_grow_with_versions_or_cosigners(
    cast: Cast, reader: tuple[str, Client]
) -> None:
    who, client = reader
    few, many = _submitted_proposals(cast, 2)
    _add_versions(cast, few, 5)
    _add_versions(cast, many, 200)

    small = _count(client, f"/spaces/city/proposals/{few.pk}/")
    large = _count(client, f"/spaces/city/proposals/{many.pk}/")

    # The proposal with its space, draft, current version, organisation and creator
    # joined in; its versions; its co-signers with their names; its advisory rounds
    # (none here: tests/advisory/test_pages.py counts a page with one) = 4. Signed in,
    # for the actions: whether the person edits for the organisation (the author rule)
    # = 1. Co-signing and requests to co-sign are closed in advisory review, so their
    # rules make no query.
    expected = {"anonymous": 4, "author": 4 + SIGNED_IN + 1, "voter": 4 + SIGNED_IN + 1}
    assert small == large == expected[who]


def test_the_diff_page_query_count_does_not_grow_with_versions(
    cast: Cast, reader: tuple[str, Client]
) -> None:
    who, client = reader
    few, many = _submitted_proposals(cast, 2)
    _add_versions(cast, few, 5)
    _add_versions(cast, many, 200)

    small = _count(client, f"/spaces/city/proposals/{few.pk}/diff/?from=1&to=5")
    large = _count(client, f"/spaces/city/proposals/{many.pk}/diff/?from=1&to=200")

    # The proposal, the list of versions for the two selects, the two versions compared.
    expected = {"anonymous": 4, "author": 4 + SIGNED_IN, "voter": 4 + SIGNED_IN}
    assert small == large == expected[who]
