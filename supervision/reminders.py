"""What supervision reminds people of, through the daily digest (registered with notifications in
SupervisionConfig.ready). No reminder holds a word of what a referral says."""

from datetime import date, timedelta

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import Reminder
from notifications.registry import SweepContext
from organisations.emails import absolute_url
from organisations.roles import Role
from programmes.models import GroupSession, ProgrammeMember
from programmes.reminders import programme_topic

from .models import Attendance, EventKind, Referral, ReferralStatus, SupervisionSession
from .services import session_people

WAITING_WORKING_DAYS = 2
NO_OUTCOME_WEEKS = 4


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


def supervision_reminders(context: SweepContext) -> list[Reminder]:
    return [
        *_waiting_for_supervisor(context),
        *_sessions_tomorrow(context),
        *_no_outcome_yet(context),
        *_combined_sessions_soon(context),
    ]


def _coordinators_by_programme(context: SweepContext) -> dict[int, list[int]]:
    rows = ProgrammeMember.objects.filter(
        programme__organisation=context.organisation, role=Role.COORDINATOR
    ).values_list("programme_id", "user_id")
    found: dict[int, list[int]] = {}
    for programme_id, user_id in rows:
        found.setdefault(programme_id, []).append(user_id)
    return found


def _reminder(
    context: SweepContext, referral: Referral, user_id: int, key: str, **words
) -> Reminder:
    return Reminder(
        organisation=context.organisation,
        topic=programme_topic(referral.programme_id),
        recipient_id=user_id,
        key=key,
        due_at=context.this_morning,
        **words,
    )


def _waiting_for_supervisor(context: SweepContext) -> list[Reminder]:
    """A case assigned more than two working days ago that its supervisor has not answered."""
    org, today = context.organisation, context.today
    waiting = (
        Referral.objects.filter(
            programme__organisation=org, status=ReferralStatus.AWAITING_SUPERVISOR
        )
        .select_related("programme", "supervisor")
        .annotate(assigned_at=Max("events__at", filter=Q(events__kind=EventKind.ASSIGNED)))
    )
    coordinators = _coordinators_by_programme(context)
    reminders = []
    for referral in waiting:
        if referral.assigned_at is None:
            continue
        assigned_on = timezone.localdate(referral.assigned_at, org.zone)
        stamp = int(referral.assigned_at.timestamp())
        if working_days_between(assigned_on, today) <= WAITING_WORKING_DAYS:
            continue
        case = absolute_url(
            reverse("supervision:case", args=[org.slug, referral.programme_id, referral.pk])
        )
        triage = absolute_url(
            reverse("supervision:referral", args=[org.slug, referral.programme_id, referral.pk])
        )
        name = referral.programme.name
        reminders.append(
            _reminder(
                context,
                referral,
                referral.supervisor.user_id,
                f"supervisor-waiting:{referral.pk}:{stamp}:{referral.supervisor.user_id}",
                subject=f"{name}: a referral is waiting for your answer",
                body="Accept it, or hand it back to the coordinator with a reason.",
                url=case,
            )
        )
        for user_id in coordinators.get(referral.programme_id, []):
            reminders.append(
                _reminder(
                    context,
                    referral,
                    user_id,
                    f"supervisor-waiting:{referral.pk}:{stamp}:{user_id}",
                    subject=f"{name}: a supervisor has not yet answered a referral",
                    body=f"Assigned on {assigned_on:%-d %B}. You may choose someone else.",
                    url=triage,
                )
            )
    return reminders


def _sessions_tomorrow(context: SweepContext) -> list[Reminder]:
    org = context.organisation
    tomorrow = context.today + timedelta(days=1)
    sessions = SupervisionSession.objects.filter(
        referral__programme__organisation=org, referral__status=ReferralStatus.IN_SUPERVISION
    ).select_related(
        "referral__programme",
        "referral__person",
        "referral__supervisor",
        "referral__pair__senior__user",
        "referral__pair__junior__user",
    )
    reminders = []
    for session in sessions:
        starts = timezone.localtime(session.starts_at, org.zone)
        if starts.date() != tomorrow:
            continue
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
                _reminder(
                    context,
                    referral,
                    user_id,
                    f"supervision-tomorrow:{session.pk}:{user_id}",
                    subject=f"{referral.programme.name}: supervision tomorrow at {starts:%H:%M}",
                    body=f"{session.get_mode_display()}, {session.duration_minutes} minutes: "
                    f"{session.place}",
                    url=url,
                )
            )
    return reminders


def _no_outcome_yet(context: SweepContext) -> list[Reminder]:
    """An open case with no outcome four weeks on: once every four weeks, to the coordinators
    and the supervisor."""
    org, now = context.organisation, context.now
    stale = Referral.objects.filter(
        programme__organisation=org,
        status__in=[ReferralStatus.IN_SUPERVISION, ReferralStatus.WITH_COORDINATOR],
        outcome="",
        created_at__lt=now - timedelta(weeks=NO_OUTCOME_WEEKS),
    ).select_related("programme", "supervisor")
    coordinators = _coordinators_by_programme(context)
    reminders = []
    for referral in stale:
        period = (now - referral.created_at).days // (7 * NO_OUTCOME_WEEKS)
        url = absolute_url(
            reverse("supervision:referral", args=[org.slug, referral.programme_id, referral.pk])
        )
        people = list(coordinators.get(referral.programme_id, []))
        if referral.supervisor is not None:
            people.append(referral.supervisor.user_id)
        for user_id in people:
            is_supervisor = referral.supervisor and user_id == referral.supervisor.user_id
            reminders.append(
                _reminder(
                    context,
                    referral,
                    user_id,
                    f"no-outcome:{referral.pk}:{period}:{user_id}",
                    subject=f"{referral.programme.name}: a referral has had no outcome for "
                    f"{NO_OUTCOME_WEEKS * period} weeks",
                    body="Record where it stands: resolved, continuing, or what should happen.",
                    url=absolute_url(
                        reverse(
                            "supervision:case", args=[org.slug, referral.programme_id, referral.pk]
                        )
                    )
                    if is_supervisor
                    else url,
                )
            )
    return reminders


COMBINED_SESSION_NOTICE_DAYS = 2


def _combined_sessions_soon(context: SweepContext) -> list[Reminder]:
    """Everyone invited to a combined session, and its facilitator, hear of it two days ahead,
    with the ground rules to acknowledge."""
    org = context.organisation
    day = context.today + timedelta(days=COMBINED_SESSION_NOTICE_DAYS)
    reminders = []
    sessions = GroupSession.objects.filter(programme__organisation=org, date=day).select_related(
        "programme", "supervision__facilitator"
    )
    for session in sessions:
        people = set(Attendance.objects.filter(session=session).values_list("user", flat=True))
        facilitation = getattr(session, "supervision", None)
        if facilitation and facilitation.facilitator:
            people.add(facilitation.facilitator.user_id)
        url = absolute_url(
            reverse("supervision:group_session", args=[org.slug, session.programme_id, session.pk])
        )
        where = f" at {session.location}" if session.location else ""
        for user_id in sorted(people):
            reminders.append(
                Reminder(
                    organisation=org,
                    topic=programme_topic(session.programme_id),
                    recipient_id=user_id,
                    key=f"combined-session:{session.pk}:{session.date}:{user_id}",
                    subject=f"{session.programme.name}: {session} on "
                    f"{session.date:%A %-d %B}, {session.start_time:%H:%M}",
                    body=f"{session.duration_minutes} minutes{where}. Read the ground rules and "
                    "acknowledge them before you come.",
                    url=url,
                    due_at=context.this_morning,
                )
            )
    return reminders
