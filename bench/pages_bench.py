"""Key pages of every role for a 300-pair programme under gunicorn, against a trivial page.

Run from the repository root: .venv/bin/python bench/pages_bench.py [--seconds N] [--load]

It creates a scratch PostgreSQL database (127.0.0.1, user postgres), builds a 300-pair
programme under way (meetings, survey answers, steering members, referrals) and a second one of
300 + 300 selected candidates with the matching's 300 proposals, and starts gunicorn (-w 2,
production settings, persistent connections) on it. Each role gets a signed-in session. wrk
(-t2 -c8) then asks for each page in turn, three interleaved rounds; a page's figure is the
median of its rounds' p50. The baseline is the allauth e-mail page, signed in, in the same
rounds. With --load, 50 signed-in users ask for the roles' key pages for 60 s (wrk with a Lua
script that gives each connection a user of its own): no errors, and p99 at most 10x p50.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from table import Row, print_table, row  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE = os.environ.get("PAGES_BENCH_DATABASE", f"mentoring_pages_bench_{os.getpid()}")
# With PAGES_BENCH_DATABASE set, the database and this file outlive the run, and a second run
# with the same name measures again without building (for profiling between runs).
KEPT = Path(tempfile.gettempdir()) / "pages-bench.json"
REDIS_URL = "redis://127.0.0.1:6379/12"
PAIRS = 300
STEERING_MEMBERS = 10
ROUNDS = 3
GOAL_RATIO = 3.0
LOAD_USERS = 50
LOAD_SECONDS = 60
LOAD_P99_RATIO = 10.0
SEED = 20261202
BASELINE = "trivial page (allauth e-mail, signed in)"


@dataclass(frozen=True)
class Page:
    role: str
    name: str
    path: str


def environment(var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": var_dir,
        "DB_CONN_MAX_AGE": "600",
    }


def scratch_database(action: str) -> None:
    if action == "create":
        subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", *PG, DATABASE], check=True)
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", DATABASE], check=True)


def build(rng: random.Random) -> dict[str, object]:
    """The data, and a signed-in session cookie for each role."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_scopes import scope
    from report_bench import bench_organisation, build_programme

    from organisations.models import Membership, User
    from organisations.roles import OrgRole, Role
    from pairs.models import Decision, Pair, Profile
    from pairs.services import matching_run
    from programmes.models import ProgrammeMember
    from programmes.services import programme_create, programme_member_add
    from supervision.models import Supervisor
    from supervision.services import (
        referral_accept,
        referral_assign,
        referral_raise,
        referral_route,
    )
    from surveys.models import Survey, SurveyKind

    call_command("migrate", verbosity=0)
    organisation, coordinator = bench_organisation(OrgRole.MEMBER)

    with scope(organisation=organisation):
        programme = build_programme(rng, name="Reverse mentoring 2026", pairs=PAIRS, answered=True)

        def person(email: str, role: str) -> User:
            user = User.objects.create_user(email, full_name=email.split("@")[0].title())
            Membership.objects.create(user=user, organisation=organisation)
            programme_member_add(programme=programme, user=user, role=role)
            return user

        stewards = [
            person(f"steering{n}@bench.test", Role.STEERING) for n in range(STEERING_MEMBERS)
        ]
        pairs = list(Pair.objects.filter(programme=programme).order_by("pk"))
        for n, pair in enumerate(pairs):
            pair.steering_member = stewards[n % STEERING_MEMBERS]
        Pair.objects.bulk_update(pairs, ["steering_member"])
        supervisor_user = person("supervisor@bench.test", Role.SUPERVISOR)
        executive = person("executive@bench.test", Role.EXECUTIVE)
        supervisor = Supervisor.objects.get(programme=programme, user=supervisor_user)
        supervisor.capacity = 20
        supervisor.save()
        active = [pair for pair in pairs if pair.status == "active"]
        for pair in active[:12]:
            referral = referral_raise(
                pair=pair,
                by=pair.junior.user,
                raised_as=Role.PARTICIPANT,
                concerning="person",
                person=pair.junior.user,
                text="Our meetings keep being moved",
                urgency="routine",
            )
            referral_route(referral=referral, by=coordinator, route="individual")
            referral = referral_assign(referral=referral, supervisor=supervisor, by=coordinator)
            referral_accept(referral=referral, by=supervisor_user)
        Survey.objects.filter(programme=programme, kind=SurveyKind.EVALUATION).update(
            closes_on=timezone.localdate() - timedelta(days=1)
        )
        evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)

        matching = programme_create(
            organisation=organisation,
            name="Third cohort, being matched",
            start_date=timezone.localdate(),
            created_by=coordinator,
        )
        users = User.objects.bulk_create(
            User(email=f"m{n}@bench.test", full_name=f"Candidate {n}", password="!")
            for n in range(2 * PAIRS)
        )
        Membership.objects.bulk_create(Membership(user=u, organisation=organisation) for u in users)
        sides = ["senior" if n % 2 == 0 else "junior" for n in range(2 * PAIRS)]
        ProgrammeMember.objects.bulk_create(
            ProgrammeMember(programme=matching, user=u, role=Role.PARTICIPANT, side=side)
            for u, side in zip(users, sides, strict=True)
        )
        Profile.objects.bulk_create(
            Profile(
                programme=matching,
                user=u,
                email=u.email,
                full_name=u.full_name,
                side=side,
                department=f"Department {n % 12}",
                grade=9 if side == "senior" else 3,
                decision=Decision.SELECTED,
            )
            for n, (u, side) in enumerate(zip(users, sides, strict=True))
        )
        matching_run(programme=matching)
        participant = active[0].senior.user
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics autovacuum keeps on a live database

    def cookie(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    p = f"/o/bench/programmes/{programme.pk}"
    m = f"/o/bench/programmes/{matching.pk}"
    pages = [
        Page("coordinator", "coordinator home", f"{p}/home/"),
        Page("coordinator", "pairs dashboard", f"{p}/pairs/"),
        Page("coordinator", "matching, 300 proposals", f"{m}/matching/"),
        Page("coordinator", "timeline", f"{p}/"),
        Page("coordinator", "project plan", f"{p}/plan/"),
        Page("coordinator", "survey results", f"{p}/surveys/{evaluation.pk}/results/"),
        Page("coordinator", "pair page", f"{p}/pairs/{active[0].pk}/"),
        Page("participant", "participant's pair page", f"{p}/me/pair/"),
        Page("participant", "participant home", f"{p}/home/"),
        Page("steering", "steering member's pairs", f"{p}/steering/pairs/"),
        Page("steering", "steering home", f"{p}/home/"),
        Page("supervisor", "supervisor's caseload", f"{p}/supervision/cases/"),
        Page("supervisor", "supervisor home", f"{p}/home/"),
        Page("executive", "executive's reports", f"{p}/reports/"),
        Page("executive", "executive home", f"{p}/home/"),
    ]
    sessions = {
        "coordinator": cookie(coordinator),
        "participant": cookie(participant),
        "steering": cookie(stewards[0]),
        "supervisor": cookie(supervisor_user),
        "executive": cookie(executive),
    }
    load_sessions = [("participant", cookie(pair.senior.user)) for pair in active[:30]]
    load_sessions += [("steering", cookie(user)) for user in stewards]
    load_sessions += [(role, sessions[role]) for role in sessions for _ in range(2)]
    return {"pages": pages, "sessions": sessions, "load_sessions": load_sessions[:LOAD_USERS]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str]):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * MS[unit]


