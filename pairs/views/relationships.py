"""Running the relationships: the partners' page, steering check-ins, the coordinator's
dashboard and export. Each form posts to a view of its own; a refused one comes back on its page."""

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from organisations.audit import audit_download, audit_shown
from organisations.models import User
from organisations.panels import panels_for, row_panels_for
from organisations.permissions import requires
from organisations.querysets import page_of
from organisations.roles import Role
from programmes.permissions import Perm

from ..exports import pairs_csv_rows
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
    StewardedFilterForm,
    StewardForm,
)
from ..models import Agreement, Concern, LearningGoal, Meeting, Pair, Pulse, SupervisionWish
from ..pages import PAIR_PAGE, PARTNERSHIP_PAGE, STEERING_PAGE
from ..pulse import FLAGS_NOTE, PULSE_PRIVACY
from ..selectors import (
    PairRow,
    agreement_of,
    checkins_of,
    concerns_of,
    current_pair_of,
    dashboard_pairs,
    goals_of,
    meetings_of,
    meetings_with_own_notes,
    own_concerns,
    pair_history,
    published_pairs,
    steering_pairs,
)
from ..services import (
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
from .common import acted, attempt

PAGE_SIZE = 25


def _stewards(request: HttpRequest):
    return User.objects.filter(
        programme_roles__programme=request.programme, programme_roles__role=Role.STEERING
    ).order_by("full_name")


# --- The partners' page --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """A meeting on the partners' page, with the person's own forms for it when it is the
    meeting in focus (the latest, or the one they chose or just sent a form for)."""

    meeting: Meeting
    reflection_form: ReflectionForm | None
    pulse_form: PulseForm | None  # None once they have answered it, or out of focus


def _own_pair(request: HttpRequest) -> Pair:
    pair = current_pair_of(request.programme, request.user)
    if pair is None:
        raise Http404("You are not in an active pair in this programme.")
    return pair


def _own_meeting(pair: Pair, meeting_id: int) -> Meeting:
    return get_object_or_404(Meeting.objects.filter(pair=pair), pk=meeting_id)


def _back_to_partnership(request: HttpRequest) -> HttpResponse:
    """To the partners' page, on the page of meetings the form was sent from."""
    address = reverse("pairs:my_pair", args=[request.organisation.slug, request.programme.pk])
    meetings_page = request.GET.get("meetings", "")
    return redirect(f"{address}?meetings={meetings_page}" if meetings_page.isdecimal() else address)


MEETINGS_PER_PAGE = 20


def _meeting_rows(
    request: HttpRequest, pair: Pair, posted: Mapping[str, forms.BaseForm]
) -> tuple[Page, list[MeetingRow]]:
    """The page of meetings asked for (?meetings=, newest first), each row with its forms when
    it is the meeting in focus."""
    page = page_of(
        meetings_with_own_notes(pair, request.user),
        request.GET.get("meetings"),
        per_page=MEETINGS_PER_PAGE,
        count=pair.meetings_count,
    )
    meetings = list(page)
    focus = _meeting_in_focus(request, meetings, posted)
    rows = []
    for meeting in meetings:
        if meeting.pk != focus:
            rows.append(MeetingRow(meeting, None, None))
            continue
        reflection = posted.get("reflection")
        if reflection is None or reflection.prefix != f"r{meeting.pk}":
            reflection = ReflectionForm(
                initial={"text": meeting.own_reflection}, prefix=f"r{meeting.pk}"
            )
        pulse = posted.get("pulse")
        if pulse is None or pulse.prefix != f"p{meeting.pk}":
            pulse = None if meeting.own_pulse else PulseForm(prefix=f"p{meeting.pk}")
        rows.append(MeetingRow(meeting, reflection, pulse))
    return page, rows


def _meeting_in_focus(
    request: HttpRequest, meetings: list[Meeting], posted: Mapping[str, forms.BaseForm]
) -> int | None:
    """The meeting whose forms the page shows: the one a refused form was sent for, else the
    one chosen (?meeting=), else the latest. The others show a link that chooses them."""
    ids = {meeting.pk for meeting in meetings}
    for form in posted.values():
        if form.prefix and form.prefix[1:].isdecimal() and int(form.prefix[1:]) in ids:
            return int(form.prefix[1:])
    chosen = request.GET.get("meeting", "")
    if chosen.isdecimal() and int(chosen) in ids:
        return int(chosen)
    return meetings[0].pk if meetings else None


def _partnership_page(request: HttpRequest, pair: Pair, **posted: forms.BaseForm) -> HttpResponse:
    """The partners' page. A form that was posted and refused (by its name: agreement, goal,
    meeting, concern, reflection or pulse) is shown as it was sent, with its errors (400)."""
    me, partner = (
        (pair.senior, pair.junior)
        if pair.senior.user_id == request.user.pk
        else (pair.junior, pair.senior)
    )
    agreement = agreement_of(pair)
    shown = {
        "agreement": AgreementForm.for_pair(pair, agreement),
        "goal": GoalForm(),
        "meeting": MeetingForm(),
        "concern": ConcernForm(),
    }
    shown.update((name, form) for name, form in posted.items() if name in shown)
    meetings_page, meetings = _meeting_rows(request, pair, posted)
    latest_meeting = (
        (meetings[0].meeting if meetings else None)
        if meetings_page.number == 1
        else meetings_of(pair).first()
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
            "meetings_page": meetings_page,
            "my_concerns": own_concerns(pair, request.user),
            "forms": shown,
            "panels": panels_for(
                PARTNERSHIP_PAGE, request, pair=pair, latest_meeting=latest_meeting
            ),
        },
        status=400 if posted else 200,
    )


