"""What supervision adds to the programme's calendar feed and readiness scorecard (connected to
programmes' hooks in SupervisionConfig.ready)."""

from datetime import date, timedelta

from django.db.models import Q

from organisations.models import User
from programmes.calendar import CalendarEvent
from programmes.models import Programme
from programmes.readiness import Check

from .models import ReferralStatus, Route, SupervisionSession
from .selectors import pool

SUPERVISION_STANDARD = 4  # measurement and review: supervision safeguards the participants


def supervision_calendar(*, programme: Programme, user: User) -> list[CalendarEvent]:
    """A person's supervision sessions: those they are in, or run as the case's supervisor."""
    theirs = Q(referral__supervisor__user=user) | Q(
        referral__route=Route.INDIVIDUAL, referral__person=user
    )
    as_partner = (Q(referral__pair__senior__user=user) | Q(referral__pair__junior__user=user)) & (
        ~Q(referral__route=Route.INDIVIDUAL) | Q(referral__person__isnull=True)
    )
    sessions = SupervisionSession.objects.filter(
        theirs | as_partner,
        referral__programme=programme,
        referral__status__in=[ReferralStatus.IN_SUPERVISION, ReferralStatus.CLOSED],
    )
    return [
        CalendarEvent(
            uid=f"supervision-{session.pk}",
            summary="Supervision session",
            starts=session.starts_at,
            ends=session.starts_at + timedelta(minutes=session.duration_minutes),
            description=f"{session.get_mode_display()}.",
            location=session.place,
        )
        for session in sessions
    ]


def supervision_readiness(*, programme: Programme, today: date) -> dict[int, list[Check]]:
    rows = pool(programme)
    return {
        SUPERVISION_STANDARD: [
            Check(
                "A supervisor pool in place, with room for cases",
                any(row.has_room for row in rows),
                "supervision:pool",
            )
        ]
    }
