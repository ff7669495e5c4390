"""Requesting a report, and every change to its state as the worker renders it. A report always
ends ready or failed: a render killed mid-way is delivered again a bounded number of times, and
one left pending (the broker lost it) is queued again by the periodic sweep."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from organisations.models import User
from organisations.tasks import enqueue_on_commit
from programmes.models import Programme
from themes.models import ThemeAnalysis

from .models import ProgrammeReport, ReportFailure, ReportKind, ReportStatus

RENDER_TASK = "reports.render_report"
MAX_RENDER_ATTEMPTS = 3


@transaction.atomic
def report_request(
    *, programme: Programme, requested_by: User, kind: str = ReportKind.SUMMARY
) -> ProgrammeReport:
    """Record a report request; a worker renders it once the request has committed. If it
    cannot be queued (the broker is down), it fails at once, saying so."""
    now = timezone.now()
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=requested_by,
        kind=ReportKind(kind),
        queued_at=now,
        expires_at=now + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    _queue(report)
    return report


def analysis_pdf_request(*, analysis: ThemeAnalysis) -> ProgrammeReport:
    """Themes' hook: the analysis for a combined session went out; render its PDF."""
    session = analysis.session
    programme = session.programme
    now = timezone.now()
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        kind=ReportKind.THEME_ANALYSIS,
        group_session=session,
        queued_at=now,
        expires_at=now + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    _queue(report)
    return report


def _queue(report: ProgrammeReport) -> None:
    def not_queued(error: Exception) -> None:
        report_fail(report=report, failure=ReportFailure.NOT_QUEUED, error=type(error).__name__)

    enqueue_on_commit(RENDER_TASK, report.pk, on_failure=not_queued)


def report_render_begin(*, report: ProgrammeReport) -> bool:
    """A worker is about to render: count the attempt. False when there is nothing to do: the
    report is already finished (a delivery repeated), or it has been tried too often."""
    counted = ProgrammeReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        return False
    report.refresh_from_db(fields=["attempts", "status"])
    if report.attempts > MAX_RENDER_ATTEMPTS:
        report_fail(report=report, failure=ReportFailure.GAVE_UP, error="too many attempts")
        return False
    return True


@transaction.atomic
def report_finish(*, report: ProgrammeReport, content: bytes, page_count: int) -> ProgrammeReport:
    """Store the PDF under the report's one name, replacing any left by an earlier attempt, so a
    repeated delivery never leaves a stray file; only a pending report can finish."""
    locked = ProgrammeReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.PENDING:
        return locked
    name = f"{report.kind}-{report.pk}.pdf"
    storage = locked.file.storage
    if locked.file:
        locked.file.delete(save=False)
    stale = locked.file.field.generate_filename(locked, name)
    if storage.exists(stale):
        storage.delete(stale)
    locked.file.save(name, ContentFile(content), save=False)
    locked.page_count = page_count
    locked.status = ReportStatus.READY
    locked.finished_at = timezone.now()
    locked.save(update_fields=["file", "page_count", "status", "finished_at"])
    return locked


def report_fail(*, report: ProgrammeReport, failure: str, error: str) -> ProgrammeReport:
    ProgrammeReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
        status=ReportStatus.FAILED,
        failure=ReportFailure(failure),
        error=error[:2000],
        finished_at=timezone.now(),
    )
    report.refresh_from_db()
    return report


def reports_stale(now: datetime) -> QuerySet[ProgrammeReport]:
    """Reports pending for longer than a render takes: lost on the way (a broker restart, a
    worker gone with its message)."""
    return ProgrammeReport.objects.filter(
        status=ReportStatus.PENDING,
        queued_at__lt=now - timedelta(seconds=settings.REPORT_STALE_SECONDS),
    )


def reports_requeue(*, reports: QuerySet[ProgrammeReport], now: datetime) -> int:
    """Queue again reports lost on the way (`reports_stale`), or give up after the last
    attempt."""
    requeued = 0
    for report in reports:
        if report.attempts >= MAX_RENDER_ATTEMPTS:
            report_fail(report=report, failure=ReportFailure.GAVE_UP, error="lost in the queue")
            continue
        with transaction.atomic():
            ProgrammeReport.objects.filter(pk=report.pk).update(queued_at=now)
            _queue(report)
        requeued += 1
    return requeued
