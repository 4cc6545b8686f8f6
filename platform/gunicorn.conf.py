"""Gunicorn settings for the Real Voice web process.

Used by platform/Procfile and platform/systemd/realvoice-web.service:

    gunicorn -c platform/gunicorn.conf.py config.wsgi:application

Every value can be changed from the environment (see platform/env.example). The access
log leaves out the visitor's address, the path and query string, the referrer and the
browser: the site keeps no IP addresses in its records, and some paths carry secrets
(password-reset and invitation links).
"""

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {value!r}.") from None


# Run from the checkout whatever the current directory, so config.wsgi is importable.
chdir = str(Path(__file__).resolve().parent.parent)
proc_name = "realvoice-web"

# Behind the local reverse proxy by default. A platform that sets PORT gets 0.0.0.0:PORT.
if os.environ.get("GUNICORN_BIND", "").strip():
    bind = [os.environ["GUNICORN_BIND"].strip()]
elif os.environ.get("PORT", "").strip():
    bind = [f"0.0.0.0:{_int('PORT', 8000)}"]
else:
    bind = ["127.0.0.1:8000"]

# Sync workers: the proxy buffers slow clients, and each request holds one database
# connection. The default grows with the CPUs but stops at 8 so that a large machine
# does not exhaust PostgreSQL's connections; WEB_CONCURRENCY overrides it.
try:
    _cpus = len(os.sched_getaffinity(0))  # the CPUs this process may use
except (AttributeError, OSError):
    _cpus = os.cpu_count() or 1
workers = _int("WEB_CONCURRENCY", min(2 * _cpus + 1, 8))
# More than one thread switches gunicorn to its threaded worker (one DB connection each).
threads = _int("GUNICORN_THREADS", 1)

# A request running longer than this is killed (the worker restarts). The proxy waits longer.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On stop or reload, workers get this long to finish the requests they are serving.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle each worker after about this many requests, staggered so they do not all
# restart at once; this bounds any slow memory growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 0)

# Only the local proxy may say a request came over HTTPS. Django reads the same header
# (SECURE_PROXY_SSL_HEADER), so gunicorn must be reachable from the proxy alone.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs go to stdout/stderr (the journal under systemd, the platform's log otherwise).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").strip().lower() or "info"
# Time, method, protocol, status, bytes, duration. No %(h)s (address), no forwarded-for
# header, no %(r)s, %(U)s or %(q)s (request line, path, query: a password-reset or
# invitation link carries its secret in the path), no %(f)s (referrer) or %(a)s (browser).
# The page behind a server error is in Django's own error log (config/settings.py LOGGING).
access_log_format = '%(t)s "%(m)s %(H)s" %(s)s %(B)s %(M)sms'

# systemctl reload/stop are the controls; no extra control socket to secure.
control_socket_disable = True
