"""A bad value in the environment stops start-up, and the error names the variable."""

from __future__ import annotations

import secrets

import pytest

from tests.config.subprocess_env import manage

# manage.py check does not connect to Redis, so nothing needs to listen at REDIS_URL.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "realvoice.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://realvoice.example",
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
            {"EMAIL_URL": "file://var/mail"}, "EMAIL_URL", id="EMAIL_URL-file-two-slashes"
        ),
        pytest.param({"LOG_LEVEL": "verbose"}, "LOG_LEVEL", id="LOG_LEVEL=verbose"),
        pytest.param(
            {"QUICK_EXIT_URL": "www.wikipedia.org"}, "QUICK_EXIT_URL", id="QUICK_EXIT_URL-no-scheme"
        ),
        pytest.param(
            {"QUICK_EXIT_URL": "javascript:alert(1)"},
            "QUICK_EXIT_URL",
            id="QUICK_EXIT_URL-javascript",
        ),
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
        pytest.param({**PRODUCTION, "REDIS_URL": ""}, "REDIS_URL", id="production-no-redis"),
        pytest.param({"SITE_URL": "vote.example.org"}, "SITE_URL", id="SITE_URL-no-scheme"),
        pytest.param(
            {"SITE_URL": "https://vote.example.org/path"}, "SITE_URL", id="SITE_URL-with-a-path"
        ),
        pytest.param({**PRODUCTION, "SITE_URL": ""}, "SITE_URL", id="production-no-site-url"),
        pytest.param(
            {**PRODUCTION, "SITE_URL": "https://elsewhere.example"},
            "SITE_URL",
            id="production-site-url-not-an-allowed-host",
        ),
        pytest.param(
            {**PRODUCTION, "SITE_URL": "http://realvoice.example"},
            "SITE_URL",
            id="production-site-url-without-https",
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
