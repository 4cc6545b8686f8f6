"""``manage.py check --deploy`` is clean in the production configuration, with nothing
silenced."""

from __future__ import annotations

import secrets

from django.conf import settings

from tests.config.subprocess_env import manage


def test_the_deploy_check_reports_no_issue_in_production() -> None:
    """DEBUG off, a random 64-character key, a real host and Redis: not one warning."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "realvoice.example",
            # Not connected to by the check; a server must name its Redis.
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SITE_URL": "https://realvoice.example",
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr.strip() == ""


def test_no_system_check_is_silenced() -> None:
    assert getattr(settings, "SILENCED_SYSTEM_CHECKS", []) == []
