"""The executive's evaluation report: rendered by the worker, figures checked independently."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader

from organisations.roles import Side
from pairs.models import Meeting, Pair, PairStatus
from pairs.services import (
    decision_record,
    matching_publish,
    matching_run,
    meeting_log,
    pair_status_set,
    participant_add,
)
from programmes.models import Programme
from reports.evaluation import evaluation_html
from reports.evaluation.sections import SECTIONS, Section, chapters
from reports.models import ProgrammeReport, ReportKind, ReportStatus
from surveys.models import Survey, SurveyKind
from surveys.services import response_save

from .. import factories
from ..factories import ALL_ROLES
from ..urls import programme_url


def build(programme, coordinator, pairs: int = 6) -> list:
    users = []
    for n in range(pairs):
        for side, grade in ((Side.SENIOR, 9), (Side.JUNIOR, 3)):
            user = factories.member(programme.organisation, full_name=f"{side} {n}")
            profile = participant_add(programme=programme, user=user, side=side)
            profile.grade = grade
            profile.department = f"Dept {n}" if side == Side.SENIOR else f"Dept {n + 1}"
            profile.save()
            decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
            users.append(user)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    for pair in Pair.objects.filter(programme=programme).select_related("senior__user"):
        for days in (30, 10):
            meeting_log(
                pair=pair,
                by=pair.senior.user,
                values={
                    "date": timezone.localdate() - timedelta(days=days),
                    "duration_minutes": 60,
                    "mode": "virtual",
                },
            )
    first = Pair.objects.filter(programme=programme).order_by("pk").first()
    pair_status_set(pair=first, status=PairStatus.ENDED_EARLY, by=coordinator)
    for kind, value in ((SurveyKind.BASELINE, 2), (SurveyKind.EVALUATION, 4)):
        answer_and_close(Survey.objects.get(programme=programme, kind=kind), users, value)
    return users


def answer_and_close(survey: Survey, users: list, value: int, text: str = "ok") -> None:
    """Everyone answers every question (`value` on 1-5, twice it on 0-10), then it closes."""
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
    )
    survey.refresh_from_db()
    questions = list(survey.questions.all())
    for user in users:
        answers = {
            q.pk: value if q.kind == "agree" else 2 * value if q.kind == "scale10" else text
            for q in questions
        }
        response_save(survey=survey, respondent=user, answers=answers, submit=True)
    Survey.objects.filter(pk=survey.pk).update(closes_on=today - timedelta(days=1))


def pdf_text(report: ProgrammeReport) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_report_holds_the_programmes_figures_computed_independently(
    client, programme, people, django_capture_on_commit_callbacks
):
    build(programme, people["coordinator"])
    started = Pair.objects.filter(programme=programme).exclude(status=PairStatus.PROPOSED).count()
    ended = Pair.objects.filter(programme=programme, status=PairStatus.ENDED_EARLY).count()
    meetings = Meeting.objects.filter(pair__programme=programme).count()

    client.force_login(people["executive"])
    reports = programme_url("reports:request", programme)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reports, {"kind": ReportKind.EVALUATION})
    report = ProgrammeReport.objects.get(programme=programme, kind=ReportKind.EVALUATION)
    assert report.status == ReportStatus.READY, report.error
    text = pdf_text(report)
    assert programme.name in text and "Contents" in text
    assert (started, ended, meetings) == (6, 1, 12)
    for phrase in ("Executive summary", "Participation", "Timeline", "Reciprocal", "anonymity"):
        assert phrase.lower() in text.lower(), phrase
    assert str(meetings) in text and str(started) in text
    assert "+2.0" in text  # every 1-5 outcome item moved from 2 to 4
    assert report.page_count >= 5


@pytest.mark.django_db
def test_the_evaluation_report_downloads_only_for_those_who_may_read_it(
    client, programme, people, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator"])
    reports = programme_url("reports:request", programme)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reports, {"kind": ReportKind.EVALUATION})
    report = ProgrammeReport.objects.get(programme=programme)
    download = programme_url("reports:download", programme, report.pk)
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in {"coordinator", "executive", "org_admin"} else 403
        assert client.get(download).status_code == expected, who
    client.force_login(people["outsider"])
    assert client.get(download).status_code == 404


def contents(html: str) -> list[tuple[str, str, str]]:
    """The contents page's entries: (anchor, number, title)."""
    toc = re.search(r'<ol class="toc">(.*?)</ol>', html, re.S)
    assert toc
    return re.findall(
        r'<a href="#([\w-]+)"><span class="toc-number">(\d+)</span>([^<]+)</a>', toc.group(1)
    )


def chapter_headings(html: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<section class="[^"]*" id="([\w-]+)">\s*'
        r'<h2><span class="number">(\d+)</span>([^<]+)</h2>',
        html,
    )


@pytest.mark.django_db
def test_the_contents_and_chapters_are_exactly_the_registered_sections(programme, people):
    users = build(programme, people["coordinator"])
    no_pair_shared = [s for s in SECTIONS if s.anchor != "systemic"]  # tests/reports/test_systemic
    without_themes = [s for s in no_pair_shared if s.anchor != "themes"]
    expected = [(s.anchor, str(n), s.title) for n, s in enumerate(without_themes, start=1)]
    html = evaluation_html(programme)
    assert contents(html) == chapter_headings(html) == expected  # nobody wrote a theme yet

    initial = Survey.objects.get(programme=programme, kind=SurveyKind.INITIAL)
    answer_and_close(initial, users, 3, text="Panels reward people like the panel")
    html = evaluation_html(programme)
    expected = [(s.anchor, str(n), s.title) for n, s in enumerate(no_pair_shared, start=1)]
    assert contents(html) == chapter_headings(html) == expected
    assert "12 people wrote a theme; 0 of them allowed quoting." in html


def test_chapters_number_the_sections_that_have_figures_in_the_registered_order():
    sections = (
        Section("first", "First", lambda sources: "figures"),
        Section("absent", "Absent", lambda sources: None),
        Section("last", "Last", lambda sources: 0),
    )
    found = chapters(None, sections)
    assert [(c.number, c.section.anchor, c.figures) for c in found] == [
        (1, "first", "figures"),
        (2, "last", 0),
    ]
    assert found[1].section.template == "reports/evaluation/_last.html"


@pytest.mark.django_db
def test_the_report_reads_as_many_queries_for_30_pairs_as_for_2(org, coordinator, people):
    small = Programme.objects.get(organisation=org)
    large = factories.programme(org, coordinator=coordinator, name="Large programme")
    build(small, coordinator, pairs=2)
    build(large, coordinator, pairs=30)
    counts, pages = [], []
    for built in (small, large):
        fresh = Programme.objects.get(pk=built.pk)  # nothing cached from the build
        with scope(organisation=org), CaptureQueriesContext(connection) as queries:
            pages.append(evaluation_html(fresh))
        counts.append(len(queries))
    assert "<dt>Pairs started</dt><dd>2</dd>" in pages[0]
    assert "<dt>Pairs started</dt><dd>30</dd>" in pages[1]
    assert "The pairs logged 60 meetings, a mean of 2.0 per pair." in pages[1]
    assert counts[0] == counts[1] > 0
