"""Reminders to people who have not yet answered an open survey, through the daily digest."""

from collections.abc import Sequence

from django.db.models import QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse

from notifications.due import Due, WholeDays, mark_of
from notifications.models import Reminder
from notifications.registry import ReminderKind, SweepContext
from organisations.emails import absolute_url
from programmes.reminders import programme_topic_of

from .models import Response, Survey
from .selectors import survey_audience


def surveys_open(due: Due) -> QuerySet[Survey]:
    """Open surveys, with `week`: the week since opening (counted from the day it opened)."""
    today = due.today()
    return (
        Survey.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("programme")
        .annotate(week=WholeDays(today, "opens_on") / 7)
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("survey", "pk", Concat(Value("week-"), "week")),
        )
    )


def _survey_nudges(context: SweepContext, surveys: Sequence[Survey]) -> list[Reminder]:
    """Once a week while a survey is open, everyone it is for who has not sent their answers.
    The key names the week since opening, so nobody hears twice in one week."""
    organisation = context.organisation
    reminders = []
    for survey in surveys:
        answered = set(
            Response.objects.filter(survey=survey, submitted_at__isnull=False).values_list(
                "respondent_id", flat=True
            )
        )
        url = absolute_url(
            reverse("surveys:respond", args=[organisation.slug, survey.programme_id, survey.pk])
        )
        audience = set(survey_audience(survey).values_list("user_id", flat=True))
        for user_id in sorted(audience - answered):
            reminders.append(
                context.reminder(
                    survey,
                    user_id,
                    subject=f"{survey.programme.name}: “{survey.title}” is waiting for you",
                    body=f"It closes on {survey.closes_on:%-d %B %Y}. Nobody sees who answered "
                    "what.",
                    url=url,
                )
            )
    return reminders


SURVEY_NUDGES = ReminderKind(
    organisation="programme__organisation", due=surveys_open, produce=_survey_nudges
)
