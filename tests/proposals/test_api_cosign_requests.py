"""Asking people to co-sign through the API: authors list the candidates and ask one;
the person asked reads the draft and co-signs or declines; nobody else learns of it."""

from __future__ import annotations

from proposals.models import CosignInvitation, Proposal
from tests.api.support import error_of
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast


def test_an_author_asks_a_board_member_who_then_reads_and_cosigns_the_draft(
    cast: Cast, draft: Proposal
) -> None:
    author = client_for(cast.olu, token=True)
    member = client_for(cast.marcus)
    assert member.get(url(draft)).status_code == 404

    candidates = author.get(url(draft, "cosign-candidates/")).json()
    marcus = next(p for p in candidates if p["id"] == str(cast.marcus.public_id))
    asked = author.post(url(draft, "cosign-requests/"), {"person": marcus["id"]})

    assert asked.status_code == 201, asked.content
    assert asked.json()["person"]["public_name"] == cast.marcus.public_name
    assert "email" not in asked.content.decode()
    seen = member.get(url(draft))
    assert seen.status_code == 200
    assert seen.json()["actions"]["decline_cosign"] is True
    assert seen.json()["working_copy"]["title"] == "Naloxone on the night bus"
    assert member.post(url(draft, "cosign/")).status_code == 200
    assert draft.cosigners.filter(user=cast.marcus).exists()
    assert author.get(url(draft, "cosign-requests/")).json() == []


def test_declining_hides_the_draft_again(cast: Cast, draft: Proposal) -> None:
    author = client_for(cast.olu)
    author.post(url(draft, "cosign-requests/"), {"person": str(cast.marcus.public_id)})
    member = client_for(cast.marcus)

    assert member.post(url(draft, "cosign/decline/")).status_code == 204
    assert member.get(url(draft)).status_code == 404


def test_asking_a_voter_is_refused_on_the_person_field(cast: Cast, draft: Proposal) -> None:
    response = client_for(cast.olu).post(
        url(draft, "cosign-requests/"), {"person": str(cast.dee.public_id)}
    )
    assert response.status_code == 400
    assert "person" in error_of(response)["fields"]
    assert not CosignInvitation.objects.exists()


def test_only_authors_see_candidates_and_requests(cast: Cast, draft: Proposal) -> None:
    client_for(cast.olu).post(
        url(draft, "cosign-requests/"), {"person": str(cast.marcus.public_id)}
    )
    member = client_for(cast.marcus)  # asked, so they can see the draft, but not author it
    assert member.get(url(draft, "cosign-requests/")).status_code == 403
    assert member.get(url(draft, "cosign-candidates/")).status_code == 403
    for outsider in (None, cast.dee, cast.ngozi):
        assert client_for(outsider).get(url(draft, "cosign-candidates/")).status_code == 404


def test_an_author_takes_back_a_request_through_the_api(cast: Cast, draft: Proposal) -> None:
    author = client_for(cast.olu, token=True)
    author.post(url(draft, "cosign-requests/"), {"person": str(cast.marcus.public_id)})

    assert client_for(cast.marcus).delete(
        url(draft, f"cosign-requests/{cast.marcus.public_id}/")
    ).status_code in (403, 404)
    assert author.delete(url(draft, f"cosign-requests/{cast.marcus.public_id}/")).status_code == 204
    assert client_for(cast.marcus).get(url(draft)).status_code == 404
