"""Real Celery workers in processes of their own, against real Redis and the test database, for
the tests that kill them, run them twice or take their services away."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app


def database_url_of_test_db() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def web_process_env(var_dir: Path, **more: str) -> dict[str, str]:
    """The environment of a web process of its own on the test database (local settings)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url_of_test_db(),
        "VAR_DIR": str(var_dir),
        "DB_CONN_MAX_AGE": "0",
        **more,
    }


def run_python(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a script in a Python process of its own, from the project's root."""
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 60, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


class Workers:
    """Starts workers on a queue of their own; whatever they queue stays on it."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.mail_dir = tmp_path / "mail"
        self.var_dir = tmp_path / "var"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": database_url_of_test_db(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "VAR_DIR": str(self.var_dir),
            "DB_CONN_MAX_AGE": "0",
            # Reminders fall due from midnight in the organisation's time zone.
            "DIGEST_LOCAL_HOUR": "0",
            "CELERY_QUEUE": self.queue,
            **env,
        }
        self.processes: list[subprocess.Popen] = []

    def start(self, concurrency: int = 1) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                self.queue,
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--hostname={uuid.uuid4().hex[:8]}@%h",
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # so a kill reaches the pool's children too
        )
        self.processes.append(process)
        return process

    def send(self, task: str, *args: object):
        return app.send_task(task, args=args, queue=self.queue)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool: no chance to finish, acknowledge or clean up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                output, _ = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                output, _ = process.communicate()
            print((output or "")[-3000:])
