"""``manage.py staff`` is the one way to give or take site staff rights: ``add`` makes an
existing account site staff in the "Site staff" group (never superuser), ``remove`` takes
every admin right away, each with its history event; a refusal says why and writes
nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.authority import Actor
from accounts.models import User
from accounts.services import STAFF_GROUP, STAFF_VIEW_PERMISSIONS, account_delete
from history.models import Event
from history.verification import verify
from tests.accounts.support import sign_in
from tests.factories import UserFactory
from tests.history.events import event_data, event_text

pytestmark = pytest.mark.django_db


def staff(*args: str) -> str:
    out = StringIO()
    call_command("staff", *args, stdout=out)
    return out.getvalue()


def group_permissions() -> set[str]:
    group = Group.objects.get(name=STAFF_GROUP)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_staff_add_makes_the_person_site_staff_in_the_group_and_logs_it(alice: User) -> None:
    output = staff("add", "alice")

    assert "alice is site staff now" in output
    alice.refresh_from_db()
    assert alice.is_staff
    assert not alice.is_superuser
    assert list(alice.groups.values_list("name", flat=True)) == [STAFF_GROUP]
    assert group_permissions() == set(STAFF_VIEW_PERMISSIONS)
    assert alice.get_all_permissions() == set(STAFF_VIEW_PERMISSIONS)
    event = Event.objects.get()
    assert event.kind == "account.staff_granted"
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(alice.public_id))
    assert (event.actor_id, event.actor_role) == ("", "system")
    assert event_data(event) == {
        "group": STAFF_GROUP,
        "permissions": sorted(STAFF_VIEW_PERMISSIONS),
    }
    for private in ("alice@example.org", "alice", "Alice"):
        assert private not in event_text(event).replace(STAFF_GROUP, "")
    assert verify().ok


def test_new_staff_open_the_admins_read_only_screens_with_their_second_factor(
    alice: User,
) -> None:
    staff("add", "alice")
    alice.refresh_from_db()
    client = sign_in(Client(), alice, mfa=True)

    assert client.get("/admin/history/event/").status_code == 200
    assert client.get("/admin/notifications/notification/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403


def test_staff_remove_takes_every_admin_right_away_and_logs_it(alice: User) -> None:
    staff("add", "alice")
    alice.refresh_from_db()
    client = sign_in(Client(), alice, mfa=True)

    output = staff("remove", "alice")

    assert "alice has no admin rights any more" in output
    alice.refresh_from_db()
    assert not alice.is_staff
    assert not alice.groups.exists()
    assert not alice.get_all_permissions()
    assert Group.objects.filter(name=STAFF_GROUP).exists()  # the others keep it
    assert list(Event.objects.values_list("kind", flat=True)) == [
        "account.staff_granted",
        "account.staff_revoked",
    ]
    event = Event.objects.get(kind="account.staff_revoked")
    assert (event.subject_id, event.actor_id, event.actor_role) == (
        str(alice.public_id),
        "",
        "system",
    )
    assert event_data(event) == {"superuser": False}
    assert verify().ok
    assert client.get("/admin/history/event/").status_code == 302  # to the admin's sign-in


def test_staff_remove_also_takes_superuser_status_and_direct_permissions(db: None) -> None:
    """How a lost operator account is retired after ``createsuperuser`` made a new one."""
    old = UserFactory(username="root", is_staff=True, is_superuser=True)

    staff("remove", "root")

    old.refresh_from_db()
    assert (old.is_staff, old.is_superuser) == (False, False)
    assert not old.get_all_permissions()
    assert event_data(Event.objects.get(kind="account.staff_revoked")) == {"superuser": True}


def test_the_sign_in_name_is_found_whatever_its_case(alice: User) -> None:
    staff("add", "ALICE")
    alice.refresh_from_db()
    assert alice.is_staff


def test_an_unknown_name_is_refused_with_a_message_and_changes_nothing(alice: User) -> None:
    for action in ("add", "remove"):
        with pytest.raises(CommandError, match="No account has the sign-in name 'alicia'"):
            staff(action, "alicia")

    alice.refresh_from_db()
    assert not alice.is_staff
    assert not Group.objects.exists()
    assert not Event.objects.exists()


def test_someone_already_staff_is_refused_and_nothing_is_written(alice: User) -> None:
    staff("add", "alice")

    with pytest.raises(CommandError, match="alice: This person is already site staff"):
        staff("add", "alice")

    assert Event.objects.count() == 1


def test_a_superuser_is_not_added_again(db: None) -> None:
    UserFactory(username="root", is_staff=True, is_superuser=True)
    with pytest.raises(CommandError, match="already site staff"):
        staff("add", "root")
    assert not Event.objects.exists()


def test_removing_someone_who_is_not_staff_is_refused_and_nothing_is_written(
    alice: User,
) -> None:
    with pytest.raises(CommandError, match="alice: This person is not site staff"):
        staff("remove", "alice")
    assert not Event.objects.exists()


def test_a_closed_account_cannot_be_made_staff(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)

    with pytest.raises(CommandError, match="This account is closed"):
        staff("add", "alice")

    alice.refresh_from_db()
    assert not alice.is_staff
    assert not Event.objects.exists()


def test_a_deleted_account_is_not_found_by_its_old_name(alice: User) -> None:
    account_delete(actor=Actor(user=alice, recently_authenticated=True))

    with pytest.raises(CommandError, match="No account has the sign-in name"):
        staff("add", "alice")
    assert not Event.objects.filter(kind="account.staff_granted").exists()


def test_staff_list_names_staff_and_superusers_with_what_they_still_lack(alice: User) -> None:
    UserFactory(username="root", public_name="Operator", is_staff=True, is_superuser=True)
    UserFactory(username="bob", public_name="Bob")
    staff("add", "alice")

    assert staff("list").splitlines() == [
        "alice: Alice (no two-factor authentication yet)",
        "root: Operator (superuser, no two-factor authentication yet)",
    ]


def test_staff_list_says_when_nobody_is_staff(alice: User) -> None:
    assert staff("list") == "Nobody is site staff.\n"


def test_a_grant_whose_event_cannot_be_written_leaves_no_staff_and_no_group(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the history is unavailable")

    monkeypatch.setattr("history.services.append", broken)
    with pytest.raises(RuntimeError):
        staff("add", "alice")

    alice.refresh_from_db()
    assert not alice.is_staff
    assert not alice.groups.exists()
    assert not Group.objects.exists()
