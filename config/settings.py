"""Real Voice settings, read from the environment (see README "Configuration").

Nothing here needs editing to deploy: every choice that differs between a laptop and a
server is an environment variable, and a bad value stops start-up naming the variable.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

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

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------

# The embedded default is a newcomer's laptop; production sets DEBUG=false, which then
# demands a real SECRET_KEY and ALLOWED_HOSTS and turns on every HTTPS protection.
DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-secret-key-for-the-embedded-demo-never-use-it-on-a-server"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 random characters when DEBUG is false."
    )

# Old keys still accepted for signed data (sessions, tokens in links) while a new key is
# rolled out, so rotating SECRET_KEY need not sign everyone out at once.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# With DEBUG on, Django answers an error with its debug pages (every URL pattern, the
# settings, a traceback). SITE_ERROR_PAGES=true, which `make demo` sets, answers with the
# site's own 404 and 500 pages instead (core/error_pages.py); tracebacks still go to the
# log. With DEBUG off the site's own pages are always used.
SITE_ERROR_PAGES = env_bool("SITE_ERROR_PAGES", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_NAME = "Real Voice"
# The site's own address (scheme, host, port; no path). Every link in an e-mail, and any
# absolute link a task or the sweep writes, starts with it (core/links.py
# ``absolute_url``): outside a request there is no Host header to build one from. The
# demo's default is the address runserver serves; a server must name its https:// one.
SITE_URL = env_site_url(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else None, require_https=not DEBUG
)
_site_host = urlsplit(SITE_URL).hostname or ""
if not validate_host(f"[{_site_host}]" if ":" in _site_host else _site_host, ALLOWED_HOSTS):
    # Every link in an e-mail would lead to a host the site refuses to serve.
    raise ImproperlyConfigured(
        f"SITE_URL's host must be one of ALLOWED_HOSTS; got {SITE_URL!r} and {ALLOWED_HOSTS!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_htmx",
    # Real Voice
    "core",
    "accounts",
    "history",
    "notifications",
    "api",
    "pages",
    "organisations",
    "spaces",
    "proposals",
    "advisory",
    "voting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside LocaleMiddleware, so its error messages come in the request's language.
    "api.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside authentication, so it knows who is signed in.
    "core.middleware.PrivateWhenSignedInMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.site",
                "pages.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction begins, so two processes
        # appending to the history chain queue up instead of failing half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that tests using separate processes share one database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"realvoice-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Needed behind PgBouncer in transaction pooling mode (platform/RUNBOOK.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DB_DISABLE_SERVER_SIDE_CURSORS", False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis, cache and tasks ------------------------------------------------------------

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL is None and not DEBUG:
    # Without Redis, tasks would run inside the web process, beat would queue the sweep
    # nowhere, and e-mail that failed once would never be tried again.
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is false: a server needs Redis as its task queue"
        " and shared cache, e.g. REDIS_URL=redis://:password@localhost:6379/0."
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: a Redis outage must degrade a page, not hang it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without REDIS_URL (the embedded demo) tasks run in-process right after the commit
# that queued them; with it, Redis is the broker and a worker runs them.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redeliver an unacknowledged task (worker killed) after this long.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"

# How often beat runs the sweep of due work (config/celery.py lists what it runs).
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 60, minimum=1)

# --- Notifications and e-mail ---------------------------------------------------------

globals().update(env_email("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Real Voice <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8, minimum=1)
# A claimed notification not marked sent within this time is claimed again (worker died).
NOTIFICATION_CLAIM_SECONDS = env_int("NOTIFICATION_CLAIM_SECONDS", 300, minimum=10)
if NOTIFICATION_CLAIM_SECONDS <= CELERY_TASK_TIME_LIMIT:
    # A claim that ran out while its task still ran would let a second worker send again.
    raise ImproperlyConfigured(
        f"NOTIFICATION_CLAIM_SECONDS ({NOTIFICATION_CLAIM_SECONDS}) must be longer than the "
        f"task time limit, CELERY_TASK_SOFT_TIME_LIMIT + 30 ({CELERY_TASK_TIME_LIMIT})."
    )

# --- Authentication and sessions ------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth). People sign in with their e-mail address, or with their
# private sign-in name if they joined with a facilitator's code and have no address.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Sign-up also asks for the public name (accounts/forms.py); the adapter saves it and
# hashes the client address allauth keys its rate limits on (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# allauth's messages name a person by their public name, never the private sign-in name.
ACCOUNT_USER_DISPLAY = "accounts.selectors.display_name"
# allauth's default limits (login, failed logins, sign-up, password reset …) plus ours.
# They count in the default cache (Redis in production), keyed by the hashed address.
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per client, and per sign-in name and client together (the adapter
    # makes allauth's key the pair); per name alone, a looser count past which every
    # client may still try that name once every 30 seconds (accounts/adapter.py).
    "login_failed": "10/m/ip,5/5m/key",
    "sign_in_name": "50/15m/key",
    "sign_in_name_slowed": "1/30s/key",
    "join": "20/m/ip",
    "recover_account": "10/m/ip,5/15m/key",
    # Typing a one-time code signed in: an organisation's editor code or a space's
    # invitation code (web and API), also counted by every try with an invitation link.
    "redeem_code": "10/m/user,30/m/ip",
    # Accepting or declining an e-mailed invitation link, signed in or not.
    "invitation_link": "30/m/ip",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # subjects stay neutral: no site name in someone's inbox
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# After signing in, a person lands on their own page: what needs them, by role.
LOGIN_REDIRECT_URL = "/me/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Real Voice"

# Idle sessions end: every request pushes the expiry forward by this many minutes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# An expired form shows a page in the site's layout instead of Django's bare one.
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"

# How many reverse proxies in front of the site set X-Forwarded-For (platform/nginx.conf:
# 1). The visitor's address is used for nothing but rate-limit counters, and only as a
# keyed hash there (api/throttling.py): it is never stored or logged.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# allauth's rate limits read the address behind the same proxies (and only as a keyed
# hash: accounts/adapter.py).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- API --------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # The token scheme comes first: DRF takes the WWW-Authenticate challenge from the
    # first class, and without one a missing or wrong credential is a 403, not a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "api.authentication.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
    },
    # Anonymous limits count per client address, taken from X-Forwarded-For only when
    # TRUSTED_PROXY_COUNT proxies are known to set it (DRF's default trusts the header
    # whole, so a client could forge its way past the limit).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Personal API tokens stop working this many days after they are made.
PERSONAL_TOKEN_DAYS = env_int("PERSONAL_TOKEN_DAYS", 90, minimum=1)
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "rv_",
    # Each personal token gets its own expiry (PERSONAL_TOKEN_DAYS) when it is made.
    "TOKEN_TTL": None,
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Real Voice API",
    "DESCRIPTION": (
        "Harm-reduction program proposals, their advisory review and vote, and the "
        "verifiable decision history. Errors share one format: "
        '{"error": {"status", "code", "message", "fields"}}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
}

# --- Security headers -----------------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        # The reverse proxy (platform/nginx.conf) terminates TLS and sets this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation -----------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers in each language's own way. English follows the site's British
# spelling (config/formats/en/formats.py: "21 November 2026, 04:19"); Spanish keeps
# Django's ("21 de noviembre de 2026 a las 04:19", "9800,00").
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Logging ----------------------------------------------------------------------------

# Records carry no IP addresses, and a path (which can hold a secret: a password-reset or
# invitation link carries its key in it) only for a server error. The gunicorn access log
# format in platform/ leaves both out; Django's request logger, which names the path, is
# kept to server errors instead of logging every 404 ("Not Found: /…").
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Pages --------------------------------------------------------------------------------

# Quick exit replaces the current history entry with this neutral page.
QUICK_EXIT_URL = env_web_url("QUICK_EXIT_URL", "https://www.wikipedia.org/")
