"""What supervision reminds people of, through the daily digest (registered with notifications in
SupervisionConfig.ready). No reminder holds a word of what a referral says."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import DateField, OuterRef, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone

from notifications.due import AddDays, Due, WholeDays, mark_of
from notifications.models import Reminder
from notifications.registry import ReminderKind, SweepContext
from organisations.emails import absolute_url
from organisations.roles import Role
from programmes.models import GroupSession, ProgrammeMember
from programmes.reminders import programme_topic_of

from .models import (
    Attendance,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SupervisionSession,
)
from .services import session_people

WAITING_WORKING_DAYS = 2
NO_OUTCOME_WEEKS = 4
COMBINED_SESSION_NOTICE_DAYS = 2


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


def last_day_assigned_too_long_ago(today: date) -> date:
    """The latest day a case assigned then has waited more than two working days by today."""
    day = today
    while working_days_between(day, today) <= WAITING_WORKING_DAYS:
        day -= timedelta(days=1)
    return day


def referrals_waiting(due: Due) -> QuerySet[Referral]:
    """Cases assigned more than two working days ago that their supervisor has not answered,
    with `assigned_at` (the latest assignment) and `assignment`, its event."""
    assignments = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), kind=EventKind.ASSIGNED
    ).order_by("-at", "-pk")
    waited_too_long = due.on_each_day(last_day_assigned_too_long_ago, DateField())
    return (
        Referral.objects.filter(status=ReferralStatus.AWAITING_SUPERVISOR)
        .annotate(
            assigned_at=Subquery(assignments.values("at")[:1]),
            assignment=Subquery(assignments.values("pk")[:1]),
        )
        .alias(assigned_on=due.local_date("assigned_at"))
        .filter(assigned_on__lte=waited_too_long)
        .select_related("programme", "supervisor")
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("supervisor-waiting", "pk", "assignment"),
        )
    )


def sessions_tomorrow(due: Due) -> QuerySet[SupervisionSession]:
    """Supervision sessions of open cases that take place tomorrow, the organisation's."""
    return (
        SupervisionSession.objects.filter(referral__status=ReferralStatus.IN_SUPERVISION)
        .alias(day=due.local_date("starts_at"))
        .filter(day=AddDays(due.today(), 1))
        .select_related(
            "referral__programme",
            "referral__person",
            "referral__supervisor",
            "referral__pair__senior__user",
            "referral__pair__junior__user",
        )
        .annotate(
            topic=programme_topic_of("referral__programme_id"),
            mark=mark_of("supervision-tomorrow", "pk"),
        )
    )


def referrals_without_outcome(due: Due) -> QuerySet[Referral]:
    """Open cases with no outcome four weeks on, with `period`: how many four weeks."""
    return (
        Referral.objects.filter(
            status__in=[ReferralStatus.IN_SUPERVISION, ReferralStatus.WITH_COORDINATOR],
            outcome="",
            created_at__lt=due.now - timedelta(weeks=NO_OUTCOME_WEEKS),
        )
        .annotate(period=WholeDays(Value(due.now), "created_at") / (7 * NO_OUTCOME_WEEKS))
        .select_related("programme", "supervisor")
        .annotate(
            topic=programme_topic_of("programme_id"), mark=mark_of("no-outcome", "pk", "period")
        )
    )


def combined_sessions_soon(due: Due) -> QuerySet[GroupSession]:
    """Combined sessions two days ahead."""
    return (
        GroupSession.objects.filter(date=AddDays(due.today(), COMBINED_SESSION_NOTICE_DAYS))
        .select_related("programme", "supervision__facilitator")
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("combined-session", "pk", "date"),
        )
    )


def _coordinators_by_programme(context: SweepContext) -> dict[int, list[int]]:
    rows = ProgrammeMember.objects.filter(
        programme__organisation=context.organisation, role=Role.COORDINATOR
    ).values_list("programme_id", "user_id")
    found: dict[int, list[int]] = {}
    for programme_id, user_id in rows:
        found.setdefault(programme_id, []).append(user_id)
    return found


def _waiting_for_supervisor(context: SweepContext, waiting: Sequence[Referral]) -> list[Reminder]:
    """A case's supervisor and the coordinators, once for each assignment."""
    org = context.organisation
    coordinators = _coordinators_by_programme(context)
    reminders = []
    for referral in waiting:
        assigned_on = timezone.localdate(referral.assigned_at, org.zone)
        stamp = int(referral.assigned_at.timestamp())
        case = absolute_url(
            reverse("supervision:case", args=[org.slug, referral.programme_id, referral.pk])
        )
        triage = absolute_url(
            reverse("supervision:referral", args=[org.slug, referral.programme_id, referral.pk])
        )
        name = referral.programme.name
        reminders.append(
            context.reminder(
                referral,
                referral.supervisor.user_id,
                key=f"supervisor-waiting:{referral.pk}:{stamp}:{referral.supervisor.user_id}",
                subject=f"{name}: a referral is waiting for your answer",
                body="Accept it, or hand it back to the coordinator with a reason.",
                url=case,
            )
        )
        for user_id in coordinators.get(referral.programme_id, []):
            reminders.append(
                context.reminder(
                    referral,
                    user_id,
                    key=f"supervisor-waiting:{referral.pk}:{stamp}:{user_id}",
                    subject=f"{name}: a supervisor has not yet answered a referral",
                    body=f"Assigned on {assigned_on:%-d %B}. You may choose someone else.",
                    url=triage,
                )
            )
    return reminders


