"""The finished programme's evaluation report, ready for the executive sponsor to download."""

from django.utils import timezone

from organisations.models import User
from programmes.models import Programme
from reports.models import ProgrammeReport, ReportStatus
from reports.services import report_request

from .story import Data


def report_load(*, programme: Programme, plan: Data, users: dict[str, User]) -> None:
    """Request the report unless one is ready or being prepared. A worker renders it once the
    demo has committed: in-process in the tests, the worker of `make run` otherwise."""
    spec = plan.get("report")
    if spec is None:
        return
    if (
        ProgrammeReport.objects.filter(programme=programme, kind=spec["kind"])
        .exclude(status=ReportStatus.FAILED)
        .filter(expires_at__gt=timezone.now())
        .exists()
    ):
        return
    report_request(programme=programme, requested_by=users[spec["requested_by"]], kind=spec["kind"])
