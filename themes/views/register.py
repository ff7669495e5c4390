"""The register of systemic issues: everyone in the programme reads it, the coordinator keeps
it, an action's owner moves their action on; a CSV for the steering group."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from organisations.audit import audit_download
from organisations.models import User
from organisations.permissions import requires
from organisations.spreadsheets import spreadsheet_cell
from programmes.models import GroupSession
from programmes.permissions import Perm

from ..forms import (
    ActionForm,
    ActionStatusForm,
    CloseForm,
    IssueForm,
    ProgressForm,
    RegisterFilterForm,
)
from ..models import IssueAction, SystemicIssue
from ..selectors import accepted_recurring, members_of, progress_of, register
from ..services import (
    action_add,
    action_update,
    issue_close,
    issue_open,
    issue_reopen,
    issue_update,
    progress_record,
)
from .common import PAGE_SIZE, acted, attempt, back


def _filtered(request: HttpRequest):
    filters = RegisterFilterForm(request.GET or None)
    criteria = filters.criteria()
    issues = register(
        request.programme, status=criteria.get("status", ""), system=criteria.get("system", "")
    )
    return filters, issues


@requires(Perm.VIEW_PROGRAMME)
def register_view(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    filters, issues = _filtered(request)
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "themes/register.html",
        {
            "tab": "register",
            "page": page,
            "filters": filters,
            "keeps": Perm.KEEP_REGISTER in request.programme_perms,
        },
    )


CSV_HEADER = (
    "issue",
    "system",
    "status",
    "owner",
    "pairs raising it",
    "data we do not yet have",
    "action",
    "action owner",
    "due",
    "action status",
    "quick win",
)


@requires(Perm.VIEW_PROGRAMME)
def register_csv(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """One row per action (an issue without actions has one row of its own)."""
    _, issues = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="systemic-issues.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for issue in issues:
        head = (
            spreadsheet_cell(issue.title),
            issue.get_system_display(),
            issue.get_status_display(),
            spreadsheet_cell(str(issue.owner or "")),
            issue.pairs,
            spreadsheet_cell(issue.data_gaps),
        )
        actions = list(issue.actions.all()) or [None]
        for action in actions:
            writer.writerow(head + _action_cells(action))
    audit_download(request, subject="systemic_issues_csv")
    return response


def _action_cells(action: IssueAction | None) -> tuple[object, ...]:
    if action is None:
        return ("", "", "", "", "")
    return (
        spreadsheet_cell(action.text),
        spreadsheet_cell(str(action.owner or "")),
        action.due.isoformat(),
        action.get_status_display(),
        "yes" if action.quick_win else "no",
    )


def _people(request: HttpRequest) -> list[User]:
    """Who may own an issue or an action, read once for every form of the page."""
    return list(members_of(request.programme))


def _issue_form(
    request: HttpRequest, data=None, instance=None, people: list[User] | None = None, **kwargs
) -> IssueForm:
    return IssueForm(
        data,
        instance=instance,
        recurring=accepted_recurring(request.programme),
        people=_people(request) if people is None else people,
        **kwargs,
    )


@requires(Perm.KEEP_REGISTER, post=Perm.KEEP_REGISTER)
def issue_new(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Open an issue from one or more recurring themes (?from=<id> ticks one)."""
    initial = (
        {"recurring": [request.GET["from"]]} if request.GET.get("from", "").isdecimal() else {}
    )
    form = _issue_form(request, request.POST or None, initial=initial)
    created: list[SystemicIssue] = []

    def open_(data: dict) -> None:
        created.append(
            issue_open(
                programme=request.programme,
                by=request.user,
                values=data,
                recurring=data["recurring"],
            )
        )

    if request.method == "POST" and acted(form, open_):
        messages.success(request, "Issue opened. Add its actions.")
        return back(request, "themes:issue", created[0].pk)
    return render(
        request,
        "themes/issue_new.html",
        {"tab": "register", "form": form},
        status=400 if form.errors else 200,
    )


def _issue(request: HttpRequest, issue_id: int) -> SystemicIssue:
    return get_object_or_404(register(request.programme), pk=issue_id)


def _sessions(request: HttpRequest) -> list[GroupSession]:
    return list(GroupSession.objects.filter(programme=request.programme).order_by("date"))


def _recorded_at(request: HttpRequest, sessions: list[GroupSession]) -> dict[str, int]:
    """Progress is recorded at the session the page was opened from (`?at=`), or at today's."""
    at = request.GET.get("at", "")
    today = timezone.localdate()
    chosen = [s for s in sessions if str(s.pk) == at] or [s for s in sessions if s.date == today]
    return {"session": chosen[0].pk} if chosen else {}


