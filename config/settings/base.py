"""Settings shared by every environment.

Everything that differs between machines comes from the environment. With nothing set, the app runs
on embedded defaults: a SQLite file, a Celery broker on the file system and e-mail written to files,
all under var/.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-key-never-used-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.usersessions' templates load it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "organisations",
    "notifications",
    "programmes",
    "pairs",
    "supervision",
    "surveys",
    "themes",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organisations.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "organisations.middleware.TenantMiddleware",
    "organisations.middleware.StaleWriteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Django's renderer, with inputs, textareas and selects written in Python (the same HTML).
FORM_RENDERER = "organisations.widget_renderer.PlainWidgetRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.tenant",
                "notifications.context_processors.unread",
                "programmes.context_processors.programme",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Connections are kept open between requests (CONN_MAX_AGE) and checked before reuse.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the query text, so a query a connection runs again and again
    # (every page's are the same few) is prepared on its fifth run and not planned again each
    # time (psycopg keeps the last 100). Behind a pooler in transaction mode, set
    # DB_PREPARE_THRESHOLD to "off": a prepared statement belongs to one server connection.
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": None if threshold == "off" else int(threshold),
    }
if not DATABASE_URL:
    # The embedded SQLite file serves the web server and the worker at once. WAL lets readers
    # carry on beside a writer, a writer waits for the lock instead of failing at once, and
    # IMMEDIATE transactions take the write lock when they begin, so two writers never deadlock
    # half-way (which SQLite reports as "database is locked" whatever the timeout).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits need a cache shared by every process) ---------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back on a per-process cache, and says so in the log, while Redis is down.
            "BACKEND": "organisations.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up asks for a name as well (see organisations.forms.SignupNameForm).
ACCOUNT_SIGNUP_FORM_CLASS = "organisations.forms.SignupNameForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Reciprocal Mentoring] "
# allauth's default rate limits stay on (login failures, sign-ups, password resets).
# The login form turns away a password sign-in from an e-mail domain that signs in through its
# organisation's identity provider (organisations.sign_in).
ACCOUNT_FORMS = {"login": "organisations.sign_in_forms.LoginForm"}
# The same as allauth's, with its two-factor step loaded only for those who have a second factor.
ACCOUNT_ADAPTER = "organisations.adapters.AccountAdapter"

# Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes, and passkeys. An
# organisation may require it of the people who read confidential data (organisations.sign_in).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys are a second factor, not a password-less sign-in: allauth's passkey button on the sign-in
# page carries its data in a <script> block and an unlabelled field, which the page's
# CSP and accessibility checks refuse.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Reciprocal Mentoring"
# Passkeys need a secure origin; the development server on http://127.0.0.1 is allowed locally.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)

# Signed-in sessions a person can see and end (allauth.usersessions), each as it was at sign-in
# (when, where from, which browser). Tracking every request's activity would write to the
# database on every page, and a GET writes nothing; so sessions are not tracked, and allauth's
# UserSessionsMiddleware, which only does that, is not installed.
USERSESSIONS_TRACK_ACTIVITY = False

# Single sign-on per organisation: OpenID Connect and SAML apps are rows (SocialApp) that an
# organisation admin configures in the app, never settings. The adapter ties each to its
# organisation's e-mail domains and decides who may join.
SOCIALACCOUNT_ADAPTER = "organisations.adapters.SingleSignOnAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = None  # set in production, where collectstatic runs
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded and generated files are never served by URL: views stream them after a role check.
MEDIA_URL = "/media-not-served/"
# Files in the resource library; the form refuses anything larger.
RESOURCE_MAX_BYTES = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- UI ------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Every asset comes from our own origin; no inline script, no inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"

# --- E-mail ------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Reciprocal Mentoring <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every e-mail is recorded in the outbox in the transaction that causes it; a worker delivers it
# with OUTBOX_DELIVERY_BACKEND (files under var/mail/ unless set; SMTP in production).
EMAIL_BACKEND = "notifications.outbox.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
# Well over EMAIL_TIMEOUT: a claim older than this belongs to a worker that died while sending.
OUTBOX_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", "300"))
# After a temporary failure the outbox waits this long, then twice as long each time (to an hour).
OUTBOX_FIRST_RETRY_SECONDS = int(os.environ.get("OUTBOX_FIRST_RETRY_SECONDS", "60"))
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# acks_late: a task's message goes back to the queue if its worker dies. Redis hands back a
# message nobody acknowledged after the visibility timeout, which must outlast the longest task
# (CELERY_TASK_TIME_LIMIT) or a task still running would be delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
if not REDIS_URL:
    # The file-system broker needs its folder before the first message is sent or read.
    BROKER_DIR = VAR_DIR / "broker"
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # the file-system broker has no visibility timeout
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "store_processed": False,
    }
# Results are kept (for a day) only where Redis is there to hold them.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = not REDIS_URL
CELERY_RESULT_EXPIRES = 86400
# The queue tasks go to when nothing routes them elsewhere (a test worker has one of its own).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 256_000  # KiB: a worker that grows past this is recycled.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task finds out within a few seconds that the broker is down (the
# work waits in the database for the sweep) instead of hanging for twenty.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Sending a task also subscribes to its result: the same quick give-up for the result store.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SWEEP_SECONDS = int(os.environ.get("REMINDER_SWEEP_SECONDS", "300"))
# A claim older than this is taken to belong to a sweep that died; the next sweep completes it.
REMINDER_CLAIM_LEASE_SECONDS = 2 * CELERY_TASK_TIME_LIMIT
# Digests are due from this hour, in each organisation's own time zone.
DIGEST_LOCAL_HOUR = int(os.environ.get("DIGEST_LOCAL_HOUR", "7"))

# --- Generated reports -------------------------------------------------------------------------
REPORT_RETENTION_DAYS = 7
# A report pending this long was lost on its way to a worker: the sweep queues it again.
REPORT_STALE_SECONDS = int(os.environ.get("REPORT_STALE_SECONDS", "600"))
# The report's page stops polling after this long and says what is happening.
REPORT_POLL_SECONDS = 900

# --- Personal data (exports, erasure, retention) -----------------------------------------------
# How long a person's export of their own data may be downloaded.
PERSONAL_EXPORT_DAYS = 7
# How long after a programme ends its personal data is kept, unless the organisation says.
DEFAULT_RETENTION_MONTHS = 24
# How far ahead the organisation's admins are warned that a programme will be anonymised.
RETENTION_WARNING_DAYS = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Links in e-mails are built from this (no request is at hand in a worker). Unless it is set, it
# follows the port the development server listens on (`make run PORT=8001`).
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
