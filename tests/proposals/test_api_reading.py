"""Reading proposals through the API: the list, its filters, one proposal, and an
organisation's proposals, with the same visibility as the pages. A draft never submitted
answers 404 (or is absent) for anyone but its authors and co-signers."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from proposals import services
from proposals.models import Proposal
from tests.api.support import error_of
from tests.proposals.api_support import LIST, client_for
from tests.proposals.conftest import COMPLETE, Cast, actor


def person(cast: Cast, who: str) -> User | None:
    return None if who == "anonymous" else getattr(cast, who)


def detail_url(proposal: Proposal) -> str:
    return f"{LIST}{proposal.pk}/"


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def submitted(cast: Cast, title: str = "Needle exchange at the station") -> Proposal:
    proposal = services.proposal_create_draft(
        actor=actor(cast.ngozi), space=cast.space, organisation=cast.other_organisation, title=title
    )
    services.proposal_update_draft(actor=actor(cast.ngozi), proposal=proposal, **COMPLETE)
    services.proposal_submit(actor=actor(cast.ngozi), proposal=proposal)
    return proposal


def revise(cast: Cast, proposal: Proposal, **fields: Any) -> None:
    # The review round that sends a proposal back comes later; set the state directly.
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.REVISION)
    author = cast.olu if proposal.organisation == cast.organisation else cast.ngozi
    services.proposal_update_draft(actor=actor(author), proposal=proposal, **fields)


# --- Visibility ---------------------------------------------------------------------------------

OUTSIDERS = ["anonymous", "dee", "ngozi", "marcus", "pat"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_draft_is_absent_from_the_list_and_search_for_people_who_neither_wrote_nor_cosigned_it(
    cast: Cast, draft: Proposal, who: str
) -> None:
    public = submitted(cast)
    client = client_for(person(cast, who))

    assert ids(client.get(LIST)) == [public.pk]
    assert ids(client.get(LIST, {"search": "night bus"})) == []
    assert ids(client.get(LIST, {"state": "draft"})) == []


@pytest.mark.parametrize("who", [w for w in OUTSIDERS if w != "anonymous"])
def test_every_address_of_a_draft_answers_404_to_people_who_cannot_see_it(
    cast: Cast, draft: Proposal, who: str
) -> None:
    client = client_for(person(cast, who))

    for suffix in ("", "versions/", "versions/1/", "diff/?from=1&to=1"):
        response = client.get(detail_url(draft) + suffix)
        assert response.status_code == 404, suffix
        assert error_of(response)["code"] == "not_found"
        assert b"night bus" not in response.content
    for suffix in ("submit/", "withdraw/", "cosign/"):
        response = client.post(detail_url(draft) + suffix, {"reason": "Not needed."})
        assert response.status_code == 404, suffix
    response = client.patch(detail_url(draft), {"title": "Taken over"})
    assert response.status_code == 404
    assert Proposal.objects.get(pk=draft.pk).state == Proposal.State.DRAFT
    assert not draft.cosigners.exists()


def test_an_anonymous_caller_gets_404_for_a_draft(cast: Cast, draft: Proposal) -> None:
    response = client_for(None).get(detail_url(draft))
    assert response.status_code == 404


def test_a_draft_is_visible_with_its_working_copy_to_its_authors(
    cast: Cast, draft: Proposal
) -> None:
    response = client_for(cast.olu).get(detail_url(draft))

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "draft"
    assert body["current_version"] is None
    assert body["versions"] == []
    assert body["working_copy"]["title"] == "Naloxone on the night bus"
    assert body["working_copy"]["body_html"].startswith("<h3>Plan</h3>")
    assert body["warnings"] == []
    assert body["actions"] == {
        "edit": True,
        "submit": True,
        "cosign": False,
        "withdraw": True,
        "decline_cosign": False,
        "ask_cosigners": True,
    }
    assert ids(client_for(cast.olu).get(LIST, {"search": "night bus"})) == [draft.pk]


def test_a_cosigner_sees_the_draft_and_its_working_copy_read_only_without_warnings(
    cast: Cast, draft: Proposal
) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)

    response = client_for(cast.marcus).get(detail_url(draft))

    assert response.status_code == 200
    body = response.json()
    assert body["working_copy"]["title"] == "Naloxone on the night bus"
    assert body["warnings"] is None
    assert body["actions"]["edit"] is False
    assert ids(client_for(cast.marcus).get(LIST)) == [draft.pk]


def test_a_submitted_proposal_shows_its_current_version_to_everyone(
    cast: Cast, draft: Proposal
) -> None:
    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    body = client_for(None).get(detail_url(draft)).json()

    current = body["current_version"]
    assert current["number"] == 1
    assert current["content_hash"] == version.content_hash
    assert current["title"] == "Naloxone on the night bus"
    assert current["spectrum_tags"] == ["safer_use", "health"]
    assert current["cost"] == "12500.00"
    assert current["review_date"] == "2027-06-30"
    assert current["body_html"].startswith("<h3>Plan</h3>")
    assert body["organisation"] == {"slug": "harbour-outreach", "name": cast.organisation.name}
    assert body["first_submitted_at"] is not None
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["versions"][0]["url"].endswith(f"{detail_url(draft)}versions/1/")
    assert [step["status"] for step in body["steps"]][:3] == ["done", "current", "upcoming"]
    assert body["working_copy"] is None
    assert body["warnings"] is None
    assert body["html_url"] == f"http://testserver/spaces/city/proposals/{draft.pk}/"


def test_the_public_never_reads_a_revision_in_progress(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    revise(cast, draft, title="Naloxone and fentanyl test strips")
    public = client_for(cast.dee)

    body = public.get(detail_url(draft)).json()
    listed = public.get(LIST).json()["results"]

    assert body["current_version"]["title"] == "Naloxone on the night bus"
    assert body["working_copy"] is None
    assert listed[0]["title"] == "Naloxone on the night bus"
    assert ids(public.get(LIST, {"search": "fentanyl"})) == []
    assert b"fentanyl" not in public.get(detail_url(draft)).content
    # The authors do see what they are revising.
    author = client_for(cast.olu).get(detail_url(draft)).json()
    assert author["working_copy"]["title"] == "Naloxone and fentanyl test strips"


def test_body_html_is_sanitised(cast: Cast, draft: Proposal) -> None:
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        body="<script>alert(1)</script> [x](javascript:alert(1)) **bold**",
    )
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    html = client_for(None).get(detail_url(draft)).json()["current_version"]["body_html"]

    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html


def test_authors_get_language_warnings_over_the_working_copy(cast: Cast, draft: Proposal) -> None:
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        summary="Kits for every addict in the centre.",
        wellbeing_outcomes=[{"outcome": "Fewer junkie deaths", "measure": "Coroner figures"}],
    )

    warnings = client_for(cast.olu).get(detail_url(draft)).json()["warnings"]

    found = {(w["field"], w["phrase"]) for w in warnings}
    assert found == {("summary", "addict"), ("wellbeing_outcomes.0.outcome", "junkie")}
    summary = next(w for w in warnings if w["field"] == "summary")
    assert "Kits for every addict in the centre."[summary["start"] : summary["end"]] == "addict"
    assert summary["suggestion"].startswith("person who uses drugs")


def test_a_personal_token_reads_its_own_draft(cast: Cast, draft: Proposal) -> None:
    response = client_for(cast.olu, token=True).get(detail_url(draft))
    assert response.status_code == 200


def test_an_unknown_space_or_proposal_is_404(cast: Cast, draft: Proposal) -> None:
    client = client_for(cast.olu)
    assert client.get("/api/v1/spaces/nowhere/proposals/").status_code == 404
    assert client.get(f"/api/v1/spaces/nowhere/proposals/{draft.pk}/").status_code == 404
    assert client.get(f"{LIST}{draft.pk + 1000}/").status_code == 404


# --- Filters ------------------------------------------------------------------------------------


def test_the_list_filters_by_state_tag_organisation_and_search(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    other = submitted(cast)
    Proposal.objects.filter(pk=other.pk).update(state=Proposal.State.REVISION)
    client = client_for(None)

    assert ids(client.get(LIST, {"state": "advisory_review"})) == [draft.pk]
    assert ids(client.get(LIST, {"state": "revision"})) == [other.pk]
    assert set(ids(client.get(LIST, {"tag": "health"}))) == {draft.pk, other.pk}
    assert ids(client.get(LIST, {"tag": "housing"})) == []
    assert ids(client.get(LIST, {"organisation": "northside-housing"})) == [other.pk]
    assert ids(client.get(LIST, {"search": "station"})) == [other.pk]
    assert set(ids(client.get(LIST, {"state": "", "tag": ""}))) == {draft.pk, other.pk}


@pytest.mark.parametrize(
    ("param", "value", "choice"),
    [("state", "approved", "advisory_review"), ("tag", "abstinence", "abstinence_support")],
)
def test_an_unknown_state_or_tag_is_refused_with_the_choices(
    cast: Cast, param: str, value: str, choice: str
) -> None:
    response = client_for(None).get(LIST, {param: value})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    fields = error["fields"]
    assert isinstance(fields, dict)
    assert value in fields[param][0]
    assert choice in fields[param][0]


def test_a_search_with_a_nul_character_is_refused_not_a_server_error(cast: Cast) -> None:
    response = client_for(None).get(LIST, {"search": "a\x00b"})
    assert response.status_code == 400


def test_the_list_is_paginated_like_the_other_lists(cast: Cast) -> None:
    for number in range(3):
        submitted(cast, title=f"Proposal {number}")

    body = client_for(None).get(LIST, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None
    # Newest first submission first.
    assert [item["title"] for item in body["results"]] == ["Proposal 2", "Proposal 1"]


# --- An organisation's proposals ----------------------------------------------------------------


ORGANISATION = "/api/v1/organisations/harbour-outreach/proposals/"


@pytest.mark.parametrize("who", ["anonymous", "dee", "ngozi", "marcus"])
def test_an_organisations_drafts_are_absent_from_its_endpoint_for_outsiders(
    cast: Cast, draft: Proposal, who: str
) -> None:
    assert ids(client_for(person(cast, who)).get(ORGANISATION)) == []


def test_an_organisations_editors_see_its_drafts_and_everyone_its_submissions(
    cast: Cast, draft: Proposal
) -> None:
    assert ids(client_for(cast.olu).get(ORGANISATION)) == [draft.pk]
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    assert ids(client_for(None).get(ORGANISATION)) == [draft.pk]
    item = client_for(None).get(ORGANISATION).json()["results"][0]
    assert item["space"] == "city"
    assert item["url"].endswith(detail_url(draft))


def test_a_pending_organisations_proposals_are_404_for_outsiders(cast: Cast) -> None:
    url = "/api/v1/organisations/pending-collective/proposals/"
    assert client_for(None).get(url).status_code == 404
    assert client_for(cast.pat).get(url).status_code == 200


# --- Privacy ------------------------------------------------------------------------------------


def test_no_response_carries_an_e_mail_address(cast: Cast, draft: Proposal) -> None:
    services.proposal_cosign(actor=actor(cast.marcus), proposal=draft)
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    client = client_for(cast.olu)

    responses = [
        client.get(LIST),
        client.get(detail_url(draft)),
        client.get(f"{detail_url(draft)}versions/"),
        client.get(f"{detail_url(draft)}versions/1/"),
        client.get(f"{detail_url(draft)}diff/?from=1&to=1"),
        client.get(ORGANISATION),
    ]

    for response in responses:
        assert response.status_code == 200
        assert b"@example.org" not in response.content
    cosigners = responses[1].json()["cosigners"]
    assert [row["public_name"] for row in cosigners] == [cast.marcus.public_name]
    assert set(cosigners[0]) == {"public_name", "joined_at"}


# --- Query counts -------------------------------------------------------------------------------


def _queries(client: APIClient, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_lists_query_count_does_not_grow_with_the_number_of_proposals(cast: Cast) -> None:
    """The space, the count, one page of proposals with their space, organisation, draft
    and current version joined (and the session's queries for a signed-in caller)."""
    client = client_for(cast.dee)
    submitted(cast, title="One")
    one = _queries(client, LIST)
    one_organisation = _queries(client, "/api/v1/organisations/northside-housing/proposals/")
    for number in range(4):
        submitted(cast, title=f"More {number}")

    assert _queries(client, LIST) == one
    assert _queries(client, "/api/v1/organisations/northside-housing/proposals/") == (
        one_organisation
    )
