from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisations.audit import audit_download
from organisations.permissions import requires
from programmes.models import GroupSession
from programmes.permissions import Perm
from themes.selectors import facilitates, is_invited

from .forms import ReportsFilterForm
from .models import ProgrammeReport, ReportKind, ReportStatus
from .selectors import analysis_pdf_of, reports_of
from .services import report_request

PAGE_SIZE = 25


@requires(Perm.REQUEST_REPORT)
def reports(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    filters = ReportsFilterForm(request.GET or None)
    criteria = filters.criteria()
    found = reports_of(request.programme)
    if criteria.get("kind"):
        found = found.filter(kind=criteria["kind"])
    if criteria.get("status"):
        found = found.filter(status=criteria["status"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/list.html",
        {"tab": "reports", "page": page, "filters": filters, "filtered": any(criteria.values())},
    )


@requires(post=Perm.REQUEST_REPORT)
def report_new(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    report = report_request(
        programme=request.programme,
        requested_by=request.user,
        kind=kind if kind in ReportKind.values else ReportKind.SUMMARY,
    )
    if report.status == ReportStatus.FAILED:
        messages.error(request, report.get_failure_display())
    return redirect(
        "reports:detail", org_slug=org_slug, programme_id=programme_id, report_id=report.pk
    )


def _report(request: HttpRequest, report_id: int) -> ProgrammeReport:
    return get_object_or_404(reports_of(request.programme), pk=report_id)


@requires(Perm.REQUEST_REPORT)
def report_detail(
    request: HttpRequest, org_slug: str, programme_id: int, report_id: int
) -> HttpResponse:
    report = _report(request, report_id)
    template = "reports/_status.html" if request.htmx else "reports/detail.html"
    waited = (timezone.now() - (report.queued_at or report.created_at)).total_seconds()
    return render(
        request,
        template,
        {
            "tab": "reports",
            "report": report,
            # The page stops asking after a while and says what is going on instead.
            "keeps_polling": waited < settings.REPORT_POLL_SECONDS,
        },
    )


@requires(Perm.REQUEST_REPORT)
def report_download(
    request: HttpRequest, org_slug: str, programme_id: int, report_id: int
) -> FileResponse:
    return _file(request, _report(request, report_id))


@requires(Perm.VIEW_PROGRAMME)
def analysis_pdf(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> FileResponse:
    """The analysis of themes as a PDF, for those it went to and those who run the session."""
    session = get_object_or_404(
        GroupSession.objects.filter(programme=request.programme), pk=session_id
    )
    may_read = (
        Perm.GROUP_THEMES in request.programme_perms
        or facilitates(request.programme, request.user)
        or is_invited(session, request.user)
    )
    report = analysis_pdf_of(session)
    if not may_read or report is None:
        raise Http404("This analysis is not available.")
    return _file(request, report)


def _file(request: HttpRequest, report: ProgrammeReport) -> FileResponse:
    """A report found through the request's programme, which names the file."""
    if report.status != ReportStatus.READY or report.is_expired or not report.file:
        raise Http404("This report is not available.")
    report.programme = request.programme
    audit_download(request, subject=f"report:{report.kind}", subject_id=report.pk)
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/pdf",
    )
