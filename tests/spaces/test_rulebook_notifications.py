"""A rulebook change tells the space's board and facilitators, in plain words and with a
link to the space, through the outbox in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from notifications.models import Notification
from notifications.services import NEUTRAL_SUBJECT
from spaces import services
from spaces.models import Rulebook
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.support import recipient_name
from tests.spaces.conftest import Cast, actor_for

pytestmark = pytest.mark.django_db


def test_the_board_and_the_facilitators_are_told_once_the_change_commits(
    cast: Cast, django_capture_on_commit_callbacks: Callable
) -> None:
    second = UserFactory(username="ana", public_name="Ana")
    MembershipFactory(space=cast.space, user=second, role="facilitator")
    MembershipFactory(space=cast.space, user=second, role="board")  # told once, not twice
    MembershipFactory(space=cast.other_space, role="board")  # another space: not told

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.rulebook_change(
            actor=actor_for(cast, "facilitator_mfa"), space=cast.space, voting_window_days=21
        )

    rows = Notification.objects.filter(kind="space.rulebook_changed")
    assert sorted(recipient_name(row) for row in rows) == ["ana", "marcus", "rosa"]
    for row in rows:
        assert row.subject == str(NEUTRAL_SUBJECT)
        assert "The rules of the decision space Northside have changed" in row.body
        assert "/spaces/northside/" in row.body
        assert row.sent_at is None
    assert len(callbacks) >= 1  # delivery is queued only after the commit


def test_voters_editors_and_people_who_left_are_not_told(cast: Cast) -> None:
    services.membership_end(
        actor=actor_for(cast, "facilitator_mfa"), membership=cast.marcus_board, reason="Moved away."
    )

    services.rulebook_change(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, review_window_days=10
    )

    recipients = Notification.objects.filter(kind="space.rulebook_changed").values_list(
        "recipient__username", flat=True
    )
    assert list(recipients) == ["rosa"]


def test_a_change_that_rolls_back_tells_no_one(cast: Cast) -> None:
    class Undo(Exception):
        pass

    def change_then_undo() -> None:
        with transaction.atomic():
            services.rulebook_change(
                actor=actor_for(cast, "facilitator_mfa"), space=cast.space, voting_window_days=21
            )
            raise Undo

    with pytest.raises(Undo):
        change_then_undo()

    assert not Notification.objects.filter(kind="space.rulebook_changed").exists()
    assert Rulebook.objects.filter(space=cast.space).count() == 1
