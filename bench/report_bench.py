"""Times the evaluation report PDF for a 300-pair programme against the small summary report.

Run from the repository root: .venv/bin/python bench/report_bench.py [--save DIR]

It creates a scratch PostgreSQL database (127.0.0.1, user postgres), migrates it, builds a
programme of 300 pairs (600 participants) with meetings and full survey data, renders the report
inside the organisation's scope, and drops the database at the end, even on error. With --save,
the rendered PDFs (the full report and one with no survey responses) are written to DIR.
"""

import argparse
import contextlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so that the project's apps import when run as a script

PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE = f"mentoring_report_bench_{os.getpid()}"
PAIRS = 300
RESPONSE_RATE = 0.8
RUNS = 3
TARGET_MS_PER_PAGE = 250
TARGET_PEAK_MIB = 250
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


def best_ms(run: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return 1000 * min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the rendered PDFs to this directory")
    args = parser.parse_args()
    scratch_database("create")
    try:
        with tempfile.TemporaryDirectory(prefix="report-bench-") as var_dir:
            configure(var_dir)
            run(args.save)
    finally:
        with contextlib.suppress(Exception):  # Django may never have been set up
            from django.db import connections

            connections.close_all()
        scratch_database("drop")


def run(save: Path | None) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope

    from organisations.roles import OrgRole
    from reports.evaluation import evaluation_html
    from reports.pdf import html_to_pdf
    from reports.summary import summary_html

    def render_evaluation_report(programme):
        return html_to_pdf(evaluation_html(programme))

    def render_programme_summary(programme):
        return html_to_pdf(summary_html(programme))

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    build_start = time.perf_counter()
    organisation, _ = bench_organisation(OrgRole.ADMIN)
    with scope(organisation=organisation):
        programme = build_programme(
            rng,
            name="Reverse mentoring 2025: Leading across difference",
            pairs=PAIRS,
            answered=True,
        )
        empty = build_programme(rng, name="Pilot with no responses yet", pairs=12, answered=False)
    built = time.perf_counter() - build_start

    with scope(organisation=organisation):
        evaluation_ms, report = best_ms(lambda: render_evaluation_report(programme))
        summary_ms, summary = best_ms(lambda: render_programme_summary(programme))
        with CaptureQueriesContext(connection) as full_queries:
            render_evaluation_report(programme)
        with CaptureQueriesContext(connection) as empty_queries:
            empty_report = render_evaluation_report(empty)
        tracemalloc.start()
        render_evaluation_report(programme)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    per_page = evaluation_ms / report.page_count
    summary_per_page = summary_ms / summary.page_count
    print(f"data: {PAIRS} pairs, {2 * PAIRS} participants, built in {built:.1f} s")
    print(
        f"evaluation report (best of {RUNS}): {evaluation_ms:.0f} ms, {report.page_count} pages, "
        f"{per_page:.0f} ms/page (target <= {TARGET_MS_PER_PAGE}) "
        f"{'OK' if per_page <= TARGET_MS_PER_PAGE else 'OVER'}"
    )
    print(
        f"queries: {len(full_queries)} for {PAIRS} pairs, {len(empty_queries)} for 12 pairs "
        "with no responses"
    )
    print(
        f"summary report baseline (best of {RUNS}): {summary_ms:.0f} ms, "
        f"{summary.page_count} page(s), {summary_per_page:.0f} ms/page"
    )
    print(f"ratio, evaluation ms/page to summary ms/page: {per_page / summary_per_page:.2f}")
    print(
        f"peak memory: {peak_mib:.0f} MiB max RSS (target <= {TARGET_PEAK_MIB}) "
        f"{'OK' if peak_mib <= TARGET_PEAK_MIB else 'OVER'}; "
        f"tracemalloc peak during one render {traced_peak / 2**20:.1f} MiB"
    )
    print(f"report without responses: {empty_report.page_count} pages")
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "evaluation.pdf").write_bytes(report.content)
        (save / "evaluation-empty.pdf").write_bytes(empty_report.content)
        print(f"saved: {save / 'evaluation.pdf'}, {save / 'evaluation-empty.pdf'}")


if __name__ == "__main__":
    main()
