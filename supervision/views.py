"""Supervision pages: asking for it, the coordinator's triage, the pool, a supervisor's caseload
and the combined group sessions. Each role reaches a referral only through its own queryset, so
an id from the URL is never enough."""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from organisations.audit import audit_shown
from organisations.forms import ticks_as_sent
from organisations.models import User
from organisations.panels import panels_for
from organisations.permissions import requires
from organisations.roles import Role
from pairs.models import PairStatus
from pairs.services import PairsError
from programmes.models import GroupSession
from programmes.permissions import Perm
from programmes.services import programme_invitation_create, programme_member_add

from .forms import (
    AssignForm,
    AttendanceForm,
    CaseloadFilterForm,
    ConcludeForm,
    FacilitationForm,
    GroupNotesForm,
    NoteForm,
    OutcomeForm,
    ReasonForm,
    ReferralForm,
    RouteForm,
    SessionForm,
    SupervisorAddForm,
    SupervisorPlaceForm,
)
from .models import Outcome, Referral, ReferralStatus, Supervisor, Urgency
from .pages import GROUP_SESSION_PAGE
from .plain import status_in_plain_words
from .selectors import (
    PoolRow,
    caseload,
    consents_asked_of,
    group_session_agenda,
    group_session_attendance,
    group_sessions_with_facilitation,
    own_notes,
    pool,
    referral_events,
    referral_for_coordinator,
    referrals_raised_by,
    sessions_of,
    supervisors_with_room,
    triage_queue,
)
from .services import (
    SupervisionError,
    attendance_record,
    consent_answer,
    ground_rules_acknowledge,
    group_facilitation_set,
    group_notes_share,
    note_add,
    outcome_record,
    pair_end_after_referral,
    referral_accept,
    referral_assign,
    referral_conclude,
    referral_decline,
    referral_hand_back,
    referral_raise,
    referral_route,
    session_book,
    session_people,
    supervisor_place,
)
from .who import referable_pairs

PAGE_SIZE = 25

TriageAct = Callable[[Referral, User, dict[str, Any]], Any]


# --- Asking for supervision ----------------------------------------------------------------------


