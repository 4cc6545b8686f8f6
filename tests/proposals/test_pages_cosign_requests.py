"""Asking people to co-sign from the proposal page: the authors choose a board member or
another organisation's editor by public name; the person asked reads the draft and
co-signs or declines there."""

from __future__ import annotations

import pytest
from django.test import Client

from proposals.models import CosignInvitation, Proposal
from tests.accounts.support import sign_in
from tests.pages.support import Page
from tests.proposals.conftest import Cast

pytestmark = pytest.mark.django_db


def _url(pk: int, action: str = "") -> str:
    return f"/spaces/city/proposals/{pk}/{action + '/' if action else ''}"


def test_an_author_asks_a_board_member_who_reads_and_cosigns_the_draft(
    cast: Cast, draft: Proposal
) -> None:
    author = sign_in(Client(), cast.olu)
    member = sign_in(Client(), cast.marcus)
    page = Page(author.get(_url(draft.pk)).content.decode())
    assert cast.marcus.public_name in page.text  # offered by public name
    assert member.get(_url(draft.pk)).status_code == 404

    response = author.post(
        _url(draft.pk, "cosign-requests"), {"person": str(cast.marcus.public_id)}, follow=True
    )

    assert "was asked to co-sign" in Page(response.content.decode()).text
    seen = member.get(_url(draft.pk))
    assert seen.status_code == 200
    assert "Decline to co-sign" in Page(seen.content.decode()).text
    member.post(_url(draft.pk, "cosign"))
    assert draft.cosigners.filter(user=cast.marcus).exists()


def test_declining_hides_the_draft_and_goes_back_to_the_list(cast: Cast, draft: Proposal) -> None:
    sign_in(Client(), cast.olu).post(
        _url(draft.pk, "cosign-requests"), {"person": str(cast.marcus.public_id)}
    )
    member = sign_in(Client(), cast.marcus)

    response = member.post(_url(draft.pk, "cosign/decline"))

    assert response.status_code == 302
    assert response["Location"] == "/spaces/city/proposals/"
    assert member.get(_url(draft.pk)).status_code == 404


def test_a_person_who_may_not_cosign_cannot_be_chosen(cast: Cast, draft: Proposal) -> None:
    author = sign_in(Client(), cast.olu)
    page = Page(author.get(_url(draft.pk)).content.decode())
    assert cast.dee.public_name not in page.text  # a voter is not offered

    response = author.post(
        _url(draft.pk, "cosign-requests"), {"person": str(cast.dee.public_id)}, follow=True
    )

    assert "cannot be asked to co-sign" in Page(response.content.decode()).text
    assert not CosignInvitation.objects.exists()


def test_only_authors_can_ask(cast: Cast, draft: Proposal) -> None:
    sign_in(Client(), cast.olu).post(
        _url(draft.pk, "cosign-requests"), {"person": str(cast.marcus.public_id)}
    )
    member = sign_in(Client(), cast.marcus)  # can see the draft now, but is no author
    assert "Ask to co-sign" not in Page(member.get(_url(draft.pk)).content.decode()).text
    member.post(_url(draft.pk, "cosign-requests"), {"person": str(cast.ngozi.public_id)})
    assert not CosignInvitation.objects.filter(user=cast.ngozi).exists()


def test_an_author_takes_back_a_request_from_the_page(cast: Cast, draft: Proposal) -> None:
    author = sign_in(Client(), cast.olu)
    author.post(_url(draft.pk, "cosign-requests"), {"person": str(cast.marcus.public_id)})

    response = author.post(
        _url(draft.pk, f"cosign-requests/{cast.marcus.public_id}/revoke"), follow=True
    )

    assert "taken back" in Page(response.content.decode()).text
    assert sign_in(Client(), cast.marcus).get(_url(draft.pk)).status_code == 404
