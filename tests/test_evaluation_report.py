"""The executive's evaluation report: rendered by the worker, figures checked independently."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
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
from reports.models import ProgrammeReport, ReportKind, ReportStatus
from surveys.models import Survey, SurveyKind
from surveys.services import response_save

from . import factories
from .factories import ALL_ROLES


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
    today = timezone.localdate()
    for kind, value in ((SurveyKind.BASELINE, 2), (SurveyKind.EVALUATION, 4)):
        survey = Survey.objects.get(programme=programme, kind=kind)
        Survey.objects.filter(pk=survey.pk).update(
            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
        )
        survey.refresh_from_db()
        for user in users:
            answers = {
                q.pk: value if q.kind == "agree" else 2 * value if q.kind == "scale10" else "ok"
                for q in survey.questions.all()
            }
            response_save(survey=survey, respondent=user, answers=answers, submit=True)
        Survey.objects.filter(pk=survey.pk).update(closes_on=today - timedelta(days=1))
    return users


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
    reports = reverse("reports:request", args=[programme.organisation.slug, programme.pk])
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
    reports = reverse("reports:request", args=[programme.organisation.slug, programme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reports, {"kind": ReportKind.EVALUATION})
    report = ProgrammeReport.objects.get(programme=programme)
    download = reverse(
        "reports:download",
        args=[programme.organisation.slug, programme.pk, report.pk],
    )
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in {"coordinator", "executive", "org_admin"} else 403
        assert client.get(download).status_code == expected, who
    client.force_login(people["outsider"])
    assert client.get(download).status_code == 404
