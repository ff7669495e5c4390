from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Value
from django_scopes import scopes_disabled

from organisations.models import Organisation, User

from .due import Due, LocalDate
from .models import Digest, OutboxMessage, OutboxStatus, Reminder
from .registry import DueWork, SweepContext, reminder_kinds, sweep_jobs


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


def sendable_reminders(due: Due) -> QuerySet[Reminder]:
    """Reminders whose digest can go out now: due and unsent, once the digest hour has come in
    their organisation, to a person whose digest of that day has neither gone out (what comes
    after waits for tomorrow's) nor is being sent by another sweep, and not in a digest another
    sweep is sending."""
    lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    being_sent = Q(sent_at__isnull=True, claimed_at__gte=due.now - lease)
    todays = Digest.objects.filter(
        organisation=OuterRef("organisation"),
        recipient=OuterRef("recipient"),
        day=LocalDate(Value(due.now), OuterRef("organisation__time_zone")),
    ).filter(Q(sent_at__isnull=False) | being_sent)
    return (
        Reminder.objects.filter(sent_at__isnull=True, due_at__lte=due.now)
        .alias(local_hour=due.local_hour())
        .filter(local_hour__gte=settings.DIGEST_LOCAL_HOUR)
        .exclude(digest__in=Digest.objects.filter(being_sent))
        .exclude(Exists(todays))
    )


DIGESTS = DueWork(name="digests", organisation="organisation", due=sendable_reminders)


def due_work() -> list[DueWork]:
    """Everything the sweep does: the digests, every app's kinds of reminders and its jobs."""
    return [DIGESTS, *reminder_kinds().values(), *sweep_jobs().values()]


def work_due(now: datetime) -> dict[int, set[str]]:
    """What is due now (the names of `due_work`), by organisation: one query, a union of every
    app's query of what is due, however many organisations there are."""
    with scopes_disabled():  # ids of organisations and names of work, nothing they hold
        first, *rest = [work.organisations(now) for work in due_work()]
        found: dict[int, set[str]] = {}
        for organisation_id, name in first.union(*rest):
            found.setdefault(organisation_id, set()).add(name)
        return found


def organisations_due(now: datetime) -> list[int]:
    return sorted(work_due(now))


def work_due_in(context: SweepContext) -> set[str]:
    """The names of the work (`due_work`) with something due in the sweep's organisation, in
    one query."""
    first, *rest = [
        work.here(context).annotate(due_work=Value(work.name)).values_list("due_work")
        for work in due_work()
    ]
    return {name for (name,) in first.union(*rest)}