def _issue_page(request: HttpRequest, issue: SystemicIssue, **forms) -> HttpResponse:
    keeps = Perm.KEEP_REGISTER in request.programme_perms
    people = _people(request) if keeps else []  # only those who keep it see the forms
    sessions = _sessions(request)
    recorded_at = _recorded_at(request, sessions)
    actions = [
        (
            action,
            forms.get(f"status{action.pk}")
            or ActionStatusForm(
                prefix=f"a{action.pk}",
                initial={"status": action.status, **recorded_at},
                sessions=sessions,
            ),
            keeps or action.owner_id == request.user.pk,
        )
        for action in issue.actions.all()
    ]
    return render(
        request,
        "themes/issue.html",
        {
            "tab": "register",
            "issue": issue,
            "actions": actions,
            "progress": progress_of(issue),
            "keeps": keeps,
            "today": timezone.localdate(),
            "edit_form": forms.get("edit_form")
            or _issue_form(
                request,
                instance=issue,
                people=people,
                initial={"recurring": issue.recurring.all()},
            ),
            "action_form": forms.get("action_form") or ActionForm(people=people),
            "progress_form": forms.get("progress_form")
            or ProgressForm(initial=recorded_at, sessions=sessions),
            "close_form": forms.get("close_form") or CloseForm(),
        },
        status=400 if forms else 200,
    )


@requires(Perm.VIEW_PROGRAMME)
def issue(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int) -> HttpResponse:
    return _issue_page(request, _issue(request, issue_id))


@requires(post=Perm.KEEP_REGISTER)
def issue_save(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int):
    found = _issue(request, issue_id)
    form = _issue_form(request, request.POST, instance=SystemicIssue.objects.get(pk=found.pk))

    def save(data: dict) -> None:
        issue_update(issue=found, values=data, recurring=data["recurring"])

    if not acted(form, save):
        return _issue_page(request, found, edit_form=form)
    messages.success(request, "Saved.")
    return back(request, "themes:issue", found.pk)


@requires(post=Perm.KEEP_REGISTER)
def issue_close_view(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int):
    found = _issue(request, issue_id)
    form = CloseForm(request.POST)
    if not acted(form, lambda data: issue_close(issue=found, by=request.user, note=data["note"])):
        return _issue_page(request, found, close_form=form)
    messages.success(request, "Closed.")
    return back(request, "themes:issue", found.pk)


@requires(post=Perm.KEEP_REGISTER)
def issue_reopen_view(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int):
    found = _issue(request, issue_id)
    attempt(request, lambda: issue_reopen(issue=found), "Reopened.")
    return back(request, "themes:issue", found.pk)


@requires(post=Perm.KEEP_REGISTER)
def action_add_view(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int):
    found = _issue(request, issue_id)
    form = ActionForm(request.POST, people=_people(request))
    if not acted(form, lambda data: action_add(issue=found, values=data)):
        return _issue_page(request, found, action_form=form)
    messages.success(request, "Action added. Its owner is reminded when it falls overdue.")
    return back(request, "themes:issue", found.pk)


@requires(post=Perm.VIEW_PROGRAMME)
def action_update_view(request: HttpRequest, org_slug: str, programme_id: int, action_id: int):
    """The action's owner, or the coordinator, moves it on (the service says who may)."""
    action = get_object_or_404(
        IssueAction.objects.filter(issue__programme=request.programme).select_related("issue"),
        pk=action_id,
    )
    form = ActionStatusForm(request.POST, prefix=f"a{action.pk}", sessions=_sessions(request))

    def update(data: dict) -> None:
        action_update(
            action=action,
            by=request.user,
            status=data["status"],
            note=data["note"],
            session=data["session"],
            keeper=Perm.KEEP_REGISTER in request.programme_perms,
        )

    if not acted(form, update):
        return _issue_page(
            request, _issue(request, action.issue_id), **{f"status{action.pk}": form}
        )
    messages.success(request, "Saved.")
    return back(request, "themes:issue", action.issue_id)


@requires(post=Perm.KEEP_REGISTER)
def issue_progress(request: HttpRequest, org_slug: str, programme_id: int, issue_id: int):
    found = _issue(request, issue_id)
    form = ProgressForm(request.POST, sessions=_sessions(request))

    def record(data: dict) -> None:
        progress_record(issue=found, by=request.user, text=data["text"], session=data["session"])

    if not acted(form, record):
        return _issue_page(request, found, progress_form=form)
    messages.success(request, "Progress recorded.")
    return back(request, "themes:issue", found.pk)
