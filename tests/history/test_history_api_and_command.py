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


def test_the_public_event_list_carries_what_a_verifier_needs() -> None:
    person = UserFactory(email="hidden@example.org")
    append(kind="space.created", actor=person, actor_role="staff", data={"name": "North"})

    response = APIClient().get("/api/v1/history/")

    assert response.status_code == 200
    [event] = response.json()["results"]
    salt = bytes.fromhex(event["salt"])
    data = chain.encode_data(event["data"])
    assert chain.content_hash(salt, data) == event["content_hash"]
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
