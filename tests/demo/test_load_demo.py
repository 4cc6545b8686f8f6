"""The demo command fills an empty database once and prints working logins."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from demo.management.commands.load_demo import DEMO_PASSWORD, PEOPLE

pytestmark = pytest.mark.django_db


def test_the_demo_creates_the_cast_and_every_printed_login_works(capsys) -> None:
    call_command("load_demo")

    output = capsys.readouterr().out
    assert User.objects.count() == len(PEOPLE)
    for username, _public_name, _staff, _role in PEOPLE:
        assert username in output
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="board3").email is None


def test_the_demo_leaves_a_database_with_people_in_it_alone(capsys) -> None:
    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.count() == len(PEOPLE)
    assert "not loaded" in capsys.readouterr().out
