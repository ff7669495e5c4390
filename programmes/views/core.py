from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from organisations.permissions import OrgPerm, Perm, requires
from organisations.roles import Role
from organisations.selectors import filter_people
from organisations.services import invitation_create

from ..forms import PeopleFilterForm, ProgrammeForm, ProgrammeMemberForm
from ..models import ProgrammeReport, ReportKind, ReportStatus
from ..selectors import programme_members, reports_of
from ..services import programme_create, programme_member_add, report_request

PAGE_SIZE = 25


@requires(OrgPerm.CREATE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = programme_create(
            organisation=request.organisation, created_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            f"{programme.name} created with its ten stages and their checklists. "
            "Start with its purpose.",
        )
        return redirect("programmes:setup", org_slug=org_slug, programme_id=programme.pk)
    return render(request, "programmes/new.html", {"form": form})


@requires(Perm.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = request.programme
    form = ProgrammeMemberForm(
        request.POST or None,
        programme=programme,
        organisation=request.organisation,
        requester=request.user,
        requester_is_admin=request.membership.is_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.membership and data["role"] == Role.PARTICIPANT:
            from pairs.services import participant_add

            participant_add(programme=programme, user=form.membership.user, side=data["side"])
            messages.success(request, f"{form.membership.user} added.")
        elif form.membership:
            programme_member_add(
                programme=programme, user=form.membership.user, role=data["role"], side=data["side"]
            )
            messages.success(request, f"{form.membership.user} added.")
        else:
            if data["role"] == Role.PARTICIPANT:
                from pairs.services import participant_invite

                participant_invite(
                    programme=programme,
                    email=data["email"],
                    side=data["side"],
                    full_name=data["full_name"],
                )
            invitation_create(
                organisation=request.organisation,
                email=data["email"],
                full_name=data["full_name"],
                invited_by=request.user,
                programme=programme,
                programme_role=data["role"],
                side=data["side"],
            )
            messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("programmes:people", org_slug=org_slug, programme_id=programme_id)
    filters = PeopleFilterForm(request.GET or None)
    members = programme_members(programme)
    if filters.is_valid():
        members = filter_people(members, **filters.cleaned_data)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/people.html",
        {"tab": "people", "form": form, "filters": filters, "page": page},
    )


@requires(Perm.REQUEST_REPORT)
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    if request.method == "POST":
        kind = request.POST.get("kind", ReportKind.SUMMARY)
        if kind not in ReportKind.values:
            kind = ReportKind.SUMMARY
        report = report_request(programme=request.programme, requested_by=request.user, kind=kind)
        return redirect(
            "programmes:report", org_slug=org_slug, programme_id=programme_id, report_id=report.pk
        )
    page = Paginator(reports_of(request.programme), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programmes/reports.html", {"tab": "reports", "page": page})


def _report(request: HttpRequest, report_id: int) -> ProgrammeReport:
    return get_object_or_404(reports_of(request.programme), pk=report_id)


@requires(Perm.REQUEST_REPORT)
def report_detail(
    request: HttpRequest, org_slug: str, programme_id: int, report_id: int
) -> HttpResponse:
    report = _report(request, report_id)
    template = "programmes/_report_status.html" if request.htmx else "programmes/report.html"
    return render(request, template, {"tab": "reports", "report": report})


@requires(Perm.REQUEST_REPORT)
def report_download(
    request: HttpRequest, org_slug: str, programme_id: int, report_id: int
) -> FileResponse:
    report = _report(request, report_id)
    if report.status != ReportStatus.READY or report.is_expired or not report.file:
        raise Http404("This report is not available.")
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/pdf",
    )
