"""config/env.py reads each setting from the environment and refuses a bad value,
naming the variable, instead of falling back to a default."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_email,
    env_int,
    env_list,
    env_rate,
    env_redis_url,
    env_site_url,
    env_str,
    env_web_url,
)


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_reads_the_usual_spellings_of_true(value: str) -> None:
    assert env_bool("DEBUG", False, environ={"DEBUG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "OFF"])
def test_env_bool_reads_the_usual_spellings_of_false(value: str) -> None:
    assert env_bool("DEBUG", True, environ={"DEBUG": value}) is False


@pytest.mark.parametrize("environ", [{}, {"DEBUG": ""}, {"DEBUG": "  "}])
def test_an_unset_or_empty_variable_takes_the_default(environ: dict[str, str]) -> None:
    assert env_bool("DEBUG", True, environ=environ) is True
    assert env_str("DEBUG", "fallback", environ=environ) == "fallback"


@pytest.mark.parametrize("value", ["maybe", "flase", "2"])
def test_env_bool_refuses_anything_else_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=rf"^DEBUG must be one of .*{value!r}"):
        env_bool("DEBUG", True, environ={"DEBUG": value})


def test_env_int_reads_a_whole_number_and_checks_the_minimum() -> None:
    assert env_int("N", 5, environ={"N": "42"}) == 42
    assert env_int("N", 5, environ={}) == 5
    with pytest.raises(ImproperlyConfigured, match=r"^N must be a whole number; got 'abc'"):
        env_int("N", 5, environ={"N": "abc"})
    with pytest.raises(ImproperlyConfigured, match=r"^N must be at least 1; got 0"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_env_list_splits_on_commas_and_drops_blanks() -> None:
    environ = {"HOSTS": " a.example, b.example ,,"}
    assert env_list("HOSTS", [], environ=environ) == ["a.example", "b.example"]
    assert env_list("HOSTS", ["x"], environ={}) == ["x"]


@pytest.mark.parametrize("value", ["120/minute", "5/s", "1000/hour", "30/day", "10/min"])
def test_env_rate_accepts_drfs_rate_format(value: str) -> None:
    assert env_rate("API_THROTTLE_ANON", "1/s", environ={"API_THROTTLE_ANON": value}) == value


@pytest.mark.parametrize("value", ["120", "120/mango", "0/minute", "-1/minute", "lots"])
def test_env_rate_refuses_what_drf_would_misread(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^API_THROTTLE_ANON must look like 120/minute"):
        env_rate("API_THROTTLE_ANON", "1/s", environ={"API_THROTTLE_ANON": value})


def test_env_database_reads_sqlite_and_postgres_urls() -> None:
    sqlite = env_database("DATABASE_URL", "sqlite:////tmp/rv.sqlite3", environ={})
    postgres = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgres://rv:secret@db:5433/realvoice"}
    )

    assert (sqlite["ENGINE"], sqlite["NAME"]) == ("django.db.backends.sqlite3", "/tmp/rv.sqlite3")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == ("db", 5433, "realvoice")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://x/db", "must be a sqlite:/// or postgres:// URL; got scheme 'mysql'"),
        ("nonsense", "must be a sqlite:/// or postgres:// URL; got scheme ''"),
        ("postgres://db:5432", "must name a database"),
        ("postgres://db:port/realvoice", "is not a valid database URL"),
    ],
)
def test_env_database_refuses_what_it_cannot_use(value: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=rf"^DATABASE_URL .*{re.escape(message)}"):
        env_database("DATABASE_URL", "sqlite://", environ={"DATABASE_URL": value})


def test_env_redis_url_is_none_when_unset_and_checked_when_set() -> None:
    assert env_redis_url("REDIS_URL", environ={}) is None
    assert (
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "rediss://r:6380/1"})
        == "rediss://r:6380/1"
    )
    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL must look like redis://"):
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "http://x"})
    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL has an invalid port"):
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "redis://host:notaport"})


def test_env_email_defaults_to_printing_messages() -> None:
    assert env_email("EMAIL_URL", environ={}) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_env_email_reads_an_smtp_url_with_credentials_and_timeout() -> None:
    config = env_email(
        "EMAIL_URL", environ={"EMAIL_URL": "smtp://mailer:p%40ss@mail.example:2525?timeout=5"}
    )

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5,
    }


def test_env_email_uses_the_implicit_tls_port_for_smtps() -> None:
    config = env_email("EMAIL_URL", environ={"EMAIL_URL": "smtps://mail.example"})

    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_env_email_writes_files_to_the_folder_given() -> None:
    config = env_email("EMAIL_URL", environ={"EMAIL_URL": "file:///var/mail/realvoice"})

    assert config["EMAIL_FILE_PATH"] == "/var/mail/realvoice"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("pigeon://x", "must start with console://"),
        ("smtp://", "must name the SMTP host"),
        ("smtp://mail.example:port", "has an invalid port"),
        ("smtp://mail.example?timeout=soon", "has an invalid timeout"),
        ("file://", "must give a folder"),
        ("file://var/mail", "must give a folder as an absolute path after three slashes"),
        ("file:var/mail", "must give a folder as an absolute path"),
    ],
)
def test_env_email_refuses_what_it_cannot_use(value: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"^EMAIL_URL {message}"):
        env_email("EMAIL_URL", environ={"EMAIL_URL": value})


LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


@pytest.mark.parametrize(("value", "expected"), [("WARNING", "WARNING"), ("info", "INFO")])
def test_env_choice_accepts_a_listed_word_in_any_case(value: str, expected: str) -> None:
    assert env_choice("LOG_LEVEL", "INFO", LOG_LEVELS, environ={"LOG_LEVEL": value}) == expected
    assert env_choice("LOG_LEVEL", "INFO", LOG_LEVELS, environ={}) == "INFO"


@pytest.mark.parametrize("value", ["verbose", "WARN", "10"])
def test_env_choice_refuses_anything_else_listing_the_choices(value: str) -> None:
    with pytest.raises(
        ImproperlyConfigured,
        match=rf"^LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL; got {value!r}",
    ):
        env_choice("LOG_LEVEL", "INFO", LOG_LEVELS, environ={"LOG_LEVEL": value})


@pytest.mark.parametrize("value", ["https://www.wikipedia.org/", "http://weather.example/today"])
def test_env_web_url_accepts_an_absolute_web_address(value: str) -> None:
    assert env_web_url("QUICK_EXIT_URL", "https://x/", environ={"QUICK_EXIT_URL": value}) == value


@pytest.mark.parametrize(
    "value", ["www.wikipedia.org", "/local/page", "javascript:alert(1)", "https://", "ftp://x/"]
)
def test_env_web_url_refuses_what_is_not_an_absolute_web_address(value: str) -> None:
    with pytest.raises(
        ImproperlyConfigured, match=r"^QUICK_EXIT_URL must be an absolute address starting with"
    ):
        env_web_url("QUICK_EXIT_URL", "https://x/", environ={"QUICK_EXIT_URL": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://vote.example.org", "https://vote.example.org"),
        ("https://vote.example.org/", "https://vote.example.org"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    ],
)
def test_env_site_url_gives_the_address_without_a_trailing_slash(value: str, expected: str) -> None:
    assert env_site_url("SITE_URL", None, require_https=False, environ={"SITE_URL": value}) == (
        expected
    )


@pytest.mark.parametrize(
    "value",
    [
        "vote.example.org",
        "ftp://vote.example.org",
        "https://vote.example.org/realvoice",
        "https://vote.example.org/?a=1",
        "https://user@vote.example.org",
        "https://vote.example.org:port",
        "https://vote example.org",
        "https://vote_example..org",
        "javascript:alert(1)",
    ],
)
def test_env_site_url_refuses_what_is_not_a_site_address(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^SITE_URL "):
        env_site_url("SITE_URL", None, require_https=False, environ={"SITE_URL": value})


def test_env_site_url_is_required_without_a_default_and_https_when_asked() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^SITE_URL must be set"):
        env_site_url("SITE_URL", None, require_https=True, environ={})
    with pytest.raises(ImproperlyConfigured, match=re.escape("https://")):
        env_site_url(
            "SITE_URL", None, require_https=True, environ={"SITE_URL": "http://vote.example.org"}
        )
    assert (
        env_site_url("SITE_URL", "http://127.0.0.1:8000", require_https=False, environ={})
        == "http://127.0.0.1:8000"
    )
