"""Reminders to people who have not yet answered an open survey, through the daily digest."""

from datetime import date, datetime

from django.urls import reverse

from organisations.emails import absolute_url
from organisations.models import Organisation
from programmes.models import Reminder

from .models import Response, Survey
from .selectors import survey_audience


def survey_nudges(*, organisation: Organisation, today: date, due_at: datetime) -> list[Reminder]:
    """Once a week while a survey is open, everyone it is for who has not sent their answers.
    The key names the week since opening, so nobody hears twice in one week."""
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
                    programme=survey.programme,
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
