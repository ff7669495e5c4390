"""Developer machine: `make run`. Embedded defaults unless DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  (seed_demo; never in production)
# Local sign-ups still verify their e-mail; the message lands in var/mail.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Passkeys on the development server's http://127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