@requires(Perm.TAKE_PART)
def partnership(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The partners' own page: each other's one-pager, the agreement, goals, meetings with
    shared notes and private reflections, the private pulse, and a confidential way out."""
    pair = current_pair_of(request.programme, request.user)
    if pair is None:
        return render(request, "pairs/my_pair.html", {"tab": "me", "pair": None})
    return _partnership_page(request, pair)


@requires(post=Perm.TAKE_PART)
def propose_agreement(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = _own_pair(request)
    form = AgreementForm.for_pair(pair, agreement_of(pair), request.POST)
    if not acted(form, lambda data: agreement_propose(pair=pair, by=request.user, values=data)):
        return _partnership_page(request, pair, agreement=form)
    messages.success(request, "Agreement proposed; your partner is asked to confirm it.")
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def confirm_agreement(
    request: HttpRequest, org_slug: str, programme_id: int, version: int
) -> HttpResponse:
    """Confirm the version the person read, which must still be the latest."""
    pair = _own_pair(request)
    get_object_or_404(Agreement.objects.filter(pair=pair), version=version)
    attempt(
        request,
        lambda: agreement_confirm(agreement=agreement_of(pair), by=request.user, version=version),
        "You confirmed the agreement.",
    )
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def add_goal(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = _own_pair(request)
    form = GoalForm(request.POST)
    if not acted(form, lambda data: goal_add(pair=pair, owner=request.user, text=data["text"])):
        return _partnership_page(request, pair, goal=form)
    messages.success(request, "Learning goal added.")
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def remove_goal(
    request: HttpRequest, org_slug: str, programme_id: int, goal_id: int
) -> HttpResponse:
    pair = _own_pair(request)
    goal = get_object_or_404(LearningGoal.objects.filter(pair=pair), pk=goal_id)
    attempt(request, lambda: goal_remove(goal=goal, by=request.user), "Learning goal removed.")
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def log_meeting(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = _own_pair(request)
    form = MeetingForm(request.POST, instance=Meeting(pair=pair, logged_by=request.user))

    def log(data: dict) -> None:
        values = dict(data)
        reflection = values.pop("reflection", "")
        meeting_log(pair=pair, by=request.user, values=values, reflection=reflection)

    if not acted(form, log):
        return _partnership_page(request, pair, meeting=form)
    messages.success(request, "Meeting logged. Answer the pulse below while it is fresh.")
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def save_reflection(
    request: HttpRequest, org_slug: str, programme_id: int, meeting_id: int
) -> HttpResponse:
    pair = _own_pair(request)
    meeting = _own_meeting(pair, meeting_id)
    form = ReflectionForm(request.POST, prefix=f"r{meeting.pk}")
    if not acted(
        form, lambda data: reflection_save(meeting=meeting, author=request.user, text=data["text"])
    ):
        return _partnership_page(request, pair, reflection=form)
    messages.success(request, "Reflection saved. Only you can see it.")
    return _back_to_partnership(request)


@requires(post=Perm.TAKE_PART)
def send_pulse(
    request: HttpRequest, org_slug: str, programme_id: int, meeting_id: int
) -> HttpResponse:
    pair = _own_pair(request)
    meeting = _own_meeting(pair, meeting_id)
    form = PulseForm(
        request.POST,
        prefix=f"p{meeting.pk}",
        instance=Pulse(meeting=meeting, pair=pair, author=request.user),
    )
    if not acted(
        form, lambda data: pulse_record(meeting=meeting, author=request.user, answers=data)
    ):
        return _partnership_page(request, pair, pulse=form)
    messages.success(request, f"Thank you. {PULSE_PRIVACY}")
    return _back_to_partnership(request)


CONCERN_SENT = {
    SupervisionWish.NO: "The coordinator has your message.",
    SupervisionWish.YES: "The coordinator has your message and your request for supervision.",
    SupervisionWish.URGENT: "The coordinator has been told at once.",
}


@requires(post=Perm.TAKE_PART)
def raise_concern(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    pair = _own_pair(request)
    form = ConcernForm(request.POST)
    if not acted(form, lambda data: concern_raise(pair=pair, by=request.user, **data)):
        return _partnership_page(request, pair, concern=form)
    told = CONCERN_SENT[form.cleaned_data["supervision"] or SupervisionWish.NO]
    messages.success(request, f"{told} Your partner is not told.")
    return _back_to_partnership(request)


# --- Steering check-ins and the coordinator's pages ----------------------------------------------


@dataclass(frozen=True)
class SteeringRow:
    """A steering member's pair, with what the other apps show under it."""

    figures: PairRow
    panels: list[SafeString]


@requires(Perm.LOOK_AFTER_PAIRS)
def my_pairs(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """A steering member's pairs: names, agreement status and meetings; and check-ins."""
    pairs = steering_pairs(request.programme, request.user, timezone.localdate())
    filters = StewardedFilterForm(request.GET or None)
    criteria = filters.criteria()
    if name := criteria.get("name"):
        pairs = pairs.filter(
            Q(senior__full_name__icontains=name) | Q(junior__full_name__icontains=name)
        )
    if criteria.get("overdue"):
        pairs = pairs.filter(checkin_overdue=True)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    panels = row_panels_for(STEERING_PAGE, request, list(page), key=lambda pair: pair.pk)
    rows = [SteeringRow(PairRow(pair), panels[pair.pk]) for pair in page]
    return render(
        request,
        "pairs/my_pairs.html",
        {
            "tab": "my_pairs",
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": any(criteria.values()),
            "back_query": _my_pairs_query(request, page.number),
        },
    )


def _my_pairs_query(request: HttpRequest, page: int | None = None) -> str:
    """The list's filter and page (`page`, or the one asked for), as the query of an address,
    so that the check-in page returns to where the steering member was."""
    kept = {key: request.GET[key] for key in ("name", "overdue", "page") if request.GET.get(key)}
    if page is not None:
        kept["page"] = str(page)
    return f"?{urlencode(kept)}" if kept else ""


def _checkin_page(request: HttpRequest, pair: Pair, form: CheckInForm) -> HttpResponse:
    return render(
        request,
        "pairs/checkin.html",
        {"tab": "my_pairs", "row": PairRow(pair), "form": form, "back": _back_to_my_pairs(request)},
        status=400 if form.is_bound else 200,
    )


def _back_to_my_pairs(request: HttpRequest) -> str:
    """The steering member's pairs, at the page and filter they came from."""
    url = reverse("pairs:my_pairs", args=[request.organisation.slug, request.programme.pk])
    return url + _my_pairs_query(request)


@requires(Perm.LOOK_AFTER_PAIRS, post=Perm.LOOK_AFTER_PAIRS)
def log_checkin(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    """A check-in with one of the steering member's pairs: the form, and logging it."""
    pairs = steering_pairs(request.programme, request.user, timezone.localdate())
    pair = get_object_or_404(pairs, pk=pair_id)
    if request.method != "POST":
        return _checkin_page(request, pair, CheckInForm(initial={"day": timezone.localdate()}))
    form = CheckInForm(request.POST)
    if not acted(form, lambda data: checkin_log(pair=pair, by=request.user, **data)):
        return _checkin_page(request, pair, form)
    messages.success(request, f"Check-in with {pair} logged.")
    return redirect(_back_to_my_pairs(request))


@requires(Perm.SELECT)
def dashboard(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Every pair at a glance, those needing attention first."""
    stewards = _stewards(request)
    filters = DashboardFilterForm(request.GET or None, stewards=stewards)
    criteria = filters.criteria()
    pairs = dashboard_pairs(
        request.programme,
        timezone.localdate(),
        status=criteria.get("status", ""),
        steward=criteria.get("steward"),
        flagged=criteria.get("flagged", False),
        sort=criteria.get("sort") or "attention",
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pairs/dashboard.html",
        {
            "tab": "dashboard",
            "page": page,
            "rows": [PairRow(pair) for pair in page],
            "filters": filters,
            "flags_note": FLAGS_NOTE,
        },
    )


@requires(Perm.SELECT)
def export(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Pairs with their status, dates and counts; nothing confidential."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pairs.csv"'
    csv.writer(response).writerows(pairs_csv_rows(request.programme, timezone.localdate()))
    audit_download(request, subject="pairs_csv")
    return response


# --- The coordinator's page of one pair ----------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    """A confidential concern on the coordinator's pair page, with the form to act on it."""

    concern: Concern
    form: ConcernActionForm


def _coordinated_pair(request: HttpRequest, pair_id: int) -> Pair:
    return get_object_or_404(published_pairs(request.programme), pk=pair_id)


def _pair_page(request: HttpRequest, pair: Pair, **posted: forms.BaseForm) -> HttpResponse:
    """The coordinator's page of one pair; a refused form (status, steward or concern) is shown
    as it was sent (400)."""
    concern_form = posted.get("concern")
    concerns = [
        ConcernRow(
            concern,
            concern_form
            if concern_form is not None and concern_form.prefix == f"k{concern.pk}"
            else ConcernActionForm(prefix=f"k{concern.pk}"),
        )
        for concern in concerns_of(pair)
    ]
    meeting_dates = list(meetings_of(pair).values_list("date", flat=True)[:12])
    audit_shown(
        request, kind="concern", records=[row.concern for row in concerns], author_field="raised_by"
    )
    return render(
        request,
        "pairs/pair.html",
        {
            "tab": "dashboard",
            "pair": pair,
            "agreement_status": PairRow(pair).agreement_status,
            "history": pair_history(pair),
            "checkins": checkins_of(pair),
            "concerns": concerns,
            "meeting_dates": meeting_dates,
            "earlier_meetings": pair.meetings_count > len(meeting_dates),
            "form": posted.get("status") or PairStatusForm(),
            "steward_form": posted.get("steward")
            or StewardForm(
                stewards=_stewards(request), initial={"steering_member": pair.steering_member_id}
            ),
            "flags_note": FLAGS_NOTE,
            "panels": panels_for(PAIR_PAGE, request, pair=pair),
        },
        status=400 if posted else 200,
    )


def _back_to_pair(pair: Pair, org_slug: str) -> HttpResponse:
    return redirect(
        "pairs:pair", org_slug=org_slug, programme_id=pair.programme_id, pair_id=pair.pk
    )


@requires(Perm.SELECT)
def pair_detail(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    """For the coordinator: history, steward, check-ins, confidential concerns and what was
    done about them, and completing or ending the pair. Never notes, reflections or pulses."""
    return _pair_page(request, _coordinated_pair(request, pair_id))


@requires(post=Perm.SELECT)
def set_pair_status(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    pair = _coordinated_pair(request, pair_id)
    form = PairStatusForm(request.POST)
    if not acted(form, lambda data: pair_status_set(pair=pair, by=request.user, **data)):
        return _pair_page(request, pair, status=form)
    messages.success(request, f"{pair}: {pair.get_status_display().lower()}.")
    return _back_to_pair(pair, org_slug)


@requires(post=Perm.SELECT)
def set_steward(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int
) -> HttpResponse:
    pair = _coordinated_pair(request, pair_id)
    form = StewardForm(request.POST, stewards=_stewards(request))
    if not acted(form, lambda data: pair_steward_set(pair=pair, **data)):
        return _pair_page(request, pair, steward=form)
    messages.success(request, "Steering-group member saved.")
    return _back_to_pair(pair, org_slug)


@requires(post=Perm.SELECT)
def act_on_concern(
    request: HttpRequest, org_slug: str, programme_id: int, pair_id: int, concern_id: int
) -> HttpResponse:
    pair = _coordinated_pair(request, pair_id)
    concern = get_object_or_404(concerns_of(pair), pk=concern_id)
    form = ConcernActionForm(request.POST, prefix=f"k{concern.pk}")
    if not acted(form, lambda data: concern_act(concern=concern, by=request.user, **data)):
        return _pair_page(request, pair, concern=form)
    messages.success(request, "What you did is recorded.")
    return _back_to_pair(pair, org_slug)
