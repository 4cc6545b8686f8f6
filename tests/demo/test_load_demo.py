"""The demo command fills an empty database once and prints working logins; it never
runs on a server."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from demo.management.commands.load_demo import DEMO_PASSWORD, EXTRA_PEOPLE, PEOPLE
from tests.accounts.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings) -> None:
    """The demo's own configuration (pytest-django otherwise runs with DEBUG off)."""
    settings.DEBUG = True


def test_the_demo_creates_the_cast_and_every_printed_login_works(debug: None, capsys) -> None:
    call_command("load_demo")

    output = capsys.readouterr().out
    assert User.objects.count() == len(PEOPLE) + EXTRA_PEOPLE
    for username, _public_name, _staff, _role in PEOPLE:
        assert username in output
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert User.objects.get(username="board3").email is None


def test_the_demo_leaves_a_database_with_people_in_it_alone(debug: None, capsys) -> None:
    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.count() == len(PEOPLE) + EXTRA_PEOPLE
    assert "not loaded" in capsys.readouterr().out


def test_the_demo_refuses_to_run_without_debug(settings) -> None:
    """Its staff account has a published password: on a server (DEBUG off) nothing is
    created, and the error says why."""
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG=true"):
        call_command("load_demo")

    assert not User.objects.exists()


def test_the_demo_staff_account_is_staff_but_not_a_superuser(debug: None) -> None:
    """A superuser passes every permission check, including those no role may pass
    (seeing how anyone voted); site staff have the admin's read-only screens only."""
    call_command("load_demo")

    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert not admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exists()
    assert admin.has_perm("history.view_event")
    assert admin.has_perm("notifications.view_notification")
    assert not admin.has_perm("history.change_event")
    assert not admin.has_perm("accounts.change_user")


def test_the_demo_staff_account_can_read_the_history_and_outbox_in_the_admin(
    debug: None,
) -> None:
    call_command("load_demo")
    client = Client()
    sign_in(client, User.objects.get(username="admin"), mfa=True)

    assert client.get("/admin/history/event/").status_code == 200
    assert client.get("/admin/notifications/notification/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403


def test_every_demo_login_with_an_address_can_sign_in_without_confirming_it(
    client, debug: None
) -> None:
    """The demo's addresses are marked confirmed, so the printed logins work at once."""
    call_command("load_demo")

    response = client.post(
        "/accounts/login/", {"login": "voter1", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] != "/accounts/confirm-email/"
    assert response.wsgi_request.user.is_authenticated
