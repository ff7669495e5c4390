"""A real Celery worker, in its own process, against real Redis and the test database."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from config.celery import app
from notifications.models import Reminder
from programmes.models import Stage

from . import factories


def database_url_of_test_db() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for_files(folder, pattern: str, count: int, timeout: float = 60) -> list:
    """The files once `count` are there (or the time is up), and a moment more for any extra."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(list(folder.glob(pattern))) < count:
        time.sleep(0.2)
    time.sleep(2)  # a second e-mail, if any were wrongly sent, has had time to land
    return list(folder.glob(pattern))


@pytest.fixture
def worker(services, tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url_of_test_db(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "VAR_DIR": str(tmp_path / "var"),
        "DB_CONN_MAX_AGE": "0",
        # Reminders fall due from midnight in the organisation's time zone, whatever the hour now.
        "DIGEST_LOCAL_HOUR": "0",
        # What the worker itself queues (the sweep's tasks per organisation) stays on its queue.
        "CELERY_QUEUE": queue,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--concurrency=2",
            "--pool=prefork",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False  # this test talks to the broker like production does
    try:
        yield queue, mail_dir
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output[-4000:])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_a_real_worker_sends_one_e_mail_from_two_concurrent_sweeps(worker, org, coordinator):
    queue, mail_dir = worker
    programme = factories.programme(org, coordinator=coordinator, start_date=date(2030, 1, 7))
    stage = Stage.objects.get(programme=programme, number=2)
    stage.planned_start = date.today() + timedelta(days=2)
    stage.planned_end = stage.planned_start + timedelta(weeks=3)
    stage.save()

    first = app.send_task("notifications.sweep", queue=queue)
    second = app.send_task("notifications.sweep", queue=queue)
    assert [first.get(timeout=90), second.get(timeout=90)] == [1, 1]  # one organisation each

    messages = wait_for_files(mail_dir, "*.log", count=1)
    assert len(messages) == 1
    content = messages[0].read_text()
    assert coordinator.email in content
    assert "Set-up and planning" in content
    assert Reminder.objects.get().sent_at is not None
