import logging
from collections.abc import Callable

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope

from organisations.models import Organisation

from .models import ProgrammeReport, ReportKind, ReportStatus
from .reports import RenderedPdf, render_programme_summary
from .services import reminders_schedule, reminders_send_due

logger = logging.getLogger(__name__)


@shared_task(name="programmes.sweep_reminders", time_limit=300, soft_time_limit=270)
def sweep_reminders() -> int:
    """The one periodic task: record what is due, then send it. Returns e-mails sent."""
    now = timezone.now()
    emails_sent = 0
    for organisation in Organisation.objects.order_by("pk"):
        with scope(organisation=organisation):
            reminders_schedule(organisation=organisation, now=now)
            emails_sent += reminders_send_due(organisation=organisation, now=now)
    return emails_sent


@shared_task(name="programmes.render_programme_report", time_limit=300, soft_time_limit=240)
def render_programme_report(report_id: int) -> None:
    report = (
        ProgrammeReport.objects.with_scopes_disabled()
        .select_related("organisation")
        .get(pk=report_id)
    )
    with scope(organisation=report.organisation):
        report = ProgrammeReport.objects.select_related("programme__organisation").get(pk=report_id)
        try:
            pdf = _renderer(report.kind)(report.programme)
        except Exception as error:
            logger.exception("Rendering report %s failed", report_id)
            report.status = ReportStatus.FAILED
            report.error = str(error)[:2000]
            report.finished_at = timezone.now()
            report.save(update_fields=["status", "error", "finished_at"])
            raise
        report.file.save(f"{report.kind}-{report.pk}.pdf", ContentFile(pdf.content), save=False)
        report.page_count = pdf.page_count
        report.status = ReportStatus.READY
        report.finished_at = timezone.now()
        report.save(update_fields=["file", "page_count", "status", "finished_at"])


def _renderer(kind: str) -> Callable[..., RenderedPdf]:
    if kind == ReportKind.EVALUATION:
        from surveys.report import render_evaluation_report

        return render_evaluation_report
    return render_programme_summary
