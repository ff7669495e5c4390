"""Reports rendered by a worker."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from organisations.models import User

from ..models import Programme, ProgrammeReport, ReportKind


@transaction.atomic
def report_request(
    *, programme: Programme, requested_by: User, kind: str = ReportKind.SUMMARY
) -> ProgrammeReport:
    """Record a report request; a worker renders it once the request has committed."""
    from ..tasks import render_programme_report

    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=requested_by,
        kind=ReportKind(kind),
        expires_at=timezone.now() + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    render_programme_report.delay_on_commit(report.pk)
    return report
