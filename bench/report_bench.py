"""The evaluation report PDF for a 300-pair programme (issue 17, point 4), against a trivial
document rendered in the same process.

Run from the repository root: .venv/bin/python bench/report_bench.py [--save DIR]

It creates a scratch PostgreSQL database (127.0.0.1, user postgres), migrates it and builds a
programme of 300 pairs (600 participants) with meetings and full survey data, in a process of
its own, and analyses the tables as autovacuum would. A second, fresh process then does what
the worker does: Django set up, the report rendered inside the organisation's scope, from its
data to the PDF (`reports.tasks` minus the stored file). It renders the report and the trivial
document in turn, best of seven each, the surveys' counts never found in the cache (as for the
first report after a survey closes). The trivial document is the honest floor for that many
pages: the same page size and margins, the report's two shipped font faces (@font-face from
static/fonts), the same page count, one plain paragraph a page, through the same
`html_to_pdf`. Goals: at most 150 ms a page, at most 10x the trivial document, and the
rendering process's peak resident memory under 200 MiB. The queries are counted for 300 pairs
and for a 12-pair programme with no responses: they must not grow. The database is dropped at
the end, even on error. With --save, the rendered PDFs (the report, one with no survey
responses, and the trivial document) are written to DIR.

`rows()` returns the rows (measure, baseline, value, ratio, goal, holds) for `make bench`.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so that the project's apps import when run as a script
sys.path.insert(0, str(ROOT / "bench"))  # the shared table

from table import Row, last_json_line, measured, print_table  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE = f"mentoring_report_bench_{os.getpid()}"
PAIRS = 300
RESPONSE_RATE = 0.8
RUNS = 7
TARGET_MS_PER_PAGE = 150
TARGET_RATIO = 10.0
TARGET_PEAK_MIB = 200
PROGRAMME = "Reverse mentoring 2025: Leading across difference"
EMPTY_PROGRAMME = "Pilot with no responses yet"
SEED = 20240601

THEMES = [
    "Promotion panels reward people who sound like the panel",
    "Informal networks decide who hears about stretch roles",
    "Flexible working is allowed on paper but judged in practice",
    "Meetings favour whoever speaks first and loudest",
    "Feedback to junior staff is vague and rarely written down",
    "People from regional offices are invisible to the executive",
    "Acting-up opportunities go to the same few people",
    "Nobody owns what happens after a grievance is closed",
    "Jargon and acronyms keep newcomers out of decisions",
    "Part-time staff miss the conversations that matter",
    "Recruitment still leans on referrals from existing staff",
    "Senior leaders rarely see the rota pressures on the front line",
]
LEARNED = [
    "How decisions really get made above my grade",
    "That my experience is not everyone's experience",
    "To ask before assuming what someone needs",
    "How much energy colleagues spend fitting in",
    "That I can challenge a senior colleague and be heard",
    "How the budget round works and who influences it",
    "To listen for longer before offering a solution",
    "That my network is narrower than I thought",
]


def scratch_database(action: str) -> None:
    if action == "create":
        subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", *PG, DATABASE], check=True)
    else:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", DATABASE], check=True)


def configure(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ["VAR_DIR"] = var_dir
    os.environ["REDIS_URL"] = ""  # a file cache of its own in VAR_DIR, never a shared Redis
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()


def bench_organisation(coordinator_role: str):
    """The benchmarks' organisation and its coordinator (who holds `coordinator_role` in it)."""
    from django_scopes import scopes_disabled

    from organisations.models import Membership, Organisation, User

    with scopes_disabled():
        organisation = Organisation.objects.create(
            name="Northbridge Health Trust", slug="bench", time_zone="Europe/London"
        )
        coordinator = User.objects.create_user("coordinator@bench.test", full_name="Coordinator")
        Membership.objects.create(
            user=coordinator, organisation=organisation, role=coordinator_role
        )
    return organisation, coordinator