def _sessions_tomorrow(
    context: SweepContext, sessions: Sequence[SupervisionSession]
) -> list[Reminder]:
    """The people a session is with, and its supervisor, the day before."""
    org = context.organisation
    reminders = []
    for session in sessions:
        starts = timezone.localtime(session.starts_at, org.zone)
        referral = session.referral
        people = [user.pk for user in session_people(referral)]
        for user_id in [*people, referral.supervisor.user_id]:
            page = "supervision:case" if user_id == referral.supervisor.user_id else None
            url = absolute_url(
                reverse(page, args=[org.slug, referral.programme_id, referral.pk])
                if page
                else reverse("supervision:mine", args=[org.slug, referral.programme_id])
            )
            reminders.append(
                context.reminder(
                    session,
                    user_id,
                    subject=f"{referral.programme.name}: supervision tomorrow at {starts:%H:%M}",
                    body=f"{session.get_mode_display()}, {session.duration_minutes} minutes: "
                    f"{session.place}",
                    url=url,
                )
            )
    return reminders


def _no_outcome_yet(context: SweepContext, stale: Sequence[Referral]) -> list[Reminder]:
    """An open case with no outcome four weeks on: once every four weeks, to the coordinators
    and the supervisor."""
    org = context.organisation
    coordinators = _coordinators_by_programme(context)
    reminders = []
    for referral in stale:
        args = [org.slug, referral.programme_id, referral.pk]
        triage = absolute_url(reverse("supervision:referral", args=args))
        case = absolute_url(reverse("supervision:case", args=args))
        people = list(coordinators.get(referral.programme_id, []))
        if referral.supervisor is not None:
            people.append(referral.supervisor.user_id)
        for user_id in people:
            is_supervisor = referral.supervisor and user_id == referral.supervisor.user_id
            reminders.append(
                context.reminder(
                    referral,
                    user_id,
                    subject=f"{referral.programme.name}: a referral has had no outcome for "
                    f"{NO_OUTCOME_WEEKS * referral.period} weeks",
                    body="Record where it stands: resolved, continuing, or what should happen.",
                    url=case if is_supervisor else triage,
                )
            )
    return reminders


def _combined_sessions_soon(
    context: SweepContext, sessions: Sequence[GroupSession]
) -> list[Reminder]:
    """Everyone invited to a combined session, and its facilitator, hear of it two days ahead,
    with the ground rules to acknowledge."""
    org = context.organisation
    invited: dict[int, set[int]] = {session.pk: set() for session in sessions}
    attendance = Attendance.objects.filter(session__in=list(invited))
    for session_id, user_id in attendance.values_list("session", "user"):
        invited[session_id].add(user_id)
    reminders = []
    for session in sessions:
        people = invited[session.pk]
        facilitation = getattr(session, "supervision", None)
        if facilitation and facilitation.facilitator:
            people.add(facilitation.facilitator.user_id)
        url = absolute_url(
            reverse("supervision:group_session", args=[org.slug, session.programme_id, session.pk])
        )
        where = f" at {session.location}" if session.location else ""
        for user_id in sorted(people):
            reminders.append(
                context.reminder(
                    session,
                    user_id,
                    subject=f"{session.programme.name}: {session} on "
                    f"{session.date:%A %-d %B}, {session.start_time:%H:%M}",
                    body=f"{session.duration_minutes} minutes{where}. Read the ground rules and "
                    "acknowledge them before you come.",
                    url=url,
                )
            )
    return reminders


SUPERVISION_REMINDERS = (
    ReminderKind(
        organisation="programme__organisation",
        due=referrals_waiting,
        produce=_waiting_for_supervisor,
    ),
    ReminderKind(
        organisation="referral__programme__organisation",
        due=sessions_tomorrow,
        produce=_sessions_tomorrow,
    ),
    ReminderKind(
        organisation="programme__organisation",
        due=referrals_without_outcome,
        produce=_no_outcome_yet,
    ),
    ReminderKind(
        organisation="programme__organisation",
        due=combined_sessions_soon,
        produce=_combined_sessions_soon,
    ),
)
