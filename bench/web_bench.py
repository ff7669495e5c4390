"""A lean web worker (issue 17, point 3), measured beside a bare Django in the same run.

Run from the repository root: .venv/bin/python bench/web_bench.py [--app DIR] [--requests N]

- URL configuration: `import config.urls` after `django.setup()`, with production settings, the
  median of five fresh processes, in CPU seconds (wall-clock beside); the baseline is
  `django.setup()` alone in the same processes. Goal: under 0.3 s.
- Worker memory: the resident size of one gunicorn sync worker (production settings, a scratch
  PostgreSQL database holding the demo, Redis) after 1,000 signed-in GETs spread over every
  role's key pages; the baseline is a bare Django project (`startproject` and one view) in a
  temporary folder, under the same Python and gunicorn, after 1,000 GETs. Goal: at most 2x.
- Worker-only libraries: which of numpy, scipy, scikit-learn and WeasyPrint's Pango the web
  worker has loaded (mapped into its memory) after those requests; the bare worker has none.
  Goal: none.

`rows()` returns the rows (measure, baseline, value, ratio, goal, holds) for `make bench`;
`main()` prints them as well. `--app`
measures another checkout of the app (e.g. a worktree of main, for before and after) with this
script. The scratch database, Redis queue and servers are removed at the end, even on error.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # the shared table, when run as a script

from table import Row, measured, print_table  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE = f"mentoring_web_bench_{os.getpid()}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "demo-pass-2026"  # the demo's (demo/data/people.toml)
REQUESTS = 1000
IMPORT_RUNS = 5
URLCONF_GOAL_SECONDS = 0.3
MEMORY_GOAL_RATIO = 2.0
# What only the worker needs, as it shows in a process's memory map.
WORKER_ONLY = {
    "numpy": "/numpy/",
    "scipy": "/scipy/",
    "scikit-learn": "/sklearn/",
    "WeasyPrint (Pango)": "libpango",
}
IMPORT_TIMES = """
import time
clocks = [(time.perf_counter(), time.process_time())]
import django
django.setup()
clocks.append((time.perf_counter(), time.process_time()))
import config.urls
clocks.append((time.perf_counter(), time.process_time()))
(wall_0, cpu_0), (wall_1, cpu_1), (wall_2, cpu_2) = clocks
print("TIMES", wall_1 - wall_0, cpu_1 - cpu_0, wall_2 - wall_1, cpu_2 - cpu_1)
"""
KEY_PAGES = """
import json
from django_scopes import scopes_disabled
from tests.test_accessibility import key_pages
with scopes_disabled():
    print("PAGES " + json.dumps(key_pages()))
"""
BARE_VIEW = """
from django.http import HttpResponse


def ok(request):
    return HttpResponse("ok")


urlpatterns += [path("ok/", ok)]  # noqa: F821
"""


# --- the processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(app: Path, var_dir: Path, settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"config.settings.{settings}",
        "DJANGO_SECRET_KEY": "web-bench-" + secrets.token_hex(16),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": DATABASE,  # what the demo queues waits on a queue of its own
        "VAR_DIR": str(var_dir),
        "PYTHONPATH": str(app),
    }


def manage(app: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(cwd: Path, env: dict[str, str], application: str) -> Iterator[tuple[int, int]]:
    """One sync worker; yields (port, the worker's pid) once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            application,
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        deadline = time.monotonic() + 120
        while not _answers(port) or not children.read_text().split():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn {application} did not start")
            time.sleep(0.2)
        yield port, int(children.read_text().split()[0])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def get(port: int, path: str, cookies: dict[str, str]) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=_cookie_header(cookies))
        response = connection.getresponse()
        return response.status, _set_cookies(response), response.read().decode(errors="replace")
    finally:
        connection.close()


def _cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