@requires(Perm.RAISE_REFERRAL, post=Perm.RAISE_REFERRAL)
def referral_new(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Ask for supervision about a pair you are part of or look after (any pair, for a
    coordinator)."""
    choices = referable_pairs(request.programme, request.user, request.programme_roles)
    pairs = [pair for pair, _ in choices]
    initial = {"pair": request.GET.get("pair")} if request.GET.get("pair") else {}
    form = ReferralForm(request.POST or None, pairs=pairs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raised_as = dict((pair.pk, role) for pair, role in choices)[data["pair"].pk]
        try:
            referral = referral_raise(
                pair=data["pair"],
                by=request.user,
                raised_as=raised_as,
                concerning=data["concerning"],
                person=data["person_user"],
                text=data["text"],
                urgency=data["urgency"],
            )
        except SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The coordinator has been told at once."
                if referral.urgency == Urgency.URGENT
                else "The coordinator has it and will decide what happens next.",
            )
            return redirect("supervision:mine", org_slug=org_slug, programme_id=programme_id)
    return render(
        request,
        "supervision/raise.html",
        {"tab": "supervision", "form": form, "no_pairs": not pairs},
        status=400 if form.errors else 200,
    )


@requires(Perm.RAISE_REFERRAL)
def mine(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """What became of what you raised, in plain words, and supervision offered to you."""
    raised = Paginator(referrals_raised_by(request.programme, request.user), PAGE_SIZE)
    page = raised.get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/mine.html",
        {
            "tab": "supervision",
            "page": page,
            "rows": [(referral, status_in_plain_words(referral)) for referral in page],
            "consents": consents_asked_of(request.programme, request.user),
        },
    )


@requires(post=Perm.RAISE_REFERRAL)
def consent(
    request: HttpRequest, org_slug: str, programme_id: int, consent_id: int
) -> HttpResponse:
    asked = get_object_or_404(consents_asked_of(request.programme, request.user), pk=consent_id)
    agreed = request.POST.get("answer") == "agree"
    try:
        consent_answer(consent=asked, user=request.user, agreed=agreed)
    except SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Thank you. It goes ahead once everyone it involves has agreed."
            if agreed
            else "Noted. The coordinator will decide what happens instead.",
        )
    return redirect("supervision:mine", org_slug=org_slug, programme_id=programme_id)


# --- The coordinator ------------------------------------------------------------------------------


@requires(Perm.TRIAGE)
def triage(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    status = request.GET.get("status", "")
    urgency = request.GET.get("urgency", "")
    referrals = triage_queue(
        request.programme,
        status=status if status in ReferralStatus.values else "",
        urgency=urgency if urgency in Urgency.values else "",
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/triage.html",
        {
            "tab": "supervision",
            "page": page,
            "statuses": ReferralStatus.choices,
            "urgencies": Urgency.choices,
            "status": status,
            "urgency": urgency,
        },
    )


def _referral_page(request: HttpRequest, referral, **forms: object) -> HttpResponse:
    audit_shown(request, kind="referral", records=[referral], author_field="raised_by")
    context = {
        "tab": "supervision",
        "referral": referral,
        "events": referral_events(referral),
        "consents": referral.consents.select_related("user"),
        "route_form": forms.get("route_form") or RouteForm(),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "assign_form": forms.get("assign_form")
        or AssignForm(supervisors=supervisors_with_room(request.programme)),
        "conclude_form": forms.get("conclude_form") or ConcludeForm(),
        "may_end_pair": referral.outcome == Outcome.END_PAIR
        and referral.pair.status == PairStatus.ACTIVE,
    }
    return render(request, "supervision/referral.html", context, status=400 if forms else 200)


def _coordinators_referral(request: HttpRequest, referral_id: int):
    return get_object_or_404(referral_for_coordinator(request.programme, referral_id))


@requires(Perm.TRIAGE)
def referral(
    request: HttpRequest, org_slug: str, programme_id: int, referral_id: int
) -> HttpResponse:
    return _referral_page(request, _coordinators_referral(request, referral_id))


def _attempt(request: HttpRequest, referral, form_name: str, form, act) -> HttpResponse:
    """Run one triage step: back to the referral with a message, or its page with the errors."""
    if not form.is_valid():
        return _referral_page(request, referral, **{form_name: form})
    try:
        act(form.cleaned_data)
    except (SupervisionError, PairsError) as error:
        form.add_error(None, str(error))
        return _referral_page(request, referral, **{form_name: form})
    messages.success(request, "Saved.")
    return redirect(
        "supervision:referral",
        org_slug=request.organisation.slug,
        programme_id=referral.programme_id,
        referral_id=referral.pk,
    )


def _triage_step(form_name: str, make_form: Callable[[HttpRequest], Form], act: TriageAct):
    """A view for one of the coordinator's triage steps: its form, and what it does."""

    @requires(post=Perm.TRIAGE)
    def view(
        request: HttpRequest, org_slug: str, programme_id: int, referral_id: int
    ) -> HttpResponse:
        referral = _coordinators_referral(request, referral_id)
        return _attempt(
            request,
            referral,
            form_name,
            make_form(request),
            lambda data: act(referral, request.user, data),
        )

    return view


referral_route_view = _triage_step(
    "route_form",
    lambda request: RouteForm(request.POST),
    lambda referral, by, data: referral_route(referral=referral, by=by, **data),
)
referral_decline_view = _triage_step(
    "decline_form",
    lambda request: ReasonForm(request.POST, prefix="decline"),
    lambda referral, by, data: referral_decline(referral=referral, by=by, reason=data["reason"]),
)
referral_assign_view = _triage_step(
    "assign_form",
    lambda request: AssignForm(request.POST, supervisors=supervisors_with_room(request.programme)),
    lambda referral, by, data: referral_assign(
        referral=referral, supervisor=data["supervisor"], by=by
    ),
)
referral_conclude_view = _triage_step(
    "conclude_form",
    lambda request: ConcludeForm(request.POST),
    lambda referral, by, data: referral_conclude(referral=referral, by=by, outcome=data["outcome"]),
)


@requires(post=Perm.TRIAGE)
def referral_end_pair(
    request: HttpRequest, org_slug: str, programme_id: int, referral_id: int
) -> HttpResponse:
    referral = _coordinators_referral(request, referral_id)
    try:
        pair_end_after_referral(referral=referral, by=request.user)
    except (SupervisionError, PairsError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "The pair has ended, without blame. Each partner can be matched again."
        )
    return redirect(
        "supervision:referral",
        org_slug=org_slug,
        programme_id=programme_id,
        referral_id=referral.pk,
    )


@requires(Perm.MANAGE_PEOPLE, post=Perm.MANAGE_PEOPLE)
def pool_view(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The programme's supervisors, each with their capacity and how many cases they carry."""
    form = SupervisorAddForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.membership:
            user: User = form.membership.user
            programme_member_add(
                programme=request.programme,
                user=user,
                role=Role.SUPERVISOR,
                granted_by=request.user,
            )
            supervisor_place(
                programme=request.programme, user=user, kind=data["kind"], capacity=data["capacity"]
            )
            messages.success(request, f"{user} joined the supervisor pool.")
        else:
            programme_invitation_create(
                programme=request.programme,
                email=data["email"],
                full_name=data["full_name"],
                invited_by=request.user,
                role=Role.SUPERVISOR,
            )
            messages.success(
                request, f"Invitation sent to {data['email']}; they join the pool once they accept."
            )
        return redirect("supervision:pool", org_slug=org_slug, programme_id=programme_id)
    return _pool_page(request, form=form, status=400 if form.errors else 200)


@dataclass(frozen=True)
class PlacedRow:
    """A supervisor in the pool, and the form that changes their place in it."""

    pool: PoolRow
    form: SupervisorPlaceForm


def _pool_page(
    request: HttpRequest,
    *,
    form: SupervisorAddForm | None = None,
    editing: SupervisorPlaceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The pool; a refused change is shown on its own row, opened, with what was typed."""
    rows = [
        PlacedRow(
            row,
            editing
            if editing is not None and editing.prefix == _place_prefix(row.supervisor)
            else SupervisorPlaceForm(instance=row.supervisor, prefix=_place_prefix(row.supervisor)),
        )
        for row in pool(request.programme)
    ]
    return render(
        request,
        "supervision/pool.html",
        {
            "tab": "supervision",
            "rows": rows,
            "form": form or SupervisorAddForm(organisation=request.organisation),
        },
        status=status,
    )


def _place_prefix(supervisor: Supervisor) -> str:
    return f"s{supervisor.pk}"


@requires(post=Perm.MANAGE_PEOPLE)
def pool_place(
    request: HttpRequest, org_slug: str, programme_id: int, supervisor_id: int
) -> HttpResponse:
    supervisor = get_object_or_404(
        Supervisor.objects.filter(programme=request.programme), pk=supervisor_id
    )
    form = SupervisorPlaceForm(
        request.POST, instance=copy.copy(supervisor), prefix=_place_prefix(supervisor)
    )
    if not form.is_valid():
        return _pool_page(request, editing=form, status=400)
    supervisor_place(programme=request.programme, user=supervisor.user, **form.cleaned_data)
    messages.success(request, f"{supervisor.user}'s place saved.")
    return redirect("supervision:pool", org_slug=org_slug, programme_id=programme_id)


# --- The supervisor ------------------------------------------------------------------------------


@requires(Perm.SUPERVISE)
def cases(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    filters = CaseloadFilterForm(request.GET or None)
    criteria = filters.criteria()
    cases = caseload(request.programme, request.user)
    if criteria.get("state"):
        cases = cases.filter(closed_at__isnull=criteria["state"] == "open")
    if criteria.get("urgent"):
        cases = cases.filter(urgency=Urgency.URGENT)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(criteria.values())
    return render(
        request,
        "supervision/caseload.html",
        {"tab": "supervision", "page": page, "filters": filters, "filtered": filtered},
    )


def _case(request: HttpRequest, referral_id: int):
    return get_object_or_404(caseload(request.programme, request.user), pk=referral_id)


def _case_page(request: HttpRequest, referral, **forms: object) -> HttpResponse:
    audit_shown(request, kind="referral", records=[referral], author_field="raised_by")
    return render(
        request,
        "supervision/case.html",
        {
            "tab": "supervision",
            "referral": referral,
            "people": session_people(referral),
            "sessions": sessions_of(referral),
            "notes": own_notes(referral, request.user),
            "session_form": forms.get("session_form") or SessionForm(),
            "note_form": forms.get("note_form") or NoteForm(),
            "outcome_form": forms.get("outcome_form") or OutcomeForm(),
            "hand_back_form": forms.get("hand_back_form") or ReasonForm(prefix="hand_back"),
        },
        status=400 if forms else 200,
    )


@requires(Perm.SUPERVISE)
def case(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int) -> HttpResponse:
    return _case_page(request, _case(request, referral_id))


def _case_step(request: HttpRequest, referral_id: int, form_name: str, form, act) -> HttpResponse:
    referral = _case(request, referral_id)
    if form is not None and not form.is_valid():
        return _case_page(request, referral, **{form_name: form})
    try:
        act(referral, form.cleaned_data if form is not None else {})
    except SupervisionError as error:
        if form is None:
            messages.error(request, str(error))
        else:
            form.add_error(None, str(error))
            return _case_page(request, referral, **{form_name: form})
    else:
        messages.success(request, "Saved.")
    return redirect(
        "supervision:case",
        org_slug=request.organisation.slug,
        programme_id=request.programme.pk,
        referral_id=referral.pk,
    )


@requires(post=Perm.SUPERVISE)
def case_accept(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int):
    return _case_step(
        request, referral_id, "", None, lambda r, _: referral_accept(referral=r, by=request.user)
    )


@requires(post=Perm.SUPERVISE)
def case_hand_back(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int):
    referral = _case(request, referral_id)
    form = ReasonForm(request.POST, prefix="hand_back")
    if not form.is_valid():
        return _case_page(request, referral, hand_back_form=form)
    try:
        referral_hand_back(referral=referral, by=request.user, reason=form.cleaned_data["reason"])
    except SupervisionError as error:
        form.add_error(None, str(error))
        return _case_page(request, referral, hand_back_form=form)
    messages.success(request, "Handed back to the coordinator.")
    return redirect("supervision:cases", org_slug=org_slug, programme_id=programme_id)


@requires(post=Perm.SUPERVISE)
def case_session(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int):
    return _case_step(
        request,
        referral_id,
        "session_form",
        SessionForm(request.POST),
        lambda r, data: session_book(referral=r, by=request.user, **data),
    )


@requires(post=Perm.SUPERVISE)
def case_note(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int):
    return _case_step(
        request,
        referral_id,
        "note_form",
        NoteForm(request.POST),
        lambda r, data: note_add(referral=r, author=request.user, text=data["text"]),
    )


@requires(post=Perm.SUPERVISE)
def case_outcome(request: HttpRequest, org_slug: str, programme_id: int, referral_id: int):
    return _case_step(
        request,
        referral_id,
        "outcome_form",
        OutcomeForm(request.POST),
        lambda r, data: outcome_record(referral=r, by=request.user, **data),
    )


# --- Combined group sessions ----------------------------------------------------------------------


@requires(Perm.VIEW_PROGRAMME)
def group_sessions(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return render(
        request,
        "supervision/group_sessions.html",
        {"tab": "supervision", "sessions": group_sessions_with_facilitation(request.programme)},
    )


def _group_session(request: HttpRequest, session_id: int) -> GroupSession:
    return get_object_or_404(
        GroupSession.objects.filter(programme=request.programme).select_related(
            "supervision__facilitator__user"
        ),
        pk=session_id,
    )


def _group_session_page(
    request: HttpRequest, session: GroupSession, attendance_refused: str = "", **forms
) -> HttpResponse:
    """The session; a refused form shown with what was sent, and why (`attendance_refused`)."""
    attendance = list(group_session_attendance(session))
    if attendance_refused:
        ticks_as_sent(attendance, request.POST.getlist("attended"))
    mine = next((row for row in attendance if row.user_id == request.user.pk), None)
    facilitation = getattr(session, "supervision", None)
    runs = Perm.TRIAGE in request.programme_perms  # the coordinator, not the organisation admin
    facilitates = bool(
        facilitation
        and facilitation.facilitator
        and facilitation.facilitator.user_id == request.user.pk
    )
    in_the_room = runs or facilitates or mine is not None
    may_facilitate = Perm.EDIT_PROGRAMME in request.programme_perms
    return render(
        request,
        "supervision/group_session.html",
        {
            "tab": "supervision",
            "session": session,
            "facilitation": facilitation,
            "mine": mine,
            # The anonymised issues are for those in the room and those who run it.
            "agenda": group_session_agenda(session) if in_the_room else None,
            "attendance": attendance if runs or facilitates else None,
            "attended_count": sum(1 for row in attendance if row.attended),
            "attendance_refused": attendance_refused,
            "may_record": runs or facilitates,
            "may_facilitate": may_facilitate,
            "notes_visible": runs or facilitates or bool(mine and mine.attended),
            "facilitation_form": forms.get("facilitation_form")
            or (_facilitation_form(request, facilitation) if may_facilitate else None),
            "notes_form": forms.get("notes_form")
            or GroupNotesForm(initial={"notes": facilitation.notes if facilitation else ""}),
            # What the page knows already, so that its panels need not ask again.
            "panels": panels_for(
                GROUP_SESSION_PAGE,
                request,
                session=session,
                invited=mine is not None,
                facilitating=facilitates,
            ),
        },
        status=400 if forms or attendance_refused else 200,
    )


def _facilitation_form(request: HttpRequest, facilitation) -> FacilitationForm:
    initial = {}
    if facilitation is not None:
        initial = {
            "facilitator": facilitation.facilitator_id,
            "external_facilitator": facilitation.external_facilitator,
            "ground_rules": facilitation.ground_rules,
            "analysis_days_ahead": facilitation.analysis_days_ahead,
        }
    return FacilitationForm(
        supervisors=[row.supervisor for row in pool(request.programme)], initial=initial
    )


@requires(Perm.VIEW_PROGRAMME)
def group_session(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    return _group_session_page(request, _group_session(request, session_id))


@requires(post=Perm.EDIT_PROGRAMME)
def group_session_facilitation(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    session = _group_session(request, session_id)
    form = FacilitationForm(
        request.POST, supervisors=[r.supervisor for r in pool(request.programme)]
    )
    if not form.is_valid():
        return _group_session_page(request, session, facilitation_form=form)
    try:
        group_facilitation_set(session=session, **form.cleaned_data)
    except SupervisionError as error:
        form.add_error(None, str(error))
        return _group_session_page(request, session, facilitation_form=form)
    messages.success(request, "Saved; the participants of every pair that is meeting are invited.")
    return redirect(
        "supervision:group_session",
        org_slug=org_slug,
        programme_id=programme_id,
        session_id=session.pk,
    )


@requires(post=Perm.FACILITATE)
def group_session_attendance_view(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    session = _group_session(request, session_id)
    invited = [row.user for row in group_session_attendance(session)]
    form = AttendanceForm(request.POST, invited=invited)
    if not form.is_valid():
        return _group_session_page(
            request, session, attendance_refused="Tick only people invited to this session."
        )
    try:
        count = attendance_record(
            session=session, by=request.user, attended=form.cleaned_data["attended"]
        )
    except SupervisionError as error:
        return _group_session_page(request, session, attendance_refused=str(error))
    messages.success(request, f"Attendance saved: {count} attended.")
    return redirect(
        "supervision:group_session",
        org_slug=org_slug,
        programme_id=programme_id,
        session_id=session.pk,
    )


def _back_to_session(session: GroupSession) -> HttpResponse:
    return redirect(
        "supervision:group_session",
        org_slug=session.programme.organisation.slug,
        programme_id=session.programme_id,
        session_id=session.pk,
    )


@requires(post=Perm.VIEW_PROGRAMME)
def group_session_ground_rules(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    """Someone invited acknowledges the ground rules."""
    session = _group_session(request, session_id)
    try:
        ground_rules_acknowledge(session=session, user=request.user)
    except SupervisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you: you have acknowledged the ground rules.")
    return _back_to_session(session)


@requires(post=Perm.FACILITATE)
def group_session_notes(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    session = _group_session(request, session_id)
    form = GroupNotesForm(request.POST)
    if not form.is_valid():
        return _group_session_page(request, session, notes_form=form)
    try:
        group_notes_share(session=session, by=request.user, notes=form.cleaned_data["notes"])
    except SupervisionError as error:
        form.add_error(None, str(error))
        return _group_session_page(request, session, notes_form=form)
    messages.success(request, "Notes shared with those who attended.")
    return _back_to_session(session)
