"""Anyone can read the chain and its head, and check it from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from history import chain
from history.models import EventContent
from history.selectors import chain_head
from history.services import append, redact
from tests.factories import UserFactory
from tests.history import tampering

pytestmark = pytest.mark.django_db

HASHED_FIELDS = [
    "seq", "occurred_at", "kind", "subject_type", "subject_id",
    "actor_id", "actor_role", "content_hash", "prev_hash",
]  # fmt: skip


def test_the_public_event_list_carries_what_a_verifier_needs() -> None:
    person = UserFactory(email="hidden@example.org")
    append(kind="space.created", actor=person, actor_role="staff", data={"name": "North"})

    response = APIClient().get("/api/v1/history/")

    assert response.status_code == 200
    [event] = response.json()["results"]
    assert event["data"] == {"name": "North"}
    assert event["redacted"] is False
    assert event["actor_id"] == str(person.public_id)
    assert "hidden@example.org" not in response.content.decode()


def test_a_redacted_event_is_listed_without_its_data_or_salt() -> None:
    person = UserFactory()
    event = append(kind="thread.posted", actor=person, actor_role="member", data={"t": "x"})
    redact(event=event, actor=person, actor_role="facilitator", reason="Private detail.", kept={})

    first = APIClient().get("/api/v1/history/").json()["results"][0]

    assert first["redacted"] is True
    assert first["data"] is None
    assert first["salt"] is None
    assert first["kind"] == "thread.posted"


def test_the_head_endpoint_gives_the_newest_event() -> None:
    tampering.build_chain(3)
    head = chain_head()
    assert head is not None
    body = APIClient().get("/api/v1/history/head/").json()
    assert body == {"seq": 3, "event_hash": head.event_hash, "head": str(head)}


def test_the_head_of_an_empty_history_is_a_clear_404() -> None:
    response = APIClient().get("/api/v1/history/head/")
    assert response.status_code == 404
    assert "empty" in response.json()["error"]["message"]


def test_verify_history_command_reports_the_first_bad_event(capsys) -> None:
    tampering.build_chain(4)
    head = str(chain_head())
    call_command("verify_history", "--expected-head", head)
    assert "verifies: 4 events" in capsys.readouterr().out

    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=3).update(data=b"{}")
    with pytest.raises(CommandError, match="breaks at event 3"):
        call_command("verify_history", "--expected-head", head)


def test_verify_history_command_refuses_a_malformed_head() -> None:
    with pytest.raises(CommandError, match="looks like"):
        call_command("verify_history", "--expected-head", "yesterday")


def test_a_verifier_can_recompute_every_hash_from_the_published_list(settings) -> None:
    """Whatever the site's time zone, the published fields are exactly what was hashed."""
    settings.TIME_ZONE = "America/Mexico_City"
    person = UserFactory()
    append(kind="space.created", actor=person, actor_role="staff", data={"name": "Río", "n": 1.5})
    append(kind="space.joined", actor=person, actor_role="member", data={}, subject=person)

    events = APIClient().get("/api/v1/history/").json()["results"]

    prev = "0" * 64
    for event in events:
        stored = bytes.fromhex(event["stored_data"])
        assert chain.decode_data(stored) == event["data"]
        assert chain.content_hash(bytes.fromhex(event["salt"]), stored) == event["content_hash"]
        assert event["prev_hash"] == prev
        assert chain.event_hash([event[key] for key in HASHED_FIELDS]) == event["event_hash"]
        prev = event["event_hash"]


def test_the_public_list_pages_by_position_in_the_chain() -> None:
    tampering.build_chain(5)
    client = APIClient()

    first = client.get("/api/v1/history/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [event["seq"] for event in first["results"]] == [1, 2]
    assert [event["seq"] for event in second["results"]] == [3, 4]
    assert "count" not in first  # no COUNT over the whole chain


def test_no_e_mail_appears_in_the_published_history() -> None:
    person = UserFactory(public_name="Sam", email="sam@example.org")
    append(kind="space.joined", actor=person, actor_role="member", data={}, subject=person)

    body = APIClient().get("/api/v1/history/").content.decode()

    assert str(person.public_id) in body
    assert "sam@example.org" not in body


def test_a_tampered_event_without_content_is_still_listed() -> None:
    tampering.build_chain(2)
    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=2).delete()

    response = APIClient().get("/api/v1/history/")

    assert response.status_code == 200
    assert response.json()["results"][1]["data"] is None
