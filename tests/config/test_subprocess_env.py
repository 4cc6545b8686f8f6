"""The configuration checks run manage.py with only the variables a test chooses."""

from __future__ import annotations

import secrets

import pytest

from tests.config.subprocess_env import clean_environment, manage


def test_the_child_environment_holds_only_path_home_a_scratch_database_and_the_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOME_MACHINE_VARIABLE", "1")

    env = clean_environment({"DEBUG": "false"})

    assert set(env) <= {"PATH", "HOME", "DATABASE_URL", "DEBUG"}
    assert env["DEBUG"] == "false"
    assert env["DATABASE_URL"].startswith("sqlite:///")


def test_settings_exported_on_the_machine_do_not_reach_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bad values of settings the test does not choose, exported by the machine (CI, a
    developer's shell), leave the check's outcome unchanged."""
    for name, value in {
        "TRUSTED_PROXY_COUNT": "several",
        "SECRET_KEY_FALLBACKS": "an-old-key",
        "DB_DISABLE_SERVER_SIDE_CURSORS": "maybe",
        "DATABASE_URL": "mysql://elsewhere/db",
        "REDIS_URL": "http://not-redis",
        "LOG_LEVEL": "verbose",
    }.items():
        monkeypatch.setenv(name, value)

    result = manage(
        "check",
        env={
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "realvoice.example",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SITE_URL": "https://realvoice.example",
        },
    )

    assert result.returncode == 0, result.stderr
