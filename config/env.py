"""Read settings from the environment, failing loudly with the variable's name.

A misspelt value must stop start-up rather than silently fall back to a default:
``DEBUG=flase`` running a production server in debug mode is worse than not starting.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str | None:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off, 1/0; got {value!r}."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: Collection[str], *, environ: Mapping[str, str] | None = None
) -> str:
    """One of a fixed set of words, in any case; returned as written in ``choices``."""
    value = _raw(name, environ)
    if value is None:
        return default
    by_lower = {choice.lower(): choice for choice in choices}
    if value.lower() not in by_lower:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return by_lower[value.lower()]


def env_web_url(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """An absolute http:// or https:// address, such as a page on another site."""
    value = _raw(name, environ) or default
    parts = urlsplit(value)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must be an absolute address starting with https:// or http://; got {value!r}."
        )
    return value


def env_site_url(
    name: str, default: str | None, *, require_https: bool, environ: Mapping[str, str] | None = None
) -> str:
    """The site's own address, such as ``https://vote.example.org``: a scheme and a host
    (and a port), no path, query or fragment, returned without a trailing slash. Every link
    the site writes outside a request (e-mails, tasks, the sweep) starts with it.
    ``default`` None makes it required."""
    value = _raw(name, environ) or default
    if value is None:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is false: the site's own address, such as"
            " https://vote.example.org, from which e-mails build their links."
        )
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port; got {value!r}.") from None
    if (
        parts.scheme not in {"https", "http"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ImproperlyConfigured(
            f"{name} must be the site's address, a scheme and a host with no path, such as"
            f" https://vote.example.org; got {value!r}."
        )
    address = f"{parts.scheme}://{parts.netloc}"
    try:
        URLValidator(schemes=["http", "https"])(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} must be the site's address with a valid host name; got {value!r}."
        ) from None
    if require_https and parts.scheme != "https":
        raise ImproperlyConfigured(
            f"{name} must start with https:// when DEBUG is false; got {value!r}."
        )
    return address


_RATE = re.compile(r"[1-9][0-9]*/(second|minute|hour|day|sec|min|s|m|h|d)")


def env_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A rate limit such as ``120/minute`` (DRF's format, checked here rather than at the
    first request: DRF reads only the first letter of the period, so ``120/mango`` would
    silently mean per minute)."""
    value = _raw(name, environ) or default
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must look like 120/minute (per second, minute, hour or day); got {value!r}."
        )
    return value


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    url = _raw(name, environ) or default
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must be a sqlite:/// or postgres:// URL; got scheme {scheme!r}."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://host/realvoice.")
    return config


def env_redis_url(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    url = _raw(name, environ)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must look like redis://host:6379/0; got {url!r}.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port; got {url!r}.") from None
    return url


def env_email(name: str, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse an e-mail URL into Django's EMAIL_* settings.

    console:// (default) prints messages; file:///absolute/path writes them to a folder;
    smtp://user:password@host:587 uses STARTTLS, smtps://… implicit TLS;
    smtp+insecure://host:25 plain SMTP on a trusted local relay.
    """
    url = _raw(name, environ) or "console://"
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        # file://var/mail would read "var" as a host name and write to /mail.
        if parts.netloc or not parts.path.startswith("/"):
            raise ImproperlyConfigured(
                f"{name} must give a folder as an absolute path after three slashes,"
                f" file:///absolute/path; got {url!r}."
            )
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme in {"smtp", "smtps", "smtp+insecure"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} must name the SMTP host; got {url!r}.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port; got {url!r}.") from None
        timeout = parse_qs(parts.query).get("timeout", ["20"])[0]
        if not timeout.isdigit() or int(timeout) < 1:
            raise ImproperlyConfigured(
                f"{name} has an invalid timeout: it must be a whole number of seconds;"
                f" got {timeout!r}."
            )
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_TIMEOUT": int(timeout),
        }
    raise ImproperlyConfigured(
        f"{name} must start with console://, file://, smtp://, smtps:// or smtp+insecure://;"
        f" got {parts.scheme!r}."
    )
