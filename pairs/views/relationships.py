"""Running the relationships: the partners' page, steering check-ins, the coordinator's
dashboard and export."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisations.models import User
from organisations.permissions import requires
from organisations.roles import Role
from programmes.permissions import Perm

from ..forms import (
    AgreementForm,
    CheckInForm,
    ConcernActionForm,
    ConcernForm,
    DashboardFilterForm,
    GoalForm,
    MeetingForm,
    PairStatusForm,
    PulseForm,
    ReflectionForm,
    StewardForm,
)
from ..models import CheckInStatus, LearningGoal, Meeting
from ..pulse import FLAGS_NOTE, PULSE_PRIVACY
from ..selectors import (
    agreement_of,
    checkins_of,
    concerns_of,
    current_pair_of,
    dashboard_pairs,
    goals_of,
    meetings_of,
    own_concerns,
    own_pulsed_meetings,
    own_reflections,
    pair_history,
    pairs_with_figures,
    steering_pairs,
)
from ..services import (
    PairsError,
    agreement_confirm,
    agreement_propose,
    checkin_log,
    concern_act,
    concern_raise,
    goal_add,
    goal_remove,
    meeting_log,
    pair_status_set,
    pair_steward_set,
    pulse_record,
    reflection_save,
)
from .common import not_understood, posted_id

PAGE_SIZE = 25
PARTNERSHIP_ACTIONS = {
    "propose_agreement",
    "confirm_agreement",
    "add_goal",
    "remove_goal",
    "log_meeting",
    "reflection",
    "pulse",
    "raise_concern",
}


def _stewards(request: HttpRequest):
    return User.objects.filter(
        programme_roles__programme=request.programme, programme_roles__role=Role.STEERING
    ).order_by("full_name")


@requires(Perm.TAKE_PART, post=Perm.TAKE_PART)
def partnership(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The partners' own page: each other's one-pager, the agreement, goals, meetings with
    shared notes and private reflections, the private pulse, and a confidential way out."""
    pair = current_pair_of(request.programme, request.user)
    if pair is None:
        return render(request, "pairs/my_pair.html", {"tab": "me", "pair": None})
    me, partner = (
        (pair.senior, pair.junior)
        if pair.senior.user_id == request.user.pk
        else (pair.junior, pair.senior)
    )
    action = request.POST.get("action", "")
    agreement = agreement_of(pair)
    forms = {
        "agreement": AgreementForm(
            request.POST if action == "propose_agreement" else None,
            instance=agreement,
        ),
        "goal": GoalForm(request.POST if action == "add_goal" else None),
        "meeting": MeetingForm(request.POST if action == "log_meeting" else None),
        "concern": ConcernForm(request.POST if action == "raise_concern" else None),
    }
    if request.method == "POST" and action not in PARTNERSHIP_ACTIONS:
        not_understood(request)
    elif request.method == "POST":
        try:
            done = _partnership_action(request, pair, action, forms)
        except PairsError as error:
            messages.error(request, str(error))
            done = True
        if done:
            return redirect(request.path)
    meetings = list(meetings_of(pair)[:50])
    reflections = own_reflections(pair, request.user)
    pulsed = own_pulsed_meetings(pair, request.user)
    posted_meeting = request.POST.get("meeting")
    for meeting in meetings:
        bound = posted_meeting == str(meeting.pk)
        meeting.my_reflection = ReflectionForm(
            request.POST if bound and action == "reflection" else None,
            initial={"text": reflections.get(meeting.pk, "")},
            prefix=f"r{meeting.pk}",
        )
        meeting.pulse_form = None
        if meeting.pk not in pulsed:
            meeting.pulse_form = PulseForm(
                request.POST if bound and action == "pulse" else None, prefix=f"p{meeting.pk}"
            )
    return render(
        request,
        "pairs/partnership.html",
        {
            "tab": "me",
            "pair": pair,
            "me": me,
            "partner": partner,
            "agreement": agreement,
            "i_confirmed": agreement
            and getattr(agreement, f"{'senior' if me == pair.senior else 'junior'}_confirmed_at"),
            "goals": goals_of(pair),
            "meetings": meetings,
            "my_concerns": own_concerns(pair, request.user),
            "forms": forms,
        },
        status=400 if request.method == "POST" else 200,
    )