def _set_cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, email: str) -> dict[str, str]:
    """A real sign-in through the form: the session cookie it gives."""
    _, cookies, page = get(port, "/accounts/login/", {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **_cookie_header(cookies),
        }
        connection.request("POST", "/accounts/login/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        signed_in = {**cookies, **_set_cookies(response)}
    finally:
        connection.close()
    if response.status != 302 or "sessionid" not in signed_in:
        raise RuntimeError(f"{email} could not sign in ({response.status})")
    return signed_in


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def worker_only_loaded(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name, marker in WORKER_ONLY.items() if marker in maps]


# --- the measures -------------------------------------------------------------------------------


def urlconf_import(app: Path, var_dir: Path) -> Row:
    """In CPU seconds, which the neighbours on a shared machine do not inflate (they equal the
    wall-clock time on an idle one); the wall-clock medians are given beside."""
    env = app_env(app, var_dir, "production")
    runs = []
    for _ in range(IMPORT_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_TIMES],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append([float(number) for number in out.split("TIMES", 1)[1].split()])
    medians = (statistics.median(clock) for clock in zip(*runs, strict=True))
    setup_wall, setup_cpu, urls_wall, urls_cpu = medians
    return measured(
        f"URL configuration import, CPU s (wall {urls_wall:.3f} s; baseline: django.setup() "
        f"alone, wall {setup_wall:.3f} s)",
        setup_cpu,
        urls_cpu,
        "s",
        f"< {URLCONF_GOAL_SECONDS} s",
        urls_cpu < URLCONF_GOAL_SECONDS,
    )


def bare_worker_rss(tmp: Path, requests: int) -> tuple[float, list[str]]:
    tmp.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "bare", str(tmp)],
        check=True,
    )
    settings = tmp / "bare" / "settings.py"
    settings.write_text(
        settings.read_text()
        .replace("DEBUG = True", "DEBUG = False")
        .replace("ALLOWED_HOSTS = []", 'ALLOWED_HOSTS = ["127.0.0.1"]')
    )
    urls = tmp / "bare" / "urls.py"
    urls.write_text(urls.read_text() + BARE_VIEW)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bare.settings", "PYTHONPATH": str(tmp)}
    with gunicorn(tmp, env, "bare.wsgi:application") as (port, pid):
        for _ in range(requests):
            status, _, _ = get(port, "/ok/", {})
            assert status == 200, status
        return rss_mib(pid), worker_only_loaded(pid)


def app_worker_rss(app: Path, var_dir: Path, requests: int) -> tuple[float, list[str], int]:
    local = app_env(app, var_dir, "local")
    manage(app, local, "migrate", "--noinput")
    manage(app, local, "seed_demo")
    pages = json.loads(manage(app, local, "shell", "-c", KEY_PAGES).split("PAGES ", 1)[1])
    production = app_env(app, var_dir, "production")
    manage(app, production, "collectstatic", "--noinput")
    with gunicorn(app, production, "config.wsgi:application") as (port, pid):
        sessions = {role: sign_in(port, f"{role}@example.org") for role in pages}
        schedule = [(role, path) for role, paths in pages.items() for path in paths]
        errors = 0
        for i in range(requests):
            role, path = schedule[i % len(schedule)]
            status, _, _ = get(port, path, sessions[role])
            errors += status != 200
        return rss_mib(pid), worker_only_loaded(pid), errors


def scratch(action: str) -> None:
    if action == "create":
        subprocess.run(["createdb", *PG, DATABASE], check=True)
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", DATABASE], check=True)
        with contextlib.suppress(Exception):
            import redis

            redis.Redis.from_url(REDIS_URL).delete(DATABASE)


def rows(app: Path = ROOT, requests: int = REQUESTS) -> list[Row]:
    """The measures, for `make bench` (bench/run_all.py)."""
    with tempfile.TemporaryDirectory(prefix="web-bench-") as folder:
        tmp = Path(folder)
        found = [urlconf_import(app, tmp / "var")]
        bare_mib, bare_loaded = bare_worker_rss(tmp / "bare", requests)
        scratch("create")
        try:
            app_mib, app_loaded, errors = app_worker_rss(app, tmp / "var", requests)
        finally:
            scratch("drop")
    ratio = app_mib / bare_mib
    found.append(
        measured(
            f"web worker RSS after {requests} requests, MiB ({errors} not 200; "
            "baseline: a bare Django worker)",
            bare_mib,
            app_mib,
            "MiB",
            f"<= {MEMORY_GOAL_RATIO:g}x",
            ratio <= MEMORY_GOAL_RATIO and errors == 0,
        )
    )
    found.append(
        measured(
            "worker-only libraries in the web worker after them: "
            + (", ".join(app_loaded) or "none")
            + " (baseline: the bare worker's)",
            len(bare_loaded),
            len(app_loaded),
            "",
            "none",
            not app_loaded,
        )
    )
    return found


def main(app: Path = ROOT, requests: int = REQUESTS) -> list[Row]:
    """The measures, printed as a table, and returned."""
    measured = rows(app, requests)
    print_table(measured)
    return measured


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    arguments = parser.parse_args()
    main(arguments.app.resolve(), arguments.requests)
