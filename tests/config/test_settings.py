"""The settings: production's deployment check and refusals, connections reused, the
embedded database under concurrent writers, the site address in e-mails."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from organisations.models import Organisation

BASE = Path(settings.BASE_DIR)


def test_production_settings_pass_the_deployment_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
        "DATABASE_URL": "postgres://u:p@db.example.org:5432/mentoring",
        "REDIS_URL": "redis://redis.example.org:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_its_secret():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_cannot_run_the_demo_seeder():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a" * 50,
        "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
        "DATABASE_URL": "postgres://u:p@db.example.org:5432/mentoring",
        "REDIS_URL": "redis://redis.example.org:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


def test_database_connections_are_reused_outside_tests():
    from config.settings import base

    assert base.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_on_postgresql_a_query_run_again_and_again_is_planned_once(services):
    """Parameters go apart from the query text, so psycopg prepares a query the connection
    keeps running (every page's are the same few) and PostgreSQL stops planning it each time."""
    for organisation_id in range(1, 8):
        list(Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"organisations_organisation"."name"%'],
        )
        assert cursor.fetchone()[0] == 1


SQLITE_WRITERS = """
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from organisations.models import Organisation

call_command("migrate", verbosity=0)
organisation = Organisation.objects.create(name="Writers", slug="writers")
errors = []

def write():
    try:
        for _ in range(30):
            with transaction.atomic():  # read, then write: what every service does
                name = Organisation.objects.get(pk=organisation.pk).name
                Organisation.objects.filter(pk=organisation.pk).update(name=name[:100] + "y")
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"errors={len(errors)}")
"""


def test_the_embedded_database_takes_concurrent_writers(tmp_path):
    """`make run` serves web requests and the worker from one SQLite file: six writers at once
    must all succeed, as they do on PostgreSQL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITERS],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "errors=0" in result.stdout, result.stdout + result.stderr


def _site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_emails_follow_the_port_the_app_runs_on():
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url(PORT="8123", SITE_URL="https://mentoring.example.org") == (
        "https://mentoring.example.org"
    )
    # honcho gives the worker a port of its own, so `make run` hands every process the web's.
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=BASE, capture_output=True, text=True, timeout=60
    ).stdout
    start = next(line for line in dry_run.splitlines() if "honcho" in line and "start" in line)
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in start
