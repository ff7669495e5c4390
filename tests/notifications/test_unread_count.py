"""The navbar's unread count is kept in the cache, yet always says what a person has unread:
a reminder coming due, a reminder recorded and reading them all each show at once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_scopes import scope

from notifications.models import Reminder
from notifications.selectors import unread_notification_count_kept
from notifications.services import notifications_mark_read, reminders_add

from .. import factories


def reminder(org, user, key: str, due_at) -> Reminder:
    return Reminder(
        organisation=org, recipient=user, key=key, subject="A stage starts", body="", due_at=due_at
    )


@pytest.fixture
def person(org):
    cache.clear()
    return factories.member(org)


@pytest.mark.django_db
def test_the_kept_count_follows_what_comes_due_what_is_recorded_and_what_is_read(org, person):
    now = timezone.now()
    with scope(organisation=org):
        reminders_add([reminder(org, person, "a", now - timedelta(hours=1))])
        reminders_add([reminder(org, person, "later", now + timedelta(hours=2))])
        assert unread_notification_count_kept(org, person, now) == 1
        # The one due later shows once its time comes, with nothing written meanwhile.
        assert unread_notification_count_kept(org, person, now + timedelta(hours=3)) == 2
        reminders_add([reminder(org, person, "new", now - timedelta(minutes=1))])
        assert unread_notification_count_kept(org, person, now + timedelta(hours=3)) == 3
        notifications_mark_read(organisation=org, user=person, now=now + timedelta(hours=3))
        assert unread_notification_count_kept(org, person, now + timedelta(hours=3)) == 0


@pytest.mark.django_db
def test_nothing_is_kept_past_the_longest_it_may_be(org, person):
    now = timezone.now()
    with scope(organisation=org):
        assert unread_notification_count_kept(org, person, now) == 0
        Reminder.objects.bulk_create([reminder(org, person, "raw", now - timedelta(minutes=1))])
        assert unread_notification_count_kept(org, person, now) == 0  # written past reminders_add
        assert unread_notification_count_kept(org, person, now + timedelta(minutes=6)) == 1
