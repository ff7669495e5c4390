"""pytest: the embedded defaults unless DATABASE_URL / REDIS_URL point at real servers (CI)."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def redis_url_of_this_worker(url: str, worker: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, ...) has a test database of its own, so it gets a Redis
    database of its own as well: the next ones after the one REDIS_URL names."""
    if not url or not worker:
        return url
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{db}"))


os.environ["REDIS_URL"] = redis_url_of_this_worker(
    os.environ.get("REDIS_URL", ""), os.environ.get("PYTEST_XDIST_WORKER", "")
)

from .base import *  # noqa: E402, F403
from .base import REDIS_URL  # noqa: E402

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (seed_demo; never in production)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mentoring-test-media-"))
# The outbox delivers into Django's test mailbox (django.core.mail.outbox).
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Web requests in tests hand their work to Celery exactly as in production, but the task runs in
# the test process so that assertions can follow it. The real-worker test sends tasks by name
# through the broker, which always_eager does not affect.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Live-server threads must not keep connections open past a test, or the test database cannot be
# dropped. Production and local settings reuse connections (see base.py).
DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 0}}  # noqa: F405
