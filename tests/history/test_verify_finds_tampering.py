"""verify() names the first event that does not hold, for each kind of tampering.

These run on whichever database the suite is pointed at: SQLite in the embedded pass,
PostgreSQL in the integration pass (where the triggers are switched off to tamper, as a
database superuser could).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from history.models import Event, EventContent
from history.selectors import ChainHead, chain_head
from history.services import append
from history.verification import verify
from tests.history import tampering

pytestmark = pytest.mark.django_db

LENGTH = 12


@pytest.fixture
def head() -> ChainHead:
    tampering.build_chain(LENGTH)
    current = chain_head()
    assert current is not None
    return current


def test_an_untouched_chain_verifies_up_to_its_head(head: ChainHead) -> None:
    result = verify(expected_head=head)
    assert result.ok, result
    assert result.checked == LENGTH
    assert result.head == head


def test_an_empty_chain_verifies() -> None:
    result = verify()
    assert result.ok
    assert result.checked == 0
    assert result.head is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "proposal.adopted"),
        ("subject_id", "999"),
        ("actor_id", "someone-else"),
        ("actor_role", "staff"),
    ],
)
def test_one_changed_envelope_field_is_caught_at_that_event(
    head: ChainHead, field: str, value: str
) -> None:
    with tampering.bypassing_triggers():
        Event.objects.filter(seq=5).update(**{field: value})
    result = verify()
    assert not result.ok
    assert result.failed_at == 5
    assert "envelope" in result.reason


def test_a_changed_time_is_caught_at_that_event(head: ChainHead) -> None:
    event = Event.objects.get(seq=7)
    with tampering.bypassing_triggers():
        Event.objects.filter(seq=7).update(occurred_at=event.occurred_at - timedelta(seconds=1))
    assert verify().failed_at == 7


def test_changed_content_bytes_are_caught_at_that_event(head: ChainHead) -> None:
    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=4).update(data=b'{"n":4,"note":"changed"}')
    result = verify()
    assert result.failed_at == 4
    assert "content" in result.reason


def test_a_deleted_event_is_caught_at_its_number(head: ChainHead) -> None:
    tampering.delete_event(6)
    result = verify()
    assert result.failed_at == 6
    assert "missing" in result.reason


def test_an_inserted_event_is_caught_where_the_old_chain_no_longer_fits(
    head: ChainHead,
) -> None:
    """The forged event itself is well-formed; the event it displaced cannot be."""
    tampering.insert_forged_event(at=5)
    result = verify()
    assert result.failed_at == 6
    assert verify(expected_head=head).failed_at == 6


def test_two_reordered_events_are_caught_at_the_first(head: ChainHead) -> None:
    tampering.swap_events(8)
    assert verify().failed_at == 8


def test_a_cut_tail_is_caught_only_with_the_expected_head(head: ChainHead) -> None:
    tampering.delete_event(LENGTH)
    tampering.delete_event(LENGTH - 1)
    assert verify().ok  # what remains is consistent …
    result = verify(expected_head=head)  # … but shorter than what was published
    assert not result.ok
    assert result.failed_at == LENGTH - 1
    assert "ends at event" in result.reason


def test_a_chain_rebuilt_from_one_event_on_is_caught_at_the_expected_head(
    head: ChainHead,
) -> None:
    tampering.rebuild_from(3)
    assert verify().ok  # every hash was recomputed …
    result = verify(expected_head=head)  # … so only the published head shows it
    assert not result.ok
    assert result.failed_at == LENGTH
    assert "expected head" in result.reason


def test_a_head_published_earlier_still_matches_after_more_events(head: ChainHead) -> None:
    append(kind="space.created", actor=None, actor_role="system", data={})
    assert verify(expected_head=head).ok


def test_content_erased_without_a_redaction_event_is_caught(head: ChainHead) -> None:
    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=9).update(data=None, salt=None)
    result = verify()
    assert result.failed_at == 9
    assert "redaction" in result.reason


def test_erased_content_before_a_break_is_the_first_bad_event(head: ChainHead) -> None:
    """A redaction event after the break could not be trusted to vouch for it."""
    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=3).update(data=None, salt=None)
        Event.objects.filter(seq=9).update(kind="proposal.adopted")
    result = verify()
    assert result.failed_at == 3
    assert "breaks at event 9" in result.reason


def test_a_missing_content_row_is_caught(head: ChainHead) -> None:
    with tampering.bypassing_triggers():
        EventContent.objects.filter(event_id=2).delete()
    assert verify().failed_at == 2