@dataclass(frozen=True)
class Latency:
    p50: float
    p99: float
    requests: int
    errors: int


def wrk(url: str, cookie: str, seconds: int, connections: int = 8, script: str = "") -> Latency:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Latency(p50, p99, requests, failed)


def check_pages(base: str, pages: list[Page], sessions: dict[str, str]) -> None:
    """Every page answers 200 to its role before anything is timed."""
    import urllib.request

    for page in pages:
        request = urllib.request.Request(
            base + page.path, headers={"Cookie": f"sessionid={sessions[page.role]}"}
        )
        with urllib.request.urlopen(request) as response:
            if response.status != 200 or "/accounts/login/" in response.url:
                raise SystemExit(f"{page.name}: {response.status} at {response.url}")


def measure_pages(base: str, data: dict, seconds: int) -> list[Row]:
    pages, sessions = data["pages"], data["sessions"]
    check_pages(base, pages, sessions)
    trivial = Page("coordinator", BASELINE, "/accounts/email/")
    p50s: dict[str, list[float]] = {page.name: [] for page in [trivial, *pages]}
    for _ in range(ROUNDS):
        for page in [trivial, *pages]:
            latency = wrk(base + page.path, sessions[page.role], seconds)
            if latency.errors or not latency.requests:
                raise SystemExit(f"{page.name}: {latency.errors} of {latency.requests} failed")
            p50s[page.name].append(latency.p50)
    baseline = statistics.median(p50s[BASELINE])
    rows = []
    for page in pages:
        value = statistics.median(p50s[page.name])
        rows.append(row(f"p50 {page.name} ({page.role})", baseline, value, GOAL_RATIO, unit="ms"))
    return rows


