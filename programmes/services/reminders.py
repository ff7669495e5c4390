"""Keeping the programme's reminders true when its dates or tasks change."""

from notifications.services import reminders_forget

from ..models import Programme
from ..reminders import DATE_REMINDER_KEYS, programme_topic


def reminders_forget_unsent(*, programme: Programme) -> int:
    """Drop the programme's unsent date reminders after its dates or tasks change; the next sweep
    records again only those that still hold, so nobody is told of a date that moved."""
    return reminders_forget(
        organisation=programme.organisation,
        topic=programme_topic(programme.pk),
        key_prefixes=DATE_REMINDER_KEYS,
    )