def build_programme(rng: random.Random, *, name: str, pairs: int, answered: bool):
    """A programme whose relationships began seven months ago, with `pairs` pairs; `answered`
    gives it meetings, finished stages and survey responses."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from organisations.models import Membership, Organisation, User
    from organisations.roles import Role, Side
    from pairs.models import Decision, Meeting, MeetingMode, Pair, PairStatus, Profile
    from pairs.services import pair_figures_refresh
    from programmes.models import ProgrammeMember
    from programmes.services import programme_create, programme_setup_update

    organisation = Organisation.objects.get(slug="bench")
    today = timezone.localdate()
    relationships_start = today - relativedelta(months=7)
    coordinator = User.objects.get(email="coordinator@bench.test")
    programme = programme_create(
        organisation=organisation,
        name=name,
        start_date=relationships_start - relativedelta(months=2) - timedelta(weeks=9),
        relationships_start=relationships_start,
        created_by=coordinator,
    )
    programme_setup_update(
        programme=programme,
        purpose=(
            "To give colleagues from under-represented groups a direct line of influence to "
            "senior leaders, and to give senior leaders first-hand insight into how our culture, "
            "processes and unwritten rules are experienced by people unlike them.\n\n"
            "The programme is one part of the Trust's inclusion strategy and reports to the "
            "People Committee of the board."
        ),
        scope="Bands 2-6 and the senior leadership group across all four hospital sites.",
        planned_pairs=pairs,
    )
    tag = programme.pk
    users = User.objects.bulk_create(
        User(email=f"p{tag}-{i}@bench.test", full_name=f"Participant {i}", password="!")
        for i in range(2 * pairs)
    )
    Membership.objects.bulk_create(Membership(user=u, organisation=organisation) for u in users)
    sides = [Side.SENIOR if i % 2 == 0 else Side.JUNIOR for i in range(len(users))]
    ProgrammeMember.objects.bulk_create(
        ProgrammeMember(programme=programme, user=u, role=Role.PARTICIPANT, side=side)
        for u, side in zip(users, sides, strict=True)
    )
    profiles = Profile.objects.bulk_create(
        Profile(
            programme=programme,
            user=u,
            email=u.email,
            full_name=u.full_name,
            side=side,
            decision=Decision.SELECTED,
        )
        for u, side in zip(users, sides, strict=True)
    )
    published = timezone.now() - relativedelta(months=7)
    statuses = [PairStatus.ACTIVE] * pairs
    if answered:
        for index in rng.sample(range(pairs), pairs // 5):
            statuses[index] = PairStatus.COMPLETED
        for index in rng.sample([i for i, s in enumerate(statuses) if s == "active"], pairs // 16):
            statuses[index] = PairStatus.ENDED_EARLY
    pair_rows = Pair.objects.bulk_create(
        Pair(
            programme=programme,
            senior=profiles[2 * i],
            junior=profiles[2 * i + 1],
            status=statuses[i],
            published_at=published,
        )
        for i in range(pairs)
    )
    if not answered:
        return programme
    Meeting.objects.bulk_create(
        (
            Meeting(
                pair=pair,
                date=relationships_start + timedelta(days=rng.randint(3, 200)),
                duration_minutes=rng.choice([45, 60, 75, 90]),
                mode=rng.choice(MeetingMode.values),
                logged_by=pair.senior.user,
            )
            for pair in pair_rows
            for _ in range(
                rng.randint(0, 3) if pair.status == PairStatus.ENDED_EARLY else rng.randint(2, 9)
            )
        ),
        batch_size=2000,
    )
    pair_figures_refresh(pairs=Pair.objects.filter(programme=programme))
    finish_stages(programme, rng)
    answer_surveys(programme, rng, users, sides)
    return programme


def finish_stages(programme, rng: random.Random) -> None:
    """Stages 1-9 done, two of them late; stage 10 under way."""
    from django.utils import timezone

    from programmes.models import Stage, StageStatus, StageTask, TaskStatus

    late_days = {3: 9, 7: 4}
    tasks = list(StageTask.objects.filter(programme=programme).select_related("stage"))
    for task in tasks:
        number = task.stage.number
        if number <= 9:
            finished = task.stage.planned_end - timedelta(days=rng.randint(0, 5))
            if task.position == 0 and number in late_days:
                finished = task.stage.planned_end + timedelta(days=late_days[number])
            task.status = TaskStatus.DONE
            task.completed_at = timezone.make_aware(
                datetime.combine(finished, datetime.min.time()) + timedelta(hours=15)
            )
    StageTask.objects.bulk_update(tasks, ["status", "completed_at"])
    Stage.objects.filter(programme=programme, number__lte=9).update(status=StageStatus.DONE)
    Stage.objects.filter(programme=programme, number=10).update(status=StageStatus.IN_PROGRESS)


def answer_surveys(programme, rng: random.Random, users, sides) -> None:
    """~80% of participants answer every question of the baseline, initial and evaluation
    surveys; the evaluation shows some improvement, more on the senior side's reciprocal
    learning."""
    from django.utils import timezone

    from surveys.models import Answer, Question, Response, Survey

    def agree(mean: float) -> int:
        return min(5, max(1, round(rng.gauss(mean, 0.9))))

    def value(question, survey_kind: str, side: str):
        if question.kind == "text":
            if question.key == "themes":
                return rng.choice(THEMES) if rng.random() < 0.6 else None
            return rng.choice(LEARNED) if rng.random() < 0.5 else None
        if question.kind == "single":
            return rng.choice(question.choices)
        lift = 0.0
        if survey_kind == "evaluation":
            lift = 0.5 + (0.4 if question.category == "reciprocal" and side == "senior" else 0)
            lift += 0.2 if question.category == "emotional" and side == "junior" else 0
        if question.kind == "scale10":
            return min(10, max(0, round(rng.gauss(5.5 + 2 * lift, 2))))
        return agree(3.0 + lift)

    now = timezone.now()
    for survey in Survey.objects.filter(programme=programme):
        questions = list(Question.objects.filter(survey=survey))
        chosen = rng.sample(range(len(users)), round(RESPONSE_RATE * len(users)))
        responses = Response.objects.bulk_create(
            Response(survey=survey, respondent=users[i], side=sides[i], submitted_at=now)
            for i in chosen
        )
        answers = []
        for response in responses:
            for question in questions:
                given = value(question, survey.kind, response.side)
                if given is not None:
                    answers.append(Answer(response=response, question=question, value=given))
        Answer.objects.bulk_create(answers, batch_size=5000)


def trivial_html(pages: int) -> str:
    """`pages` pages of one plain paragraph each, in the report's page size, margins and two
    shipped faces (a bold run in each paragraph, so both are embedded as in the report)."""
    style = (
        '@font-face { font-family: "Report Sans"; src: url(fonts/DejaVuSans.ttf); '
        "font-weight: normal; }\n"
        '@font-face { font-family: "Report Sans"; src: url(fonts/DejaVuSans-Bold.ttf); '
        "font-weight: bold; }\n"
        "@page { size: A4; margin: 22mm 18mm 20mm 18mm; }\n"
        'html { font-family: "Report Sans", sans-serif; font-size: 9.5pt; line-height: 1.45; }\n'
        "p + p { break-before: page; }"
    )
    paragraph = (
        "<p><strong>Page {n}.</strong> Participants answered the same outcome questions in the "
        "baseline survey, before the relationships began, and in the evaluation survey, about "
        "six months later. Means are rounded to one decimal place.</p>"
    )
    body = "".join(paragraph.format(n=n) for n in range(1, pages + 1))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trivial document'
        f"</title><style>{style}</style></head><body>{body}</body></html>"
    )


def status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status: VmRSS now, VmHWM its peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


# --- the two stages, each in a process of its own -----------------------------------------------


def stage_build() -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope

    from organisations.roles import OrgRole

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    start = time.perf_counter()
    organisation, _ = bench_organisation(OrgRole.ADMIN)
    with scope(organisation=organisation):
        full = build_programme(rng, name=PROGRAMME, pairs=PAIRS, answered=True)
        empty = build_programme(rng, name=EMPTY_PROGRAMME, pairs=12, answered=False)
    with connection.cursor() as cursor:
        # Statistics, as autovacuum keeps them for a live database: without them the planner
        # takes the freshly loaded tables for empty (the paired-change join ran 0.3 s, not 0.05).
        cursor.execute("ANALYZE")
    return {
        "organisation": organisation.pk,
        "full": full.pk,
        "empty": empty.pk,
        "built_seconds": time.perf_counter() - start,
    }


def stage_render(built: dict, save: Path | None) -> dict[str, object]:
    """What the worker does, `RUNS` times, the trivial document in between."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope, scopes_disabled

    from organisations.models import Organisation
    from programmes.models import Programme
    from reports.evaluation import evaluation_html
    from reports.pdf import html_to_pdf

    before_mib = status_mib("VmRSS")
    with scopes_disabled():
        organisation = Organisation.objects.get(pk=built["organisation"])
    with scope(organisation=organisation):

        def report(pk: int):
            # Read afresh each time, as the task does from the report's id.
            return html_to_pdf(evaluation_html(Programme.objects.get(pk=pk)))

        first = report(built["full"])
        trivial = trivial_html(first.page_count)
        report_times, trivial_times = [], []
        for _ in range(RUNS):
            cache.clear()  # the surveys' counts not kept yet, as for a survey just closed
            start = time.perf_counter()
            rendered = report(built["full"])
            report_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            floor = html_to_pdf(trivial)
            trivial_times.append(time.perf_counter() - start)
        cache.clear()
        with CaptureQueriesContext(connection) as full_queries:
            report(built["full"])
        cache.clear()
        with CaptureQueriesContext(connection) as empty_queries:
            empty = report(built["empty"])
    if floor.page_count != rendered.page_count:
        raise RuntimeError(f"trivial document: {floor.page_count} pages, not {rendered.page_count}")
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "evaluation.pdf").write_bytes(rendered.content)
        (save / "evaluation-empty.pdf").write_bytes(empty.content)
        (save / "trivial.pdf").write_bytes(floor.content)
    return {
        "pages": rendered.page_count,
        "report_ms": 1000 * min(report_times),
        "trivial_ms": 1000 * min(trivial_times),
        "full_queries": len(full_queries),
        "empty_queries": len(empty_queries),
        "before_mib": before_mib,
        "peak_mib": status_mib("VmHWM"),
    }


