"""What the pairs app adds to each person's programme home (registered in PairsConfig.ready):
a participant's partnership and next step, the pairs a coordinator should look at today, a
steering member's pairs and overdue check-ins, and the relationships in figures."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from organisations.querysets import counted, head_of
from programmes.models import Programme
from programmes.permissions import Perm

from .forms import MeetingForm
from .models import Agreement, Decision, LearningGoal, Meeting, Pair, PairStatus, Profile
from .pulse import PULSE_PRIVACY
from .selectors import (
    REASONS_READ,
    PairRow,
    agreement_of,
    current_pair_of_request,
    dashboard_pairs,
    meetings_with_own_notes,
    own_profile,
    pairs_with_figures,
    steering_pairs,
    unmatched,
)

SHOWN = 5


@dataclass(frozen=True)
class NextStep:
    text: str
    action: str  # a button's words, or "" when there is nothing to press
    anchor: str  # where on the partnership page it leads


def next_step(
    *,
    agreement: Agreement | None,
    i_confirmed: bool,
    last_meeting: Meeting | None,
    pulse_waiting: bool,
    my_goals: int,
    quiet_since: date,
    frequency: str,
) -> NextStep:
    """The one thing a partner should do next, most pressing first."""
    if agreement is None:
        return NextStep(
            "Agree how you will work together: how often you meet, where, and what stays "
            "between you.",
            "Propose our agreement",
            "agreement-heading",
        )
    if not i_confirmed:
        return NextStep(
            f"Version {agreement.version} of your agreement waits for you to confirm it.",
            "Read and confirm",
            "agreement-heading",
        )
    if last_meeting is not None and pulse_waiting:
        return NextStep(
            f"How did your meeting on {last_meeting.date:%-d %B} go? The pulse takes a minute "
            "and only you see your answers.",
            "Answer the pulse",
            "meetings-heading",
        )
    if last_meeting is None:
        return NextStep("Log your first meeting once you have met.", "", "")
    if not my_goals:
        return NextStep("Set a learning goal of your own.", "Add a goal", "goals-heading")
    if last_meeting.date < quiet_since:
        return NextStep(
            f"You last met on {last_meeting.date:%-d %B %Y}. Time to arrange the next meeting.",
            "",
            "",
        )
    agreed = f" You agreed to meet: “{frequency.rstrip('.')}”." if frequency else ""
    return NextStep(f"You last met on {last_meeting.date:%-d %B %Y}.{agreed}", "", "")


def partnership_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """A participant's partnership first: their partner, the next step, and logging a meeting."""
    if Perm.TAKE_PART not in request.programme_perms:
        return None
    programme, user = request.programme, request.user
    pair = current_pair_of_request(request)
    if pair is None:
        return {"pair": None, "profile": own_profile(programme, user)}
    me, partner = (
        (pair.senior, pair.junior)
        if pair.senior.user_id == user.pk
        else (
            pair.junior,
            pair.senior,
        )
    )
    agreement = agreement_of(pair)
    side = "senior" if me == pair.senior else "junior"
    own_goals = LearningGoal.objects.filter(pair=OuterRef("pair"), owner=user)
    # The latest meeting, with what the next step asks of it, in one query.
    last_meeting = (
        meetings_with_own_notes(pair, user)
        .annotate(own_goals=counted(own_goals, by="pair"))
        .first()
    )
    pulse_waiting = last_meeting is not None and not last_meeting.own_pulse
    step = next_step(
        agreement=agreement,
        i_confirmed=bool(agreement and getattr(agreement, f"{side}_confirmed_at")),
        last_meeting=last_meeting,
        pulse_waiting=pulse_waiting,
        my_goals=last_meeting.own_goals if last_meeting else 0,
        quiet_since=today - timedelta(weeks=programme.quiet_weeks),
        frequency=agreement.meeting_frequency if agreement else "",
    )
    return {
        "pair": pair,
        "partner": partner,
        "step": step,
        "last_meeting": last_meeting,
        "pulse_waiting": pulse_waiting,
        "pulse_privacy": PULSE_PRIVACY,
        "meeting_form": MeetingForm(),
    }


def attention_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """For whoever runs the pairs: those needing attention first, and who waits to be matched."""
    if Perm.SELECT not in request.programme_perms:
        return None
    programme = request.programme
    ranked = dashboard_pairs(programme, today, flagged=True).select_related(None)
    # What the panel shows of each: the partners' names and why it needs attention.
    shown = ranked.select_related("senior", "junior").only(
        *REASONS_READ, "senior__full_name", "junior__full_name"
    )
    flagged = head_of(shown, SHOWN)
    active = Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE)
    waiting = Profile.objects.filter(programme=programme).aggregate(
        undecided=Count("pk", filter=Q(decision=Decision.PENDING)),
        unmatched=Count("pk", filter=unmatched(programme)),
        active_pairs=Count("pk", filter=Q(pk__in=active.values("senior_id"))),  # one a pair
    )
    return {"rows": [PairRow(pair) for pair in flagged.rows], "count": flagged.total, **waiting}


@dataclass(frozen=True)
class StewardedPair:
    pair: Pair
    checkin_overdue: bool


def steering_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """A steering member's pairs, those whose check-in is overdue first: the first few, and how
    many in all (their page lists every one)."""
    if Perm.LOOK_AFTER_PAIRS not in request.programme_perms:
        return None
    programme = request.programme
    rows = [
        StewardedPair(pair, pair.checkin_overdue)
        for pair in steering_pairs(programme, request.user, today)
    ]
    rows.sort(key=lambda row: not row.checkin_overdue)
    return {
        "rows": rows[:SHOWN],
        "total": len(rows),
        "overdue": sum(row.checkin_overdue for row in rows),
        "checkin_weeks": programme.checkin_weeks,
    }


@dataclass(frozen=True)
class RelationshipFigures:
    active: int
    met_recently: int
    agreed: int
    meetings: int
    completed: int
    ended_early: int


def relationship_figures(programme: Programme, today: date) -> RelationshipFigures:
    """Counts only, in one query, for those who follow the programme from above."""
    pairs = pairs_with_figures(programme, today)
    active = Q(status=PairStatus.ACTIVE)
    counts = pairs.aggregate(
        active=Count("pk", filter=active),
        met_recently=Count("pk", filter=active & Q(is_quiet=False)),
        agreed=Count("pk", filter=active & Q(agreed_version__isnull=False)),
        completed=Count("pk", filter=Q(status=PairStatus.COMPLETED)),
        ended_early=Count("pk", filter=Q(status=PairStatus.ENDED_EARLY)),
        meetings=Coalesce(Sum("meetings_count"), 0),
    )
    return RelationshipFigures(**counts)


def figures_home(request: HttpRequest, *, today: date, **_: Any) -> dict[str, Any] | None:
    """The executive's (and an admin's) view of the relationships: figures, never names."""
    perms = request.programme_perms
    if Perm.REQUEST_REPORT not in perms or Perm.SELECT in perms:
        return None
    return {
        "figures": relationship_figures(request.programme, today),
        "quiet_weeks": request.programme.quiet_weeks,
    }
