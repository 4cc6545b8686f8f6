"""The demo shows organisations and a full space, built through the services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from demo.management.commands.load_demo import DEMO_TOTP_SECRET
from organisations.models import Organisation
from spaces.models import DecisionSpace, Invitation
from spaces.selectors import board_size_for_quorum, members_at

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_organisations_and_a_space_of_seven_and_forty(settings, capsys) -> None:
    settings.DEBUG = True

    call_command("load_demo")

    space = DecisionSpace.objects.get(slug="northside")
    now = datetime.now(tz=UTC)
    assert board_size_for_quorum(space=space, moment=now) == 7
    assert members_at(space=space, role="electorate", moment=now).count() == 40
    assert set(Organisation.objects.values_list("status", flat=True)) == {"approved", "pending"}
    invitation = Invitation.objects.get()
    assert invitation.used_by is not None
    assert invitation.used_by.username == "board3"
    assert space.rulebooks.latest().version == 2
    assert Authenticator.objects.filter(type="totp").count() == 3
    assert DEMO_TOTP_SECRET in capsys.readouterr().out