def _partnership_action(request: HttpRequest, pair, action: str, forms: dict) -> bool:
    """Carry out one posted action; False when its form has errors to show."""
    user = request.user
    if action == "propose_agreement" and forms["agreement"].is_valid():
        agreement_propose(pair=pair, by=user, values=forms["agreement"].cleaned_data)
        messages.success(request, "Agreement proposed; your partner is asked to confirm it.")
    elif action == "confirm_agreement":
        agreement = agreement_of(pair)
        if agreement is None:
            raise PairsError("There is no agreement to confirm yet.")
        agreement_confirm(agreement=agreement, by=user, version=posted_id(request, "version"))
        messages.success(request, "You confirmed the agreement.")
    elif action == "add_goal" and forms["goal"].is_valid():
        goal_add(pair=pair, owner=user, text=forms["goal"].cleaned_data["text"])
        messages.success(request, "Learning goal added.")
    elif action == "remove_goal":
        goal = get_object_or_404(
            LearningGoal.objects.filter(pair=pair), pk=posted_id(request, "goal")
        )
        goal_remove(goal=goal, by=user)
    elif action == "log_meeting" and forms["meeting"].is_valid():
        data = dict(forms["meeting"].cleaned_data)
        reflection = data.pop("reflection", "")
        meeting_log(pair=pair, by=user, values=data, reflection=reflection)
        messages.success(request, "Meeting logged. Answer the pulse below while it is fresh.")
    elif action in ("reflection", "pulse"):
        meeting = get_object_or_404(
            Meeting.objects.filter(pair=pair), pk=posted_id(request, "meeting")
        )
        if action == "reflection":
            form = ReflectionForm(request.POST, prefix=f"r{meeting.pk}")
            if form.is_valid():
                reflection_save(meeting=meeting, author=user, text=form.cleaned_data["text"])
                messages.success(request, "Reflection saved. Only you can see it.")
                return True
            return False
        form = PulseForm(request.POST, prefix=f"p{meeting.pk}")
        if not form.is_valid():
            return False
        pulse_record(meeting=meeting, author=user, answers=form.cleaned_data)
        messages.success(request, f"Thank you. {PULSE_PRIVACY}")
    elif action == "raise_concern" and forms["concern"].is_valid():
        concern_raise(pair=pair, by=user, text=forms["concern"].cleaned_data["text"])
        messages.success(request, "The coordinator has your message. Your partner is not told.")
    else:
        return False
    return True