LOAD_SCRIPT = """
local sessions = {%(sessions)s}
local paths = {%(paths)s}
local counter = 0
setup = function(thread) thread:set("offset", counter); counter = counter + 1 end
init = function(args) n = offset end
request = function()
  n = n + 1
  local user = sessions[(n %% #sessions) + 1]
  local choices = paths[user[1]]
  local path = choices[(math.floor(n / #sessions) %% #choices) + 1]
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. user[2]})
end
"""


def measure_load(base: str, data: dict, seconds: int) -> list[Row]:
    by_role: dict[str, list[str]] = {}
    for page in data["pages"]:
        by_role.setdefault(page.role, []).append(page.path)
    sessions = ", ".join(f'{{"{role}", "{cookie}"}}' for role, cookie in data["load_sessions"])
    paths = ", ".join(
        f"{role} = {{{', '.join(repr(p).replace(chr(39), chr(34)) for p in found)}}}"
        for role, found in by_role.items()
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LOAD_SCRIPT % {"sessions": sessions, "paths": paths})
    try:
        result = wrk(base + "/", "", seconds, connections=LOAD_USERS, script=script.name)
    finally:
        os.unlink(script.name)
    return [
        {
            "measure": f"load: {LOAD_USERS} users, {seconds} s, errors of {result.requests}",
            "baseline": "0",
            "value": str(result.errors),
            "ratio": float(result.errors),
            "goal": "0 errors",
            "holds": result.errors == 0,
        },
        row("load: p99 against p50", result.p50, result.p99, LOAD_P99_RATIO, unit="ms"),
    ]


def run(*, seconds: int = 3, load: bool = True) -> list[Row]:
    keep = "PAGES_BENCH_DATABASE" in os.environ
    reuse = keep and KEPT.exists()
    if not reuse:
        scratch_database("create")
    try:
        with tempfile.TemporaryDirectory(prefix="pages-bench-") as var_dir:
            env = environment(var_dir)
            os.environ.update(env)
            import django

            django.setup()
            from django.core.management import call_command

            call_command("collectstatic", verbosity=0, interactive=False)
            data = load_kept() if reuse else build(random.Random(SEED))
            if keep and not reuse:
                save_kept(data)
            from django.db import connections

            connections.close_all()
            with gunicorn(env) as base:
                rows = measure_pages(base, data, seconds)
                if load:
                    rows += measure_load(base, data, LOAD_SECONDS)
            return rows
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not keep:
            scratch_database("drop")


def save_kept(data: dict) -> None:
    pages = [[page.role, page.name, page.path] for page in data["pages"]]
    KEPT.write_text(json.dumps({**data, "pages": pages}))


def load_kept() -> dict:
    data = json.loads(KEPT.read_text())
    return {**data, "pages": [Page(*page) for page in data["pages"]]}


def rows() -> list[Row]:
    """For `make bench`: the key pages and the load test."""
    return run(seconds=3, load=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="seconds of wrk per page a round")
    parser.add_argument("--load", action="store_true", help="also the 50-user load test")
    args = parser.parse_args()
    print_table(run(seconds=args.seconds, load=args.load))


if __name__ == "__main__":
    main()
