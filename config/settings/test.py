"""pytest: the embedded defaults unless DATABASE_URL / REDIS_URL point at real servers (CI)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import REDIS_URL

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
