"""Nudges for running relationships, delivered through the daily digest. Registered with
notifications in PairsConfig.ready."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Reminder
from notifications.registry import SweepContext
from organisations.emails import absolute_url
from programmes.models import Programme
from programmes.reminders import programme_topic

from .models import PairStatus
from .selectors import pairs_with_figures


def relationship_nudges(context: SweepContext) -> list[Reminder]:
    """Partners whose pair has not met for the programme's quiet weeks, and steering members
    whose check-in is overdue. The key names the date the quiet spell started from, so each is
    nudged once per spell, never twice."""
    organisation, today, due_at = context.organisation, context.today, context.this_morning
    reminders = []
    for programme in Programme.objects.filter(organisation=organisation):
        pairs = pairs_with_figures(programme, today).filter(status=PairStatus.ACTIVE)
        checkin_due = today - timedelta(weeks=programme.checkin_weeks)
        my_pair = absolute_url(reverse("pairs:my_pair", args=[organisation.slug, programme.pk]))
        my_pairs = absolute_url(reverse("pairs:my_pairs", args=[organisation.slug, programme.pk]))
        for pair in pairs:
            published = (
                timezone.localdate(pair.published_at, organisation.zone)
                if pair.published_at
                else today
            )
            last_met = pair.last_meeting or published
            if pair.is_quiet:  # the dashboard's own rule, worked out in the query
                for profile in (pair.senior, pair.junior):
                    if profile.user_id:
                        reminders.append(
                            Reminder(
                                organisation=organisation,
                                topic=programme_topic(programme.pk),
                                recipient_id=profile.user_id,
                                key=f"quiet:{pair.pk}:{last_met.isoformat()}:{profile.user_id}",
                                subject=f"{programme.name}: time to meet your partner again?",
                                body=f"Your pair has not logged a meeting since "
                                f"{last_met:%-d %B %Y}. Arrange one, or tell the coordinator "
                                "in confidence if something is in the way.",
                                url=my_pair,
                                due_at=due_at,
                            )
                        )
            last_checkin = pair.last_checkin or published
            if pair.steering_member_id and last_checkin < checkin_due:
                user_id = pair.steering_member_id
                reminders.append(
                    Reminder(
                        organisation=organisation,
                        topic=programme_topic(programme.pk),
                        recipient_id=user_id,
                        key=f"checkin:{pair.pk}:{last_checkin.isoformat()}:{user_id}",
                        subject=f"{programme.name}: a check-in with {pair} is due",
                        body=f"Your last check-in with {pair} was on {last_checkin:%-d %B %Y}.",
                        url=my_pairs,
                        due_at=due_at,
                    )
                )
    return reminders
