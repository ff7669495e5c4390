from django.db.models import QuerySet

from programmes.models import GroupSession, Programme

from .models import ProgrammeReport, ReportKind


def reports_of(programme: Programme) -> QuerySet[ProgrammeReport]:
    """The reports the coordinators and the executive request (an analysis of themes goes to
    a session's people instead: see `analysis_pdf_of`)."""
    return (
        ProgrammeReport.objects.filter(programme=programme)
        .exclude(kind=ReportKind.THEME_ANALYSIS)
        .select_related("requested_by")
    )


def analysis_pdf_of(session: GroupSession) -> ProgrammeReport | None:
    return (
        ProgrammeReport.objects.filter(kind=ReportKind.THEME_ANALYSIS, group_session=session)
        .order_by("-created_at")
        .first()
    )
