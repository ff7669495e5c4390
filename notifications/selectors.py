from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from organisations.models import Organisation, User

from .models import OutboxMessage, OutboxStatus, Reminder


def notifications_of(organisation: Organisation, user: User, now: datetime) -> QuerySet[Reminder]:
    """A person's reminders that have come due, newest first."""
    return Reminder.objects.filter(
        organisation=organisation, recipient=user, due_at__lte=now
    ).order_by("-due_at", "-pk")


def unread_notification_count(organisation: Organisation, user: User, now: datetime) -> int:
    return notifications_of(organisation, user, now).filter(read_at__isnull=True).count()


UNDELIVERABLE = "E-mail to this address could not be delivered"


def undeliverable_addresses(
    *, organisation: Organisation, addresses: Iterable[str]
) -> dict[str, str]:
    """The addresses whose latest e-mail from this organisation could not be delivered (a later
    one that went through clears it), with what to say about each."""
    latest: dict[str, str] = {}
    rows = (
        OutboxMessage.objects.filter(
            organisation=organisation,
            to__in=[address.lower() for address in addresses],
            status__in=[OutboxStatus.SENT, OutboxStatus.FAILED],
        )
        .order_by("created_at", "pk")
        .values_list("to", "status")
    )
    for address, status in rows:
        latest[address] = status
    return {address: UNDELIVERABLE for address, status in latest.items() if status == "failed"}
