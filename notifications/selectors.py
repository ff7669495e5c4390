from datetime import datetime

from django.db.models import QuerySet

from organisations.models import Organisation, User

from .models import Reminder


def notifications_of(organisation: Organisation, user: User, now: datetime) -> QuerySet[Reminder]:
    """A person's reminders that have come due, newest first."""
    return Reminder.objects.filter(
        organisation=organisation, recipient=user, due_at__lte=now
    ).order_by("-due_at", "-pk")


def unread_notification_count(organisation: Organisation, user: User, now: datetime) -> int:
    return notifications_of(organisation, user, now).filter(read_at__isnull=True).count()
