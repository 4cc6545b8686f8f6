"""append() writes one linked, hashed event in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import IntegrityError, transaction

from history import chain
from history.models import GENESIS_HASH, Event
from history.selectors import ChainHead, chain_head
from history.services import append, redact
from history.verification import verify
from tests.factories import UserFactory
from tests.history.events import event_data

pytestmark = pytest.mark.django_db


def test_the_first_event_links_to_the_genesis_hash_and_each_next_to_the_one_before() -> None:
    first = append(kind="space.created", actor=None, actor_role="system", data={"a": 1})
    second = append(kind="space.created", actor=None, actor_role="system", data={"a": 2})
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.event_hash)


def test_content_is_stored_salted_and_hashed() -> None:
    event = append(kind="space.created", actor=None, actor_role="system", data={"name": "Río"})
    content = Event.objects.select_related("content").get(seq=event.seq).content
    assert chain.decode_data(content.data) == {"name": "Río"}
    assert content.salt is not None
    assert content.data is not None
    assert len(bytes(content.salt)) == 16
    assert event.content_hash == chain.content_hash(bytes(content.salt), bytes(content.data))


def test_the_same_data_twice_gets_different_content_hashes() -> None:
    """The salt keeps a redacted event's hash from being guessed by trying likely contents."""
    one = append(kind="review.published", actor=None, actor_role="system", data={"v": "oppose"})
    two = append(kind="review.published", actor=None, actor_role="system", data={"v": "oppose"})
    assert one.content_hash != two.content_hash


def test_people_are_recorded_by_their_opaque_public_id() -> None:
    person = UserFactory()
    event = append(kind="space.joined", actor=person, actor_role="member", data={}, subject=person)
    assert event.actor_id == str(person.public_id)
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(person.public_id))


def test_an_act_shown_without_its_actor_keeps_the_role_and_names_no_one() -> None:
    """A review shown as from "an advisory member" must not carry the member's id."""
    person = UserFactory()
    event = append(
        kind="review.published", actor=person, actor_role="board_member", data={},
        actor_shown=False,
    )  # fmt: skip
    assert event.actor_id == ""
    assert event.actor_role == "board_member"
    assert verify().ok


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actor_role": "chairperson"}, "chairperson"),
        ({"kind": "Proposal Submitted"}, "proposal.submitted"),
        ({"kind": "submitted"}, "proposal.submitted"),
        ({"occurred_at": datetime(2026, 1, 1)}, "timezone-aware"),  # noqa: DTZ001
    ],
)
def test_append_refuses_what_could_never_be_corrected(changes: dict, message: str) -> None:
    arguments = {"kind": "space.created", "actor": UserFactory(), "actor_role": "staff"}
    with pytest.raises(ValueError, match=message):
        append(**{**arguments, **changes}, data={})
    assert not Event.objects.exists()


def test_the_database_refuses_an_unknown_actor_role() -> None:
    event = append(kind="space.created", actor=None, actor_role="system", data={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            seq=2, occurred_at=event.occurred_at, kind="space.created", actor_role="chairperson",
            content_hash="a" * 64, prev_hash=event.event_hash, event_hash="b" * 64,
        )  # fmt: skip


def test_only_the_system_may_act_without_an_actor() -> None:
    with pytest.raises(ValueError, match="system"):
        append(kind="space.created", actor=None, actor_role="facilitator", data={})


def test_a_rolled_back_transaction_leaves_no_event() -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            append(kind="space.created", actor=None, actor_role="system", data={})
            raise RuntimeError("the change that caused the event failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Event.objects.exists()
    assert append(kind="space.created", actor=None, actor_role="system", data={}).seq == 1


def test_a_second_successor_of_one_event_is_refused_by_the_database() -> None:
    first = append(kind="space.created", actor=None, actor_role="system", data={})
    second = append(kind="space.created", actor=None, actor_role="system", data={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            seq=3,
            occurred_at=second.occurred_at,
            kind="space.created",
            actor_role="system",
            content_hash="a" * 64,
            prev_hash=first.event_hash,  # already taken by event 2
            event_hash="b" * 64,
        )


def test_redaction_erases_the_content_keeps_the_envelope_and_the_chain_verifies() -> None:
    person = UserFactory()
    review = append(
        kind="review.published", actor=person, actor_role="board_member",
        data={"verdict": "oppose", "rationale": "names a person"},
    )  # fmt: skip
    redaction = redact(
        event=review, actor=person, actor_role="facilitator",
        reason="It named a person.", kept={"verdict": "oppose"},
    )  # fmt: skip
    review.refresh_from_db()
    assert review.content.data is None
    assert review.content.salt is None
    assert event_data(redaction)["kept"] == {"verdict": "oppose"}
    assert verify().ok
    head = chain_head()
    assert head == ChainHead(seq=2, event_hash=redaction.event_hash)


def test_chain_head_parses_its_published_form() -> None:
    event = append(kind="space.created", actor=None, actor_role="system", data={})
    head = chain_head()
    assert head is not None
    assert ChainHead.parse(str(head)) == ChainHead(seq=1, event_hash=event.event_hash)
    with pytest.raises(ValueError, match="123:"):
        ChainHead.parse("1:nothex")
