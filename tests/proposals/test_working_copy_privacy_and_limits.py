"""What a text being revised, a private draft and an author's rights must not leak to:
people who only registered an organisation, people who left one, site staff in the
admin; and inputs that must be refused rather than break a page."""

from __future__ import annotations

import pytest
from django.test import Client

from advisory.models import Round
from advisory.services import review_give
from core.errors import NotPermitted
from organisations.models import OrganisationEditor
from proposals import services
from proposals.models import Proposal, ProposalDraft
from tests.accounts.support import sign_in
from tests.api.support import error_of
from tests.factories import MembershipFactory
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor


def _in_revision_with_private_changes(cast: Cast, draft: Proposal) -> None:
    # With Marcus, a board of two: the rulebook's minimum number of reviews.
    second = MembershipFactory(space=cast.space, role="board").user
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    # The whole board here opposes: the round sends the proposal back.
    for member in (cast.marcus, second):
        review_give(
            actor=actor(member),
            round=Round.objects.get(proposal=draft),
            verdict="oppose",
            rationale="Not yet.",
        )
    assert Proposal.objects.get(pk=draft.pk).state == Proposal.State.REVISION
    services.proposal_update_draft(
        actor=actor(cast.olu), proposal=draft, summary="Text nobody outside has seen."
    )


def test_an_editor_of_an_unapproved_organisation_cannot_cosign(cast: Cast, draft: Proposal) -> None:
    _in_revision_with_private_changes(cast, draft)
    with pytest.raises(NotPermitted):
        services.proposal_cosign(actor=actor(cast.pat), proposal=draft)
    response = client_for(cast.pat).get(url(draft))
    assert "Text nobody outside has seen." not in response.content.decode()


def test_a_cosigner_of_a_public_proposal_does_not_read_the_revision_in_progress(
    cast: Cast, draft: Proposal
) -> None:
    _in_revision_with_private_changes(cast, draft)
    services.proposal_cosign(actor=actor(cast.ngozi), proposal=draft)

    body = client_for(cast.ngozi).get(url(draft)).json()

    assert body["working_copy"] is None
    assert "Text nobody outside has seen." not in str(body)


def test_someone_who_left_the_organisation_no_longer_authors_its_draft(
    cast: Cast, draft: Proposal
) -> None:
    from django.utils import timezone

    OrganisationEditor.objects.filter(user=cast.olu).update(left_at=timezone.now())

    with pytest.raises(NotPermitted):
        services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert client_for(cast.olu).get(url(draft)).status_code == 404


def test_the_admin_never_shows_or_searches_a_working_copy(cast: Cast, draft: Proposal) -> None:
    from accounts.models import User

    _in_revision_with_private_changes(cast, draft)
    services.proposal_update_draft(actor=actor(cast.olu), proposal=draft, title="Zebra crossing")
    staff = User.objects.create_superuser(
        username="sam", email=None, password=None, public_name="Sam"
    )
    client = sign_in(Client(), staff, mfa=True)

    change = client.get(f"/admin/proposals/proposal/{draft.pk}/change/").content.decode()
    found = client.get("/admin/proposals/proposal/?q=Zebra").content.decode()

    assert "Zebra" not in change
    assert f"/admin/proposals/proposal/{draft.pk}/change/" not in found


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "a\ud800b"}, "title"),
        ({"body": "x" * 50_001}, "body"),
        ({"summary": "x" * 5_001}, "summary"),
        (
            {"wellbeing_outcomes": [{"outcome": "o", "measure": "m"}] * 51},
            "wellbeing_outcomes",
        ),
    ],
)
def test_unstorable_or_oversized_text_is_refused_on_its_field(
    cast: Cast, draft: Proposal, fields: dict[str, object], field: str
) -> None:
    import json

    before = ProposalDraft.objects.get(proposal=draft).content()
    response = client_for(cast.olu).patch(
        url(draft), json.dumps(fields), content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert ProposalDraft.objects.get(proposal=draft).content() == before


def test_a_private_draft_is_never_kept_by_a_shared_cache(cast: Cast, draft: Proposal) -> None:
    response = client_for(cast.olu, token=True).get(url(draft))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
