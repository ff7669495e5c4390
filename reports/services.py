"""Requesting a report, and recording what became of its rendering."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from organisations.models import User
from organisations.tasks import enqueue_on_commit
from programmes.models import Programme

from .models import ProgrammeReport, ReportKind, ReportStatus

RENDER_TASK = "reports.render_report"


@transaction.atomic
def report_request(
    *, programme: Programme, requested_by: User, kind: str = ReportKind.SUMMARY
) -> ProgrammeReport:
    """Record a report request; a worker renders it once the request has committed."""
    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=requested_by,
        kind=ReportKind(kind),
        expires_at=timezone.now() + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    enqueue_on_commit(RENDER_TASK, report.pk)
    return report


def report_finish(*, report: ProgrammeReport, content: bytes, page_count: int) -> ProgrammeReport:
    report.file.save(f"{report.kind}-{report.pk}.pdf", ContentFile(content), save=False)
    report.page_count = page_count
    report.status = ReportStatus.READY
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "page_count", "status", "finished_at"])
    return report


def report_fail(*, report: ProgrammeReport, error: str) -> ProgrammeReport:
    report.status = ReportStatus.FAILED
    report.error = error[:2000]
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])
    return report
