"""The Atom feed of a space's proposals is public: submitted proposals only, each as its
current version; a draft never appears, not even for its author signed in."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.http import HttpResponse, HttpResponseBase
from django.test import Client

from proposals import feeds, services
from proposals.models import Proposal
from tests.accounts.support import sign_in
from tests.proposals.conftest import COMPLETE, Cast, actor

FEED = "/spaces/city/proposals/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response: HttpResponseBase) -> list[ET.Element]:
    assert isinstance(response, HttpResponse)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    return root.findall(f"{ATOM}entry")


def titles(response: HttpResponseBase) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in entries(response)]


def submitted(cast: Cast, title: str) -> Proposal:
    proposal = services.proposal_create_draft(
        actor=actor(cast.ngozi), space=cast.space, organisation=cast.other_organisation, title=title
    )
    services.proposal_update_draft(actor=actor(cast.ngozi), proposal=proposal, **COMPLETE)
    services.proposal_submit(actor=actor(cast.ngozi), proposal=proposal)
    return proposal


def test_a_draft_never_appears_in_the_feed_even_for_its_author(cast: Cast, draft: Proposal) -> None:
    author = sign_in(Client(), cast.olu)

    for client in (Client(), author):
        response = client.get(FEED)
        assert titles(response) == []
        assert b"night bus" not in response.content


def test_a_submitted_proposal_appears_with_its_summary_link_and_dates(
    cast: Cast, draft: Proposal
) -> None:
    version = services.proposal_submit(actor=actor(cast.olu), proposal=draft)

    [entry] = entries(Client().get(FEED))

    assert entry.findtext(f"{ATOM}title") == "Naloxone on the night bus"
    assert entry.findtext(f"{ATOM}summary") == COMPLETE["summary"]
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"http://testserver/spaces/city/proposals/{draft.pk}/"
    updated = entry.findtext(f"{ATOM}updated") or ""
    assert updated.startswith(version.submitted_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == cast.organisation.name
    categories = {c.get("term") for c in entry.findall(f"{ATOM}category") if not c.get("scheme")}
    assert categories == {"safer use", "health"}
    [state] = [c for c in entry.findall(f"{ATOM}category") if c.get("scheme")]
    assert state.get("term") == "advisory_review"
    assert state.get("label") == "in advisory review"
    assert state.get("scheme") == "http://testserver/spaces/city/proposals/?state="


def test_an_unsubmitted_revision_stays_out_of_the_feed(cast: Cast, draft: Proposal) -> None:
    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    Proposal.objects.filter(pk=draft.pk).update(state=Proposal.State.REVISION)
    services.proposal_update_draft(
        actor=actor(cast.olu),
        proposal=draft,
        title="Fentanyl test strips instead",
        summary="A revised summary still being written.",
    )

    response = sign_in(Client(), cast.olu).get(FEED)

    assert titles(response) == ["Naloxone on the night bus"]
    assert b"Fentanyl" not in response.content
    assert b"still being written" not in response.content


def test_the_feed_lists_the_newest_first_submissions_first_up_to_its_size(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    for title in ("First", "Second", "Third"):
        submitted(cast, title)
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)

    assert titles(Client().get(FEED)) == ["Third", "Second"]


def test_the_feed_of_an_unknown_space_is_404(db: None) -> None:
    assert Client().get("/spaces/nowhere/proposals/feed/").status_code == 404


def test_the_feed_of_another_space_leaves_this_spaces_proposals_out(
    cast: Cast, draft: Proposal
) -> None:
    from tests.factories import DecisionSpaceFactory

    services.proposal_submit(actor=actor(cast.olu), proposal=draft)
    DecisionSpaceFactory(slug="elsewhere")

    assert titles(Client().get("/spaces/elsewhere/proposals/feed/")) == []


def test_the_feed_publishes_the_head_of_the_decision_history(cast: Cast) -> None:
    from history.selectors import chain_head

    submitted(cast, "Naloxone on the night bus")
    head = chain_head()
    assert head is not None

    body = Client().get(FEED).content.decode()

    assert str(head) in body
