"""Submitted versions through the API: listed, read in full with their content hash,
compared field by field, and never changed (no write endpoint exists for them)."""

from __future__ import annotations

import pytest

from proposals import services
from proposals.models import Proposal, ProposalVersion
from tests.api.support import error_of
from tests.proposals.api_support import client_for, url
from tests.proposals.conftest import Cast, actor


@pytest.fixture
def two_versions(cast: Cast, draft: Proposal) -> Proposal:
    """Olu's proposal, submitted, sent back, revised and submitted again."""
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        title="Naloxone on the night bus and at the station",
        spectrum_tags=["safer_use"],
        cost="14000",
    )
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    return draft


def test_the_versions_are_listed_oldest_first_with_their_hashes(
    cast: Cast, two_versions: Proposal
) -> None:
    response = client_for(None).get(url(two_versions, "versions/"))

    assert response.status_code == 200
    rows = response.json()
    hashes = list(
        ProposalVersion.objects.filter(proposal=two_versions)
        .order_by("number")
        .values_list("content_hash", flat=True)
    )
    assert [row["number"] for row in rows] == [1, 2]
    assert [row["content_hash"] for row in rows] == hashes
    assert rows[1]["url"] == f"http://testserver{url(two_versions, 'versions/2/')}"


def test_a_version_is_read_in_full_with_its_html_and_hash(
    cast: Cast, two_versions: Proposal
) -> None:
    response = client_for(None).get(url(two_versions, "versions/1/"))

    assert response.status_code == 200
    body = response.json()
    version = ProposalVersion.objects.get(proposal=two_versions, number=1)
    assert body["number"] == 1
    assert body["content_hash"] == version.content_hash
    assert body["title"] == "Naloxone on the night bus"
    assert body["cost"] == "12500.00"
    assert body["wellbeing_outcomes"] == [
        {"outcome": "Fewer fatal overdoses", "measure": "Coroner figures, yearly"}
    ]
    assert body["body_html"].startswith("<h3>Plan</h3>")


def test_a_missing_version_is_404_with_a_message(cast: Cast, two_versions: Proposal) -> None:
    response = client_for(None).get(url(two_versions, "versions/3/"))

    assert response.status_code == 404
    assert "version 3" in str(error_of(response)["message"])


def test_the_diff_shows_what_changed_field_by_field(cast: Cast, two_versions: Proposal) -> None:
    response = client_for(None).get(url(two_versions, "diff/"), {"from": 1, "to": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["from_version"]["number"] == 1
    assert body["to_version"]["number"] == 2
    by_name = {row["name"]: row for row in body["changes"]}
    assert [row["name"] for row in body["changes"]][:2] == ["title", "summary"]
    title = by_name["title"]
    assert title["changed"] is True
    assert title["label"] == "Title"
    assert {"op": "added", "text": " and at the station"} in title["segments"]
    assert by_name["summary"]["changed"] is False
    assert by_name["spectrum_tags"]["segments"] == [
        {"op": "equal", "text": "safer use"},
        {"op": "removed", "text": "health"},
    ]
    assert by_name["cost"]["segments"] == [
        {"op": "removed", "text": "12500.00"},
        {"op": "added", "text": "14000.00"},
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": 2}, "from"),
        ({"from": 1}, "to"),
        ({"from": "one", "to": 2}, "from"),
        ({"from": 0, "to": 2}, "from"),
        ({"from": 1, "to": "-2"}, "to"),
        ({"from": "1" * 40, "to": 2}, "from"),
    ],
)
def test_bad_diff_parameters_are_refused_with_a_message(
    cast: Cast, two_versions: Proposal, query: dict[str, str | int], field: str
) -> None:
    response = client_for(None).get(url(two_versions, "diff/"), query)

    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert isinstance(fields, dict)
    assert field in fields


def test_a_diff_with_a_missing_version_is_404(cast: Cast, two_versions: Proposal) -> None:
    response = client_for(None).get(url(two_versions, "diff/"), {"from": 1, "to": 9})
    assert response.status_code == 404


def test_a_never_submitted_draft_has_no_versions_even_for_its_authors(
    cast: Cast, draft: Proposal
) -> None:
    client = client_for(cast.olu)

    assert client.get(url(draft, "versions/")).json() == []
    assert client.get(url(draft, "versions/1/")).status_code == 404
    assert client.get(url(draft, "diff/"), {"from": 1, "to": 1}).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("token", [False, True])
def test_a_version_cannot_be_changed_through_the_api(
    cast: Cast, two_versions: Proposal, method: str, token: bool
) -> None:
    version = ProposalVersion.objects.get(proposal=two_versions, number=1)
    before = (version.title, version.content_hash, version.body)

    response = getattr(client_for(cast.olu, token=token), method)(
        url(two_versions, "versions/1/"), {"title": "Rewritten history"}
    )

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    version.refresh_from_db()
    assert (version.title, version.content_hash, version.body) == before
    assert ProposalVersion.objects.filter(proposal=two_versions).count() == 2


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_version_list_and_the_diff_accept_no_writes(
    cast: Cast, two_versions: Proposal, method: str
) -> None:
    client = client_for(cast.olu)
    for suffix in ("versions/", "diff/?from=1&to=2"):
        response = getattr(client, method)(url(two_versions, suffix), {"title": "x"})
        assert response.status_code == 405, suffix
    assert ProposalVersion.objects.filter(proposal=two_versions).count() == 2
