"""Weekly reminders to those who have not answered an open survey."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import answer, open_survey, participants
from ..mailbox import delivered


@pytest.mark.django_db
def test_non_respondents_are_reminded_weekly_until_the_survey_closes(programme):
    from datetime import UTC, datetime

    from django.core import mail
    from django_scopes import scope

    from notifications.services import reminders_record, reminders_send_due

    survey = open_survey(programme, audience="junior", title="Junior voice")
    junior, answered = participants(programme, 0, 2)
    answer(survey, answered, 4)
    org = programme.organisation
    today = timezone.localdate()

    def sweep(day_offset: int) -> list[str]:
        mail.outbox.clear()
        at = datetime.combine(today + timedelta(days=day_offset), datetime.min.time(), tzinfo=UTC)
        at = at.replace(hour=12)
        with scope(organisation=org):
            reminders_record(organisation=org, now=at)
            reminders_send_due(organisation=org, now=at)
        return [m.to[0] for m in delivered() if "Junior voice" in m.body]

    assert sweep(0) == [junior.email]
    assert sweep(1) == []  # at most once a week, counted from the day it opened
    assert sweep(6) == [junior.email]  # a week after opening
    assert sweep(30) == []  # closed