def _stage(name: str, var_dir: str, *args: str) -> dict:
    """Run a stage in a fresh interpreter and read the JSON line it prints last."""
    command = [sys.executable, __file__, "--stage", name, "--database", DATABASE, "--var", var_dir]
    return last_json_line([*command, *args], f"report_bench stage {name}", cwd=ROOT)


def rows(save: Path | None = None) -> list[Row]:
    """The measures, for `make bench` (bench/run_all.py)."""
    scratch_database("create")
    try:
        with tempfile.TemporaryDirectory(prefix="report-bench-") as var_dir:
            built = _stage("build", var_dir)
            extra = ["--save", str(save)] if save else []
            found = _stage("render", var_dir, "--built", json.dumps(built), *extra)
    finally:
        scratch_database("drop")
    pages = found["pages"]
    per_page = found["report_ms"] / pages
    floor_per_page = found["trivial_ms"] / pages
    trivial = f"trivial document of {pages} pages, same fonts, same process"
    return [
        measured(
            f"evaluation report, {PAIRS} pairs, {pages} pages: ms a page (baseline: a {trivial})",
            floor_per_page,
            per_page,
            "ms",
            f"<= {TARGET_RATIO:g}x",
            per_page <= TARGET_RATIO * floor_per_page,
        ),
        measured(
            "evaluation report: ms a page, data to PDF (baseline: the trivial document)",
            floor_per_page,
            per_page,
            "ms",
            f"<= {TARGET_MS_PER_PAGE} ms",
            per_page <= TARGET_MS_PER_PAGE,
        ),
        measured(
            "evaluation report: the rendering process's peak RSS, MiB (baseline: its RSS "
            "before the first render)",
            found["before_mib"],
            found["peak_mib"],
            "MiB",
            f"< {TARGET_PEAK_MIB} MiB",
            found["peak_mib"] < TARGET_PEAK_MIB,
        ),
        measured(
            f"evaluation report: queries for {PAIRS} pairs (baseline: 12 pairs, no responses)",
            found["empty_queries"],
            found["full_queries"],
            "",
            "no more",
            found["full_queries"] <= found["empty_queries"],
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the rendered PDFs to this directory")
    parser.add_argument("--stage", choices=["build", "render"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    parser.add_argument("--built", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage is None:
        print_table(rows(args.save))
        return
    global DATABASE
    DATABASE = args.database
    configure(args.var)
    if args.stage == "build":
        result = stage_build()
    else:
        result = stage_render(json.loads(args.built), args.save)
    from django.db import connections

    connections.close_all()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
