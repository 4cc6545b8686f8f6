"""The rulebook: the documented defaults, floors the database itself enforces, versions
that never change, and per-field refusals in the service and the API."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.authority import Actor
from core.errors import NotPermitted
from history.models import Event
from spaces import rulebook as rb
from spaces import services
from spaces.models import Rulebook
from tests.history.events import event_data
from tests.spaces.conftest import Cast, actor_for, api_client_for

pytestmark = pytest.mark.django_db


def test_a_new_space_starts_with_the_documented_defaults(cast: Cast) -> None:
    space = services.space_create(
        actor=actor_for(cast, "staff_mfa"), name="Eastside", facilitators=[cast.rosa]
    )
    rulebook = services.rulebook_current(space=space)

    assert rulebook.version == 1
    assert rulebook.advisory_quorum == rb.Fraction(1, 2)
    assert rulebook.minimum_reviews == 3
    assert rulebook.consent_threshold == rb.Fraction(2, 3, strict=False)
    assert (rulebook.review_window_days, rulebook.vote_delay_days) == (14, 7)
    assert rulebook.voting_window_days == 14
    assert rulebook.turnout_quorum == rb.Fraction(1, 4)
    assert rulebook.approval_threshold == rb.Fraction(1, 2, strict=True)
    assert rulebook.dual_majority is True
    assert rulebook.min_group_size == 5
    assert rulebook.publish_receipt_choices is True


# Each: a change that goes below a floor, straight in the database.
BELOW_FLOORS = [
    pytest.param({"advisory_quorum_num": 1, "advisory_quorum_den": 4}, id="advisory-quorum-1/4"),
    pytest.param(
        {"consent_num": 1, "consent_den": 2, "consent_strict": False}, id="consent-1/2-at-least"
    ),
    pytest.param({"consent_num": 2, "consent_den": 5}, id="consent-2/5"),
    pytest.param({"review_window_days": 6}, id="review-window-6-days"),
    pytest.param({"vote_delay_days": 1}, id="vote-delay-1-day"),
    pytest.param({"voting_window_days": 2}, id="voting-window-2-days"),
    pytest.param({"turnout_quorum_num": 1, "turnout_quorum_den": 11}, id="turnout-1/11"),
    pytest.param(
        {"approval_num": 1, "approval_den": 2, "approval_strict": False}, id="approval-1/2-at-least"
    ),
    pytest.param({"approval_num": 49, "approval_den": 100}, id="approval-49/100"),
    pytest.param({"min_group_size": 4}, id="group-size-4"),
    pytest.param({"minimum_reviews": 1}, id="minimum-reviews-1"),
    pytest.param({"minimum_reviews": 0}, id="minimum-reviews-0"),
    pytest.param({"advisory_quorum_num": 0}, id="advisory-quorum-zero"),
    pytest.param({"turnout_quorum_num": 5, "turnout_quorum_den": 4}, id="turnout-above-one"),
]


@pytest.mark.parametrize("values", BELOW_FLOORS)
def test_a_raw_update_below_a_floor_is_refused_by_the_database(cast: Cast, values: dict) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Rulebook.objects.filter(space=cast.space).update(**values)


@pytest.mark.parametrize("values", BELOW_FLOORS)
def test_a_new_version_below_a_floor_is_refused_by_the_check_constraints(
    cast: Cast, values: dict
) -> None:
    """Inserted, not updated: the floors are CHECK constraints of their own, not only the
    trigger that keeps versions unchanged."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Rulebook.objects.create(space=cast.space, version=2, **values)


@pytest.mark.parametrize("values", BELOW_FLOORS)
def test_raw_sql_below_a_floor_is_refused_too(cast: Cast, values: dict) -> None:
    current = Rulebook.objects.get(space=cast.space).values()
    row = {**current, **values, "space_id": cast.space.pk, "version": 2}
    columns = ", ".join(row)
    placeholders = ", ".join(["%s"] * len(row))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO spaces_rulebook ({columns}, created_at) VALUES ({placeholders}, %s)",
            [*row.values(), cast.space.created_at],
        )


@pytest.mark.parametrize(
    "values",
    [
        {"advisory_quorum_num": 1, "advisory_quorum_den": 3},
        {"consent_num": 1, "consent_den": 2, "consent_strict": True},
        {"consent_num": 51, "consent_den": 100, "consent_strict": False},
        {"turnout_quorum_num": 1, "turnout_quorum_den": 10},
        {"review_window_days": 7, "vote_delay_days": 2, "voting_window_days": 3},
        {"min_group_size": 5},
        {"minimum_reviews": 2},
    ],
)
def test_values_exactly_at_a_floor_are_accepted_by_the_database(cast: Cast, values: dict) -> None:
    Rulebook.objects.create(space=cast.space, version=2, **values)


