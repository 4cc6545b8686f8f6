"""A bad value in the environment stops start-up, and the error names the variable."""

from __future__ import annotations

import secrets

import pytest

from tests.config.subprocess_env import manage

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "realvoice.example",
}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({"DEBUG": "maybe"}, "DEBUG", id="DEBUG=maybe"),
        pytest.param({"DATABASE_URL": "mysql://x"}, "DATABASE_URL", id="DATABASE_URL=mysql"),
        pytest.param({"DATABASE_URL": "nonsense"}, "DATABASE_URL", id="DATABASE_URL=nonsense"),
        pytest.param({"REDIS_URL": "http://x"}, "REDIS_URL", id="REDIS_URL=http"),
        pytest.param({"REDIS_URL": "redis://host:notaport"}, "REDIS_URL", id="REDIS_URL-bad-port"),
        pytest.param(
            {"SESSION_IDLE_MINUTES": "abc"}, "SESSION_IDLE_MINUTES", id="SESSION_IDLE_MINUTES=abc"
        ),
        pytest.param({"EMAIL_URL": "pigeon://x"}, "EMAIL_URL", id="EMAIL_URL=pigeon"),
        pytest.param(
            {"API_THROTTLE_ANON": "120/mango"}, "API_THROTTLE_ANON", id="API_THROTTLE_ANON"
        ),
        pytest.param(
            {"NOTIFICATION_CLAIM_SECONDS": "60"},
            "NOTIFICATION_CLAIM_SECONDS",
            id="claim-shorter-than-task-limit",
        ),
        pytest.param({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY", id="production-no-key"),
        pytest.param(
            {**PRODUCTION, "SECRET_KEY": "too-short"}, "SECRET_KEY", id="production-short-key"
        ),
        pytest.param(
            {**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS", id="production-no-hosts"
        ),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(
    env: dict[str, str], variable: str
) -> None:
    """``manage.py check`` exits non-zero and its error starts with the variable's name."""
    result = manage("check", env=env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert variable in last_line, result.stderr


def test_the_production_configuration_starts() -> None:
    """The control case: the same command with good values succeeds."""
    result = manage("check", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
