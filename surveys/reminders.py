"""Reminders to people who have not yet answered an open survey, through the daily digest."""

from django.urls import reverse

from notifications.models import Reminder
from notifications.registry import SweepContext
from organisations.emails import absolute_url
from programmes.reminders import programme_topic

from .models import Response, Survey
from .selectors import survey_audience


def survey_nudges(context: SweepContext) -> list[Reminder]:
    """Once a week while a survey is open, everyone it is for who has not sent their answers.
    The key names the week since opening, so nobody hears twice in one week."""
    organisation, today, due_at = context.organisation, context.today, context.this_morning
    reminders = []
    surveys = Survey.objects.filter(
        programme__organisation=organisation, opens_on__lte=today, closes_on__gte=today
    ).select_related("programme")
    for survey in surveys:
        week = (today - survey.opens_on).days // 7  # counted from opening: once in each 7 days
        answered = set(
            Response.objects.filter(survey=survey, submitted_at__isnull=False).values_list(
                "respondent_id", flat=True
            )
        )
        url = absolute_url(
            reverse("surveys:respond", args=[organisation.slug, survey.programme_id, survey.pk])
        )
        audience = set(survey_audience(survey).values_list("user_id", flat=True))
        for user_id in audience - answered:
            reminders.append(
                Reminder(
                    organisation=organisation,
                    topic=programme_topic(survey.programme_id),
                    recipient_id=user_id,
                    key=f"survey:{survey.pk}:week-{week}:{user_id}",
                    subject=f"{survey.programme.name}: “{survey.title}” is waiting for you",
                    body=f"It closes on {survey.closes_on:%-d %B %Y}. Nobody sees who answered "
                    "what.",
                    url=url,
                    due_at=due_at,
                )
            )
    return reminders