def test_a_rulebook_version_never_changes_even_within_the_floors(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Rulebook.objects.filter(space=cast.space).update(voting_window_days=20)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE spaces_rulebook SET dual_majority = %s", [False])

    assert Rulebook.objects.get(space=cast.space).voting_window_days == 14


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"advisory_quorum_num": 1, "advisory_quorum_den": 4}, "advisory_quorum_num", "1/3"),
        ({"consent_num": 1, "consent_den": 2}, "consent_num", "more than half"),
        ({"review_window_days": 3}, "review_window_days", "7 days"),
        ({"vote_delay_days": 1}, "vote_delay_days", "2 days"),
        ({"voting_window_days": 1}, "voting_window_days", "3 days"),
        ({"turnout_quorum_num": 1, "turnout_quorum_den": 20}, "turnout_quorum_num", "1/10"),
        ({"approval_strict": False}, "approval_num", "more than half"),
        ({"min_group_size": 2}, "min_group_size", "at least 5"),
        ({"minimum_reviews": 1}, "minimum_reviews", "at least 2"),
    ],
)
def test_the_service_and_the_api_refuse_a_floor_with_a_message_for_that_field(
    cast: Cast, values: dict, field: str, words: str
) -> None:
    before = list(Rulebook.objects.values_list())
    events = Event.objects.count()

    with pytest.raises(services.RulebookInvalid) as refused:
        services.rulebook_change(
            actor=actor_for(cast, "facilitator_mfa"), space=cast.space, **values
        )
    response = api_client_for(cast, "facilitator_mfa").post(
        "/api/v1/spaces/northside/rulebook/", values, format="json"
    )

    assert words in refused.value.fields[field][0]
    assert response.status_code == 400
    assert words in response.json()["error"]["fields"][field][0]
    assert list(Rulebook.objects.values_list()) == before
    assert Event.objects.count() == events


def test_a_change_is_a_new_version_and_the_old_one_stays_as_it_was(cast: Cast) -> None:
    first = services.rulebook_current(space=cast.space)

    second = services.rulebook_change(
        actor=actor_for(cast, "facilitator_mfa"), space=cast.space, voting_window_days=21
    )

    first.refresh_from_db()
    assert (first.version, first.voting_window_days) == (1, 14)
    assert (second.version, second.voting_window_days) == (2, 21)
    assert services.rulebook_current(space=cast.space) == second


def test_the_history_event_records_the_old_and_new_values(cast: Cast) -> None:

    services.rulebook_change(
        actor=actor_for(cast, "facilitator_mfa"),
        space=cast.space,
        consent_num=3,
        consent_den=4,
        minimum_reviews=4,
    )

    event = Event.objects.get(kind="rulebook.changed")
    data = event_data(event)
    assert data["version"] == 2
    assert data["changed"] == {
        "minimum_reviews": {"old": 2, "new": 4},
        "consent_num": {"old": 2, "new": 3},
        "consent_den": {"old": 3, "new": 4},
    }
    assert event.actor_role == "facilitator"


def test_changing_the_rulebook_needs_a_recent_sign_in(cast: Cast) -> None:
    stale = Actor(user=cast.rosa, mfa=True, recently_authenticated=False)

    with pytest.raises(
        NotPermitted, match=r"Confirm it is you again \(sign in again\) and try once more"
    ):
        services.rulebook_change(actor=stale, space=cast.space, voting_window_days=21)

    assert Rulebook.objects.filter(space=cast.space).count() == 1


@pytest.mark.parametrize(
    ("share", "count", "total", "passes"),
    [
        (rb.Fraction(2, 3), 2, 3, True),
        (rb.Fraction(2, 3), 3, 5, False),
        (rb.Fraction(1, 2, strict=True), 1, 2, False),
        (rb.Fraction(1, 2, strict=True), 51, 100, True),
        (rb.Fraction(1, 2), 1, 2, True),
        (rb.Fraction(1, 3), 0, 0, False),
        (rb.Fraction(1, 10), 100, 1000, True),
    ],
)
def test_a_fraction_passes_in_integer_arithmetic(
    share: rb.Fraction, count: int, total: int, passes: bool
) -> None:
    assert share.passes(count, total) is passes
