"""Training sessions and attendance, the resource library and the calendar feed."""

import copy
import mimetypes

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.forms import ticks_as_sent
from organisations.models import Membership
from organisations.permissions import requires

from ..calendar import programme_calendar
from ..forms import (
    AttendanceForm,
    ResourceFilterForm,
    ResourceForm,
    TrainingFilterForm,
    TrainingSessionForm,
)
from ..models import CalendarFeed, Resource, TrainingSession
from ..permissions import Perm, member_permissions, owes_ethics
from ..selectors import (
    calendar_feed_of,
    initial_training_completion,
    resources_for,
    session_audience,
    training_sessions_for,
)
from ..services import (
    attendance_set,
    calendar_feed_reset,
    resource_add,
    resource_delete,
    training_session_save,
)

PAGE_SIZE = 25


def _runs_programme(request: HttpRequest) -> bool:
    return Perm.EDIT_PROGRAMME in request.programme_perms


def _sees_everything(request: HttpRequest) -> bool:
    return Perm.VIEW_SETUP in request.programme_perms


@requires(Perm.VIEW_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def training(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = request.programme
    form = TrainingSessionForm(request.POST or None, instance=TrainingSession(programme=programme))
    if request.method == "POST" and form.is_valid():
        session = training_session_save(programme=programme, values=form.cleaned_data)
        messages.success(request, f"“{session.title}” scheduled.")
        return redirect("programmes:training", org_slug=org_slug, programme_id=programme_id)
    sessions = training_sessions_for(programme, request.user, _sees_everything(request))
    filters = TrainingFilterForm(request.GET or None)
    criteria = filters.criteria()
    if criteria.get("when"):
        now = timezone.now()
        sessions = (
            sessions.filter(starts_at__gte=now)
            if criteria["when"] == "upcoming"
            else sessions.filter(starts_at__lt=now)
        )
    if criteria.get("kind"):
        sessions = sessions.filter(kind=criteria["kind"])
    return render(
        request,
        "programmes/training.html",
        {
            "tab": "training",
            "page": Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "filtered": any(criteria.values()),
            "form": form,
            "may_edit": _runs_programme(request),
            "completion": initial_training_completion(programme),
        },
        status=400 if form.errors else 200,
    )


def _training_session(request: HttpRequest, session_id: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.filter(programme=request.programme), pk=session_id
    )


def _training_session_page(
    request: HttpRequest,
    session: TrainingSession,
    form: TrainingSessionForm | None = None,
    attendance_refused: bool = False,
) -> HttpResponse:
    audience = list(session_audience(session))
    if attendance_refused:
        ticks_as_sent(audience, request.POST.getlist("attended"))
    return render(
        request,
        "programmes/training_session.html",
        {
            "tab": "training",
            "session": session,
            "form": form or TrainingSessionForm(instance=session),
            "audience": audience,
            "attended_count": sum(1 for member in audience if member.attended),
            "attendance_refused": attendance_refused,
        },
        status=400 if form is not None or attendance_refused else 200,
    )


@requires(Perm.EDIT_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def training_session(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    """Change a session; the page also records who attended it."""
    session = _training_session(request, session_id)
    if request.method == "GET":
        return _training_session_page(request, session)
    form = TrainingSessionForm(
        request.POST, instance=copy.copy(session)
    )  # the page shows it as saved
    if not form.is_valid():
        return _training_session_page(request, session, form=form)
    training_session_save(programme=request.programme, values=form.cleaned_data, session=session)
    messages.success(request, f"“{session.title}” saved.")
    return redirect(request.path)


@requires(post=Perm.EDIT_PROGRAMME)
def training_attendance(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    session = _training_session(request, session_id)
    attendance = AttendanceForm(request.POST, audience=session_audience(session))
    if not attendance.is_valid():
        return _training_session_page(request, session, attendance_refused=True)
    count = attendance_set(session=session, participant_ids=attendance.cleaned_data["attended"])
    messages.success(request, f"Attendance saved: {count} attended.")
    return redirect("programmes:training_session", org_slug, programme_id, session.pk)


@requires(Perm.VIEW_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def resources(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = request.programme
    form = ResourceForm(
        request.POST or None, request.FILES or None, instance=Resource(programme=programme)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = resource_add(
            programme=programme,
            title=data["title"],
            description=data["description"],
            audience=data["audience"],
            url=data["url"],
            upload=data["upload"],
            added_by=request.user,
        )
        messages.success(request, f"“{resource.title}” added to the library.")
        return redirect("programmes:resources", org_slug=org_slug, programme_id=programme_id)
    items = resources_for(
        programme, request.user, request.programme_roles, _sees_everything(request)
    )
    filters = ResourceFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            items = items.filter(title__icontains=filters.cleaned_data["q"])
        if filters.cleaned_data["audience"]:
            items = items.filter(audience=filters.cleaned_data["audience"])
    return render(
        request,
        "programmes/resources.html",
        {
            "tab": "resources",
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "form": form,
            "may_edit": _runs_programme(request),
        },
        status=400 if form.errors else 200,
    )


def _resource(request: HttpRequest, resource_id: int) -> Resource:
    """Only a resource meant for this person, so nobody reaches another audience's file."""
    visible = resources_for(
        request.programme, request.user, request.programme_roles, _sees_everything(request)
    )
    return get_object_or_404(visible, pk=resource_id)


@requires(Perm.VIEW_PROGRAMME)
def resource_download(
    request: HttpRequest, org_slug: str, programme_id: int, resource_id: int
) -> FileResponse:
    resource = _resource(request, resource_id)
    if not resource.file:
        raise Http404("This resource is a link.")
    content_type = mimetypes.guess_type(resource.file_name)[0] or "application/octet-stream"
    return FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=resource.file_name,
        content_type=content_type,
    )


@requires(post=Perm.EDIT_PROGRAMME)
def resource_remove(
    request: HttpRequest, org_slug: str, programme_id: int, resource_id: int
) -> HttpResponse:
    resource = _resource(request, resource_id)
    resource_delete(resource=resource)
    messages.success(request, f"“{resource.title}” removed from the library.")
    return redirect("programmes:resources", org_slug=org_slug, programme_id=programme_id)


@requires(Perm.VIEW_PROGRAMME, post=Perm.VIEW_PROGRAMME)
def calendar(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Where a person finds (and can reset) their secret calendar address. Opening the page
    writes nothing: the address is made when they ask for it."""
    feed = calendar_feed_of(programme=request.programme, user=request.user)
    if request.method == "POST":
        calendar_feed_reset(programme=request.programme, user=request.user)
        messages.success(
            request,
            "You have a new calendar address. The old one no longer works."
            if feed
            else "Your calendar address is ready.",
        )
        return redirect("programmes:calendar", org_slug=org_slug, programme_id=programme_id)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "programmes/calendar.html",
        {
            "tab": "calendar",
            "feed_url": url,
            "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
        },
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in, the secret token is the key. It works only while the person
    still has a role in the programme (or administers its organisation)."""
    with scopes_disabled():
        feed = (
            CalendarFeed.objects.select_related("programme__organisation", "user")
            .filter(token=token)
            .first()
        )
    if feed is None or not feed.user.is_active:
        raise Http404
    programme = feed.programme
    with scope(organisation=programme.organisation):
        membership = Membership.objects.filter(
            organisation=programme.organisation, user=feed.user
        ).first()
        if membership is None:
            raise Http404
        roles, perms = member_permissions(programme, membership)
        if not (roles or membership.is_admin):
            raise Http404
        if owes_ethics(programme, feed.user, roles):
            raise Http404  # participants take part once they have accepted the ground rules
        body = programme_calendar(programme, feed.user, sees_all=Perm.VIEW_SETUP in perms)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="programme.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
