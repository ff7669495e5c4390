"""The reminder sweep scales with what is due (issue 17, point 5), measured against itself.

Run from the repository root: .venv/bin/python bench/sweep_bench.py

Two scratch PostgreSQL databases (127.0.0.1, user postgres), made from one migrated template and
filled with bulk inserts: 10,000 organisations of which 1% have something due, and, as the
baseline, 100 organisations that all have the same due work. Every organisation has a running
programme (its people, ten stages, tasks, an active pair with its meetings and check-ins, an
overdue task it was already reminded of); a due one also has a stage about to start, a task
that fell due yesterday, and a pair gone quiet whose steering check-in is overdue (five
reminders to four people). One of the quiet organisations runs 300 such programmes.

Measured by a process for each database, warmed up on a few sweeps, in two alternate rounds of
the two (the better of each counts), each round inside a transaction rolled back after it, so
that every round finds the same due work:
- the sweep's time: the beat's query of the organisations with something due, then each due
  organisation's sweep as its task runs it (loaded, in its scope). Goal: 10,000 organisations
  take at most 2x the time of 100 with the same due work.
- the sweep's queries, the same way. Goal: no more for 10,000 than for 100 (they grow with what
  is due, and the beat's is one query).
- a sweep with nothing new: an organisation's second sweep, and the sweep of an organisation
  with 300 programmes against one with one. Goal: the same number of queries.

`rows()` returns the rows for `make bench`; `main()` prints them as well. The scratch databases
are dropped at the end, even on error.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # the shared table, when run as a script
sys.path.insert(0, str(ROOT))  # the project's apps, in the subprocesses

from table import Row, last_json_line, print_table, row  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
PREFIX = f"mentoring_sweep_bench_{os.getpid()}"
SCENARIOS = {"baseline": (100, 100), "large": (10_000, 100)}  # organisations, of them due
BIG_PROGRAMMES = 300
ROUNDS = 2
WARM_UP = 5  # due organisations swept (and rolled back) before the first round
TIME_GOAL = 2.0
ZONES = ["Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Lisbon"]
BATCH = 5000


# --- The parent: scratch databases and subprocesses ----------------------------------------------


def database(name: str) -> str:
    return f"{PREFIX}_{name}"


def environment(name: str, var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database(name)}",
        "VAR_DIR": var_dir,
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def in_subprocess(name: str, var_dir: str, *args: str) -> dict:
    """Run this module on one database; its last line of output is its result, as JSON."""
    return last_json_line(
        [sys.executable, __file__, "--database", name, *args],
        f"sweep_bench {args}",
        env=environment(name, var_dir),
        cwd=ROOT,
    )


def measured(var_dir: str, now: datetime) -> dict[str, list[dict]]:
    """Alternate rounds of the scenarios, each measured by a process of its own that stays up
    between rounds (so Django starts once), told when to run a round by a line on its input."""
    args = ["--measure", "--now", now.isoformat()]
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--database", name, *args],
            env=environment(name, var_dir),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in SCENARIOS
    }
    rounds: dict[str, list[dict]] = {name: [] for name in SCENARIOS}
    try:
        for _ in range(ROUNDS):
            for name, worker in workers.items():
                worker.stdin.write("round\n")
                worker.stdin.flush()
                answer = worker.stdout.readline()
                if not answer:
                    raise RuntimeError(f"sweep_bench's {name} measuring process ended")
                rounds[name].append(json.loads(answer))
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait(timeout=60)
    return rounds


def postgres(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


def drop(name: str) -> None:
    postgres("dropdb", *PG, "--if-exists", "--force", database(name))


def run() -> list[Row]:
    now = datetime.combine(datetime.now(UTC).date(), clock(12), tzinfo=UTC)  # midday in Europe
    names = ["template", *SCENARIOS]
    try:
        with tempfile.TemporaryDirectory(prefix="sweep-bench-") as var_dir:
            started = time.perf_counter()
            drop("template")
            postgres("createdb", *PG, database("template"))
            in_subprocess("template", var_dir, "--migrate")
            for name in SCENARIOS:
                drop(name)
                postgres("createdb", *PG, "-T", database("template"), database(name))
            built = {
                name: in_subprocess(name, var_dir, "--build", name, "--now", now.isoformat())
                for name in SCENARIOS
            }
            print(f"  built in {time.perf_counter() - started:.0f} s: {built}", flush=True)
            rounds = measured(var_dir, now)
            print(f"  measured in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        for name in names:
            drop(name)
    return table(rounds)


def table(rounds: dict[str, list[dict]]) -> list[Row]:
    def best(name: str, key: str) -> float:
        return min(r[key] for r in rounds[name])

    def worst(name: str) -> dict[str, int]:
        return {
            key: max(r[key] for r in rounds[name])
            for key in rounds[name][0]
            if key.endswith("queries") or key == "organisations_due"
        }

    base, large = worst("baseline"), worst("large")
    for name in rounds:
        find = ", ".join(f"{1000 * r['find_seconds']:.0f} ms" for r in rounds[name])
        print(f"  {name}: {worst(name)}; the beat's query took {find}", flush=True)
    due = base["organisations_due"]
    organisations = SCENARIOS["large"][0]
    return [
        row(
            f"sweep time, {organisations:,} organisations ({due} due) vs {due}",
            1000 * best("baseline", "seconds"),
            1000 * best("large", "seconds"),
            TIME_GOAL,
            "ms",
        ),
        row(
            f"sweep queries, {organisations:,} organisations ({due} due) vs {due}",
            base["queries"],
            large["queries"],
            1,
            "q",
        ),
        row(
            "the beat's query of what is due, 10,000 organisations vs 100",
            base["find_queries"],
            large["find_queries"],
            1,
            "q",
        ),
        row(
            "a sweep with nothing new, 10,000 organisations vs 100",
            base["nothing_new_queries"],
            large["nothing_new_queries"],
            1,
            "q",
        ),
        row(
            f"a sweep with nothing new, {BIG_PROGRAMMES} programmes vs 1",
            large["one_programme_queries"],
            large["big_organisation_queries"],
            1,
            "q",
        ),
    ]


def rows() -> list[Row]:
    return run()


def main() -> None:
    print_table(rows())


# --- The subprocesses: migrate, build, measure ---------------------------------------------------


def build(organisations: int, due: int, now: datetime) -> dict:
    """Fill the database: `organisations`, the first `due` of them with something due."""
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from notifications.models import OrganisationSweep
    from organisations.models import Organisation

    with scopes_disabled(), transaction.atomic():
        made = Organisation.objects.bulk_create(
            [
                Organisation(name=f"Organisation {n}", slug=f"org-{n}", time_zone=ZONES[n % 4])
                for n in range(organisations)
            ],
            batch_size=BATCH,
        )
        swept = now - timedelta(minutes=5)  # every organisation was swept before
        OrganisationSweep.objects.bulk_create(
            [OrganisationSweep(organisation=o, last_finished_at=swept) for o in made],
            batch_size=BATCH,
        )
        programmes = [(o, n < due) for n, o in enumerate(made)]
        quiet = made[due] if due < organisations else None
        if quiet is not None:  # one quiet organisation runs many programmes
            programmes += [(quiet, False)] * (BIG_PROGRAMMES - 1)
        programmes_build(programmes, now.date())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a load like this
    return {
        "organisations": organisations,
        "due": due,
        "big_organisation": quiet.pk if quiet else None,
    }


def programmes_build(programmes: list, today: date) -> None:
    """A running programme in each organisation given (as (organisation, with something due)),
    every row made in a few bulk inserts."""
    from notifications.models import Reminder, ReminderMark
    from organisations.models import Membership, User
    from organisations.roles import Role, Side
    from pairs.models import Meeting, Pair, PairStatus, Profile, SteeringCheckIn
    from pairs.services import pair_figures_refresh
    from programmes.models import (
        Programme,
        ProgrammeMember,
        Stage,
        StageStatus,
        StageTask,
        TaskStatus,
    )

    def days(n: int) -> date:
        return today + timedelta(days=n)

    made = Programme.objects.bulk_create(
        [
            Programme(
                organisation=o,
                name=f"Programme {n}",
                start_date=days(-120),
                relationships_start=days(-60),
            )
            for n, (o, _) in enumerate(programmes)
        ],
        batch_size=BATCH,
    )
    due_of = {p.pk: is_due for p, (_, is_due) in zip(made, programmes, strict=True)}
    # A due programme's four people get its e-mails. A quiet one has its coordinator, who is
    # also its pair's steering member, and two participants invited without an account yet: the
    # query of what is due reads none of these, and the bench builds 10,000 of them.
    member_roles = {
        "coordinator": (Role.COORDINATOR, ""),
        "steering": (Role.STEERING, ""),
        "senior": (Role.PARTICIPANT, Side.SENIOR),
        "junior": (Role.PARTICIPANT, Side.JUNIOR),
    }
    roles_of = {p.pk: list(member_roles) if due_of[p.pk] else ["coordinator"] for p in made}
    users = User.objects.bulk_create(
        [
            User(
                email=f"{role}-{p.pk}@bench.test", full_name=f"{role.title()} {p.pk}", password="!"
            )
            for p in made
            for role in roles_of[p.pk]
        ],
        batch_size=BATCH,
    )
    people = dict(zip([(p.pk, role) for p in made for role in roles_of[p.pk]], users, strict=True))
    for p in made:
        people.setdefault((p.pk, "steering"), people[p.pk, "coordinator"])
    Membership.objects.bulk_create(
        [
            Membership(user=people[p.pk, role], organisation=p.organisation)
            for p in made
            for role in roles_of[p.pk]
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    ProgrammeMember.objects.bulk_create(
        [
            ProgrammeMember(programme=p, user=people[p.pk, name], role=role, side=side)
            for p in made
            for name, (role, side) in member_roles.items()
            if name in roles_of[p.pk]
        ],
        batch_size=BATCH,
    )
    stages = []
    for p in made:
        for number in range(1, 11):
            done = number <= 5
            start = days(-120 + 12 * number) if done else days(30 + 7 * number)
            if number == 6 and due_of[p.pk]:
                start = days(3)  # starts within the lead time: due
            stages.append(
                Stage(
                    programme=p,
                    number=number,
                    name=f"Stage {number}",
                    planned_start=start,
                    planned_end=start + timedelta(days=10),
                    status=StageStatus.DONE if done else StageStatus.NOT_STARTED,
                )
            )
    stages = Stage.objects.bulk_create(stages, batch_size=BATCH)
    stage = {(s.programme_id, s.number): s for s in stages}
    tasks = []
    for p in made:
        coordinator, steering = people[p.pk, "coordinator"], people[p.pk, "steering"]
        plan = [  # stage, title, due (days from today), status, owner
            (2, "Done", -90, TaskStatus.DONE, coordinator),
            (5, "Reminded", -10, TaskStatus.TODO, coordinator),
            (7, "Later", 40, TaskStatus.TODO, steering),
        ]
        if due_of[p.pk]:
            plan.append((5, "Fell due yesterday", -1, TaskStatus.TODO, steering))
        tasks += [
            StageTask(
                programme=p,
                stage=stage[p.pk, number],
                title=title,
                due_date=days(due),
                status=status,
                responsible_user=owner,
            )
            for number, title, due, status, owner in plan
        ]
    tasks = StageTask.objects.bulk_create(tasks, batch_size=BATCH)
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                programme=p,
                user=people.get((p.pk, side)),
                email=f"{side}-{p.pk}@bench.test",
                full_name=f"{side.title()} {p.pk}",
                side=side,
            )
            for p in made
            for side in ("senior", "junior")
        ],
        batch_size=BATCH,
    )
    published = datetime.combine(days(-60), clock(9), tzinfo=UTC)
    pairs = Pair.objects.bulk_create(
        [
            Pair(
                programme=p,
                senior=profiles[2 * i],
                junior=profiles[2 * i + 1],
                status=PairStatus.ACTIVE,
                steering_member=people[p.pk, "steering"],
                published_at=published,
            )
            for i, p in enumerate(made)
        ],
        batch_size=BATCH,
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                pair=pair,
                date=days(-30 if due_of[pair.programme_id] else -5),
                duration_minutes=60,
                mode="in_person",
            )
            for pair in pairs
        ],
        batch_size=BATCH,
    )
    SteeringCheckIn.objects.bulk_create(
        [
            SteeringCheckIn(
                pair=pair,
                date=days(-40 if due_of[pair.programme_id] else -7),
                status="on_track",
                by=pair.steering_member,
            )
            for pair in pairs
        ],
        batch_size=BATCH,
    )
    pair_figures_refresh(pairs=Pair.objects.filter(programme__in=made))
    # What an earlier sweep recorded, sent and marked: the overdue task everyone has.
    reminded = [t for t in tasks if t.title == "Reminded"]
    sent = datetime.combine(days(-9), clock(7), tzinfo=UTC)
    Reminder.objects.bulk_create(
        [
            Reminder(
                organisation_id=t.programme.organisation_id,
                topic=f"programme:{t.programme_id}",
                recipient=t.responsible_user,
                subject="Reminded",
                body="",
                key=f"task-overdue:{t.pk}:{t.due_date.isoformat()}:{t.responsible_user_id}",
                due_at=sent,
                sent_at=sent,
            )
            for t in reminded
        ],
        batch_size=BATCH,
    )
    ReminderMark.objects.bulk_create(
        [
            ReminderMark(
                organisation_id=t.programme.organisation_id,
                topic=f"programme:{t.programme_id}",
                key=f"task-overdue:{t.pk}:{t.due_date.isoformat()}",
            )
            for t in reminded
        ],
        batch_size=BATCH,
    )


class Counted:
    """Counts the queries run on a connection while it is entered (Django's own log keeps only
    the last 9,000, fewer than a round runs)."""

    def __init__(self, connection) -> None:
        self.connection, self.count = connection, 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> "Counted":
        self._wrapping = self.connection.execute_wrapper(self)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapping.__exit__(*exc)


def measure(now: datetime, big_organisation: int | None, warm_up: int = 0) -> dict:
    """One round, rolled back after it: the beat's query and each due organisation's sweep as
    its task runs it, timed and counted; then sweeps with nothing new, counted. With `warm_up`,
    only that many sweeps, to warm the process and the database up."""
    from django.db import connection, transaction
    from django_scopes import scope, scopes_disabled

    from notifications.selectors import work_due
    from notifications.services import organisation_sweep
    from organisations.models import Organisation

    def sweep_of(organisation_id: int, due: set[str] | None = None) -> None:
        with scopes_disabled():
            organisation = Organisation.objects.get(pk=organisation_id)  # as the task loads it
        with scope(organisation=organisation):
            organisation_sweep(organisation=organisation, now=now, due=due)

    def queries_of(work) -> int:
        with Counted(connection) as queries:
            work()
        return queries.count

    if warm_up:  # templates compiled, caches filled, the database's pages read
        with transaction.atomic():
            for organisation_id, work in sorted(work_due(now).items())[:warm_up]:
                sweep_of(organisation_id, work)
            transaction.set_rollback(True)
        return {}
    result: dict = {}
    with transaction.atomic():
        with Counted(connection) as queries:
            started = time.perf_counter()
            due = work_due(now)
            result["find_seconds"] = time.perf_counter() - started
            result["find_queries"] = queries.count
            for organisation_id, work in sorted(due.items()):
                sweep_of(organisation_id, work)
            result["seconds"] = time.perf_counter() - started
        result["organisations_due"] = len(due)
        result["queries"] = queries.count
        with scopes_disabled():  # the first was due and is swept; the last has one programme
            a_due_one = Organisation.objects.order_by("pk").values_list("pk", flat=True)[0]
            one_programme = Organisation.objects.order_by("-pk").values_list("pk", flat=True)[0]
        result["nothing_new_queries"] = queries_of(lambda: sweep_of(a_due_one))
        result["one_programme_queries"] = queries_of(lambda: sweep_of(one_programme))
        if big_organisation:
            result["big_organisation_queries"] = queries_of(lambda: sweep_of(big_organisation))
        transaction.set_rollback(True)
    return result


def subprocess_main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--build", choices=SCENARIOS)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--now", type=datetime.fromisoformat)
    args = parser.parse_args()
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps({"migrated": True}))
    elif args.build:
        started = time.perf_counter()
        result = build(*SCENARIOS[args.build], args.now)
        result["seconds"] = round(time.perf_counter() - started, 1)
        Path(os.environ["VAR_DIR"], f"{args.database}.json").write_text(json.dumps(result))
        print(json.dumps(result))
    else:  # a round for each line the parent sends
        built = json.loads(Path(os.environ["VAR_DIR"], f"{args.database}.json").read_text())
        measure(args.now, built["big_organisation"], warm_up=WARM_UP)
        for _ in sys.stdin:
            print(json.dumps(measure(args.now, built["big_organisation"])), flush=True)


if __name__ == "__main__":
    if "--database" in sys.argv:
        subprocess_main()
    else:
        with contextlib.suppress(KeyboardInterrupt):
            main()
