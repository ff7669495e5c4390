from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet

from organisations.models import Organisation, User

from .models import OutboxMessage, OutboxStatus, Reminder


def notifications_of(organisation: Organisation, user: User, now: datetime) -> QuerySet[Reminder]:
    """A person's reminders that have come due, newest first."""
    return Reminder.objects.filter(
        organisation=organisation, recipient=user, due_at__lte=now
    ).order_by("-due_at", "-pk")


def unread_notification_count(organisation: Organisation, user: User, now: datetime) -> int:
    return notifications_of(organisation, user, now).filter(read_at__isnull=True).count()


# The navbar's count is on every page. It is kept in the cache until the person's next reminder
# comes due, and at most this long; recording or reading reminders forgets it at once.
UNREAD_KEPT_SECONDS = 300


def unread_count_key(organisation_id: int, user_id: int) -> str:
    return f"unread-notifications:{organisation_id}:{user_id}"


def unread_notification_count_kept(organisation: Organisation, user: User, now: datetime) -> int:
    """unread_notification_count, from the cache while nothing has changed it."""
    key = unread_count_key(organisation.pk, user.pk)
    # The person's joining date tells a kept count from one left by an earlier account with the
    # same id (a test database's ids start again).
    kept = cache.get(key)
    if kept is not None and kept[2] == user.date_joined and now < kept[1]:
        return kept[0]
    unread = Reminder.objects.filter(
        organisation=organisation, recipient=user, read_at__isnull=True
    )
    figures = unread.aggregate(
        count=Count("pk", filter=Q(due_at__lte=now)),
        next_due=Min("due_at", filter=Q(due_at__gt=now)),
    )
    until = now + timedelta(seconds=UNREAD_KEPT_SECONDS)
    if figures["next_due"] is not None:
        until = min(until, figures["next_due"])
    cache.set(key, (figures["count"], until, user.date_joined), UNREAD_KEPT_SECONDS)
    return figures["count"]


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
