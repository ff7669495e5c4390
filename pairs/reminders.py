"""Nudges for running relationships, delivered through the daily digest. Registered with
notifications in PairsConfig.ready.

Each is one query for every programme at once (the programme's own weeks read in the query), and
names the date the quiet spell started from, so each is nudged once per spell, never twice."""

from collections.abc import Sequence

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from notifications.due import AddDays, Due, mark_of
from notifications.models import Reminder
from notifications.registry import ReminderKind, SweepContext
from organisations.emails import absolute_url
from programmes.reminders import programme_topic_of

from .models import Pair, PairStatus
from .selectors import quiet


def _active_pairs() -> QuerySet[Pair]:
    return Pair.objects.filter(status=PairStatus.ACTIVE).select_related(
        "programme", "senior", "junior"
    )


def quiet_pairs(due: Due) -> QuerySet[Pair]:
    """Active pairs quiet for their programme's weeks (the dashboard's rule), with `last_met`:
    their last meeting, or the day they were published."""
    quiet_since = AddDays(due.today(), F("programme__quiet_weeks") * -7)
    return (
        _active_pairs()
        .filter(quiet(quiet_since))
        .annotate(
            last_met=Coalesce("last_meeting", due.local_date("published_at")),
            topic=programme_topic_of("programme_id"),
            mark=mark_of("quiet", "pk", "last_met"),
        )
    )


def checkins_overdue(due: Due) -> QuerySet[Pair]:
    """Active pairs whose steering member's last check-in (or, before the first, the day the
    pair was published) is older than the programme's check-in weeks, with `last_checkin_on`."""
    checkin_due = AddDays(due.today(), F("programme__checkin_weeks") * -7)
    return (
        _active_pairs()
        .filter(steering_member__isnull=False)
        .annotate(last_checkin_on=Coalesce("last_checkin", due.local_date("published_at")))
        .filter(last_checkin_on__lt=checkin_due)
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("checkin", "pk", "last_checkin_on"),
        )
    )


def _quiet_nudges(context: SweepContext, pairs: Sequence[Pair]) -> list[Reminder]:
    """Both partners of a quiet pair."""
    organisation = context.organisation
    reminders = []
    for pair in pairs:
        programme = pair.programme
        my_pair = absolute_url(reverse("pairs:my_pair", args=[organisation.slug, programme.pk]))
        for profile in (pair.senior, pair.junior):
            if profile.user_id:
                reminders.append(
                    context.reminder(
                        pair,
                        profile.user_id,
                        subject=f"{programme.name}: time to meet your partner again?",
                        body=f"Your pair has not logged a meeting since "
                        f"{pair.last_met:%-d %B %Y}. Arrange one, or tell the coordinator "
                        "in confidence if something is in the way.",
                        url=my_pair,
                    )
                )
    return reminders


def _checkin_nudges(context: SweepContext, pairs: Sequence[Pair]) -> list[Reminder]:
    """The steering member whose check-in with a pair is overdue."""
    organisation = context.organisation
    reminders = []
    for pair in pairs:
        programme = pair.programme
        my_pairs = absolute_url(reverse("pairs:my_pairs", args=[organisation.slug, programme.pk]))
        reminders.append(
            context.reminder(
                pair,
                pair.steering_member_id,
                subject=f"{programme.name}: a check-in with {pair} is due",
                body=f"Your last check-in with {pair} was on {pair.last_checkin_on:%-d %B %Y}.",
                url=my_pairs,
            )
        )
    return reminders


RELATIONSHIP_NUDGES = (
    ReminderKind(organisation="programme__organisation", due=quiet_pairs, produce=_quiet_nudges),
    ReminderKind(
        organisation="programme__organisation", due=checkins_overdue, produce=_checkin_nudges
    ),
)