@requires(Perm.LOOK_AFTER_PAIRS, post=Perm.LOOK_AFTER_PAIRS)
def my_pairs(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A steering member's pairs: names, agreement status and meeting dates; and check-ins."""
    today = timezone.localdate()
    pairs = steering_pairs(request.programme, request.user, today)
    bound = None
    if request.method == "POST":
        pair = get_object_or_404(pairs, pk=posted_id(request, "pair"))
        bound = CheckInForm(request.POST, prefix=f"c{pair.pk}")
        if bound.is_valid():
            checkin_log(
                pair=pair,
                by=request.user,
                day=bound.cleaned_data["day"],
                status=bound.cleaned_data["status"],
                note=bound.cleaned_data["note"],
            )
            messages.success(request, f"Check-in with {pair} logged.")
            return redirect(request.path)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        prefix = f"c{pair.pk}"
        pair.checkin_form = (
            bound
            if bound is not None and bound.prefix == prefix
            else CheckInForm(prefix=prefix, initial={"day": today})
        )
    return render(
        request,
        "pairs/my_pairs.html",
        {"tab": "my_pairs", "page": page},
        status=400 if bound is not None else 200,
    )


@requires(Perm.SELECT)
def dashboard(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Every pair at a glance, those needing attention first."""
    stewards = _stewards(request)
    filters = DashboardFilterForm(request.GET or None, stewards=stewards)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    pairs = dashboard_pairs(
        request.programme,
        timezone.localdate(),
        status=criteria.get("status", ""),
        steward=criteria.get("steward"),
        flagged=criteria.get("flagged", False),
        sort=criteria.get("sort") or "attention",
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        pair.last_checkin_label = (
            CheckInStatus(pair.last_checkin_status).label if pair.last_checkin_status else ""
        )
    return render(
        request,
        "pairs/dashboard.html",
        {"tab": "dashboard", "page": page, "filters": filters, "flags_note": FLAGS_NOTE},
    )


@requires(Perm.SELECT)
def export(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Pairs with their status, dates and counts; nothing confidential."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pairs.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "senior partner",
            "junior partner",
            "status",
            "published",
            "meetings",
            "last meeting",
            "agreement",
            "steering member",
            "check-ins",
            "last check-in",
        ]
    )
    for pair in pairs_with_figures(request.programme, timezone.localdate()).order_by(
        "senior__full_name", "pk"
    ):
        writer.writerow(
            [
                _cell(pair.senior.full_name),
                _cell(pair.junior.full_name),
                pair.get_status_display(),
                pair.published_at.date().isoformat() if pair.published_at else "",
                pair.meetings_count,
                pair.last_meeting.isoformat() if pair.last_meeting else "",
                _agreement_status(pair),
                _cell(str(pair.steering_member or "")),
                pair.checkins_count,
                pair.last_checkin.isoformat() if pair.last_checkin else "",
            ]
        )
    return response


def _cell(text: str) -> str:
    """Names are data: a spreadsheet must not read one as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _agreement_status(pair) -> str:
    if pair.agreement_version is None:
        return "none yet"
    return "agreed" if pair.agreed_version == pair.agreement_version else "awaiting confirmation"


@requires(Perm.SELECT, post=Perm.SELECT)
def pair_detail(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    """For the coordinator: history, steward, check-ins, confidential concerns and what was
    done about them, and completing or ending the pair. Never notes, reflections or pulses."""
    pair = get_object_or_404(
        pairs_with_figures(request.programme, timezone.localdate()), pk=pair_id
    )
    stewards = _stewards(request)
    action = request.POST.get("action", "")
    status_form = PairStatusForm(request.POST if action == "status" else None)
    steward_form = StewardForm(
        request.POST if action == "steward" else None,
        stewards=stewards,
        initial={"steering_member": pair.steering_member_id},
    )
    concerns = list(concerns_of(pair))
    posted_concern = posted_id(request, "concern") if action == "concern" else None
    for concern in concerns:
        concern.form = ConcernActionForm(
            request.POST if concern.pk == posted_concern else None, prefix=f"k{concern.pk}"
        )
    if request.method == "POST":
        forms = {"status": status_form, "steward": steward_form}
        if action == "concern":
            acted = next((c for c in concerns if c.pk == posted_concern), None)
            if acted is None:
                raise Http404
            forms["concern"] = acted.form
        form = forms.get(action)
        if form is None:
            not_understood(request)
        elif form.is_valid():
            try:
                if action == "status":
                    pair_status_set(pair=pair, by=request.user, **form.cleaned_data)
                elif action == "steward":
                    pair_steward_set(pair=pair, **form.cleaned_data)
                else:
                    concern_act(concern=acted, by=request.user, **form.cleaned_data)
            except PairsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Saved.")
                return redirect(request.path)
    return render(
        request,
        "pairs/pair.html",
        {
            "tab": "dashboard",
            "pair": pair,
            "agreement_status": _agreement_status(pair),
            "history": pair_history(pair),
            "checkins": checkins_of(pair),
            "concerns": concerns,
            "meeting_dates": meetings_of(pair).values_list("date", flat=True)[:50],
            "form": status_form,
            "steward_form": steward_form,
            "flags_note": FLAGS_NOTE,
        },
        status=400 if request.method == "POST" else 200,
    )
