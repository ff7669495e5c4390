"""Reads for supervision. Each role reaches referrals through its own queryset: the coordinator
all of the programme's, a supervisor those assigned to them, anyone else those they raised."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Min, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from organisations.models import User
from pairs.models import Pair, PairStatus
from programmes.models import GroupSession, Programme

from .models import (
    ACTIVE_CASE_STATUSES,
    OPEN_STATUSES,
    URGENCY_ORDER,
    AgendaIssue,
    Attendance,
    Consent,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Route,
    SupervisionNote,
    SupervisionSession,
    Supervisor,
)

URGENCY_RANK = Case(
    *(When(urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_ORDER.items()),
    output_field=IntegerField(),
)


def _referrals(programme: Programme) -> QuerySet[Referral]:
    return Referral.objects.filter(programme=programme).select_related(
        "pair__senior", "pair__junior", "person", "raised_by", "supervisor__user"
    )


def triage_queue(programme: Programme, *, status: str = "", urgency: str = "") -> QuerySet:
    """The coordinator's queue: urgent first, then the longest waiting. Open ones unless a
    status is asked for."""
    referrals = _referrals(programme).annotate(urgency_rank=URGENCY_RANK)
    referrals = (
        referrals.filter(status=status) if status else referrals.filter(status__in=OPEN_STATUSES)
    )
    if urgency:
        referrals = referrals.filter(urgency=urgency)
    return referrals.order_by("urgency_rank", "created_at", "pk")


def referral_for_coordinator(programme: Programme, referral_id: int) -> QuerySet[Referral]:
    return _referrals(programme).filter(pk=referral_id)


def referrals_of_pair(programme: Programme, pair: Pair) -> QuerySet[Referral]:
    """For the coordinator's page of the pair: urgent and open first."""
    return (
        _referrals(programme)
        .filter(pair=pair)
        .annotate(urgency_rank=URGENCY_RANK)
        .order_by("closed_at", "urgency_rank", "-created_at")
    )


def referrals_raised_by(programme: Programme, user: User) -> QuerySet[Referral]:
    """What this person asked for: referrals they raised, and those the coordinator made of a
    confidential concern of theirs (its text is theirs)."""
    return (
        _referrals(programme)
        .filter(Q(raised_by=user) | Q(concern__raised_by=user))
        .annotate(urgency_rank=URGENCY_RANK)
        .order_by("closed_at", "urgency_rank", "-created_at")
    )


def caseload(programme: Programme, user: User) -> QuerySet[Referral]:
    """A supervisor's cases: only those assigned to them, urgent and waiting first, each with
    its next session."""
    ahead = Q(sessions__starts_at__gte=timezone.now())
    return (
        _referrals(programme)
        .filter(supervisor__user=user)
        .annotate(urgency_rank=URGENCY_RANK, next_session=Min("sessions__starts_at", filter=ahead))
        .order_by("closed_at", "urgency_rank", "created_at", "pk")
    )


def consents_asked_of(programme: Programme, user: User) -> QuerySet[Consent]:
    """Supervision offered to this person that waits for their answer. The consent says what is
    offered, never what the referral says (they may not be the one who raised it)."""
    return Consent.objects.filter(
        referral__programme=programme,
        user=user,
        agreed__isnull=True,
        referral__status=ReferralStatus.AWAITING_CONSENT,
    ).select_related("referral")


def referral_events(referral: Referral) -> QuerySet[ReferralEvent]:
    return ReferralEvent.objects.filter(referral=referral).select_related("by")


def sessions_of(referral: Referral) -> QuerySet[SupervisionSession]:
    return SupervisionSession.objects.filter(referral=referral)


def own_notes(referral: Referral, author: User) -> QuerySet[SupervisionNote]:
    return SupervisionNote.objects.filter(referral=referral, author=author)


@dataclass(frozen=True)
class PoolRow:
    supervisor: Supervisor
    active: int

    @property
    def has_room(self) -> bool:
        return self.active < self.supervisor.capacity


def pool(programme: Programme) -> list[PoolRow]:
    supervisors = (
        Supervisor.objects.filter(programme=programme)
        .select_related("user")
        .annotate(active=Count("cases", filter=Q(cases__status__in=ACTIVE_CASE_STATUSES)))
    )
    return [PoolRow(supervisor, supervisor.active) for supervisor in supervisors]


def supervisors_with_room(programme: Programme) -> list[Supervisor]:
    return [row.supervisor for row in pool(programme) if row.has_room]


def active_pairs(programme: Programme) -> QuerySet[Pair]:
    return Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE).select_related(
        "senior__user", "junior__user"
    )


def group_sessions_ahead(programme: Programme, today) -> QuerySet[GroupSession]:
    return GroupSession.objects.filter(programme=programme, date__gte=today).order_by(
        "date", "sequence"
    )


def group_session_agenda(session: GroupSession) -> QuerySet[AgendaIssue]:
    """What the group sees of the referrals put to it: the anonymised summaries, nothing else."""
    return AgendaIssue.objects.filter(session=session).only("summary", "session_id", "created_at")


def group_session_attendance(session: GroupSession) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(session=session)
        .select_related("user")
        .order_by("user__full_name")
    )


def group_sessions_with_facilitation(programme: Programme) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.filter(programme=programme)
        .select_related("supervision__facilitator__user")
        .prefetch_related(Prefetch("issues", queryset=AgendaIssue.objects.only("pk", "session_id")))
        .order_by("sequence")
    )


@dataclass(frozen=True)
class RouteCounts:
    """How many referrals went each way, for the evaluation report (counts only)."""

    by_route: dict[str, int]
    by_urgency: dict[str, int]
    by_outcome: dict[str, int]
    total: int


def referral_counts(programme: Programme) -> RouteCounts:
    rows = list(
        Referral.objects.filter(programme=programme).values_list("route", "urgency", "outcome")
    )

    def tally(index: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in rows:
            if row[index]:
                counts[row[index]] = counts.get(row[index], 0) + 1
        return counts

    return RouteCounts(tally(0), tally(1), tally(2), len(rows))


ROUTE_LABELS = dict(Route.choices)
