"""Recording what is due, sending at most one digest a day per person, and the sweep that does
both for one organisation at a time."""

import logging
import secrets
from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from organisations.emails import absolute_url, send_email
from organisations.models import Membership, Organisation, User

from .models import Digest, OrganisationSweep, Reminder, ReminderMark
from .registry import SweepContext, reminder_kinds, sweep_jobs
from .selectors import DIGESTS, unread_count_key, work_due_in

logger = logging.getLogger(__name__)


def reminders_add(reminders: list[Reminder]) -> int:
    """Record reminders (one already recorded under the same key is left as it is), and forget
    their recipients' kept unread counts."""
    if not reminders:
        return 0
    added = Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    cache.delete_many(
        list({unread_count_key(r.organisation_id, r.recipient_id) for r in reminders})
    )
    return len(added)


def reminders_record(
    *, organisation: Organisation, now: datetime, kinds: Collection[str] | None = None
) -> int:
    """Record the reminders of everything newly due by now (of the `kinds` named, or all), and
    mark each thing as reminded of, so that no sweep offers it again. Returns how many were
    recorded."""
    context = SweepContext(organisation, now)
    reminders: list[Reminder] = []
    marks: list[ReminderMark] = []
    for name, kind in reminder_kinds().items():
        if kinds is not None and name not in kinds:
            continue
        rows = list(kind.here(context))
        if not rows:
            continue
        reminders += kind.produce(context, rows)
        marks += [ReminderMark(organisation=organisation, topic=r.topic, key=r.mark) for r in rows]
    # The reminders first, then the marks: a sweep that dies in between offers them again, and
    # their keys make that harmless. A reminder forgotten and offered again may be there already.
    recorded = reminders_add(reminders)
    if marks:
        ReminderMark.objects.bulk_create(marks, ignore_conflicts=True)
    return recorded


def reminders_send_due(*, organisation: Organisation, now: datetime) -> int:
    """Send each person today's digest of their due reminders; return how many e-mails went out.

    The day is the organisation's. A digest row per person and day is the claim, taken by one
    conditional UPDATE: of two sweeps running at once only one sends it; a claim older than the
    lease belongs to a sweep that died half-way, and the next sweep completes it. Once a person's
    digest for the day is sent, anything newly due waits for tomorrow's.
    """
    local_now = timezone.localtime(now, organisation.zone)
    if local_now.hour < settings.DIGEST_LOCAL_HOUR:
        return 0  # nobody's digest goes out in the night
    day = local_now.date()
    due = Reminder.objects.filter(organisation=organisation, sent_at__isnull=True, due_at__lte=now)
    sendable = DIGESTS.here(SweepContext(organisation, now))
    recipient_ids = sorted(set(sendable.values_list("recipient_id", flat=True)))
    if not recipient_ids:
        return 0
    Digest.objects.bulk_create(
        [Digest(organisation=organisation, recipient_id=r, day=day) for r in recipient_ids],
        ignore_conflicts=True,
    )
    lease_cutoff = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease_cutoff)
    claimable = Digest.objects.filter(organisation=organisation, day=day, sent_at__isnull=True)
    claimable = claimable.filter(unclaimed)
    # Digests that died unsent (say, yesterday's); a digest another sweep holds is left alone.
    abandoned = Digest.objects.filter(organisation=organisation, sent_at__isnull=True).filter(
        unclaimed
    )
    # Who wants e-mail, with their address: one query for everyone, not one each.
    wants_email = {
        membership.user_id: membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, user_id__in=recipient_ids, reminder_emails=True
        ).select_related("user")
    }
    emails_sent = 0
    for digest_id, recipient_id in claimable.filter(recipient_id__in=recipient_ids).values_list(
        "pk", "recipient_id"
    ):
        token = secrets.token_hex(16)
        if not claimable.filter(pk=digest_id).update(claim_token=token, claimed_at=now):
            continue  # another sweep claimed it first
        # Everything still unsent joins this digest, including items of a digest that died.
        due.filter(recipient_id=recipient_id).filter(
            Q(digest__isnull=True) | Q(digest=digest_id) | Q(digest__in=abandoned)
        ).update(digest=digest_id)
        batch = list(Reminder.objects.filter(digest=digest_id).order_by("due_at", "pk"))
        if not batch:  # nothing left to send: free the day's digest for later items
            Digest.objects.filter(pk=digest_id, claim_token=token).update(claimed_at=None)
            continue
        emailed = recipient_id in wants_email
        # The e-mail is recorded in the outbox in the same transaction that closes the digest:
        # both happen or neither does, so a sweep that dies here leaves nothing half-done, and
        # the outbox sends the e-mail once. Only the holder of the claim closes the digest.
        with transaction.atomic():
            sent_at = timezone.now()
            if not Digest.objects.filter(pk=digest_id, claim_token=token).update(
                sent_at=sent_at, emailed=emailed
            ):
                continue  # the claim lapsed and another sweep took the digest over
            Reminder.objects.filter(digest=digest_id).update(sent_at=sent_at)
            if emailed:
                _send_digest(organisation, digest_id, wants_email[recipient_id], day, batch)
                emails_sent += 1
    return emails_sent


def _send_digest(
    organisation: Organisation, digest_id: int, recipient: User, day: date, batch: list[Reminder]
) -> None:
    subject = (
        batch[0].subject
        if len(batch) == 1
        else f"{len(batch)} reminders from your mentoring programmes"
    )
    send_email(
        key=f"digest:{digest_id}",
        to=recipient.email,
        organisation=organisation,
        subject=subject,
        template="reminder_digest",
        context={
            "recipient": recipient,
            "reminders": batch,
            "organisation": organisation,
            "day": day,
            "settings_url": absolute_url(reverse("notifications:inbox", args=[organisation.slug])),
        },
    )


def organisation_sweep(
    *, organisation: Organisation, now: datetime, due: Collection[str] | None = None
) -> int | None:
    """Do what is due for one organisation: its apps' jobs, recording its reminders, sending its
    digests. Only what has anything to do runs: `due` names it (the beat found it), or one query
    finds it. Returns the e-mails sent; None when its sweep is already running elsewhere. The
    lease is a conditional UPDATE on the organisation's sweep row."""
    OrganisationSweep.objects.get_or_create(organisation=organisation)
    lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    free = Q(running_until__isnull=True) | Q(running_until__lt=now)
    mine = OrganisationSweep.objects.filter(organisation=organisation)
    if not mine.filter(free).update(running_until=now + lease):
        return None
    try:
        context = SweepContext(organisation, now)
        due = set(due) if due is not None else work_due_in(context)
        for name, job in sweep_jobs().items():
            if name not in due:
                continue
            try:
                job.run(context)
            except Exception:  # one app's housekeeping never stops the reminders
                logger.exception("Sweep job %r failed in organisation %s", name, organisation.pk)
        recorded = reminders_record(organisation=organisation, now=now, kinds=due)
        if not recorded and DIGESTS.name not in due:
            return 0
        return reminders_send_due(organisation=organisation, now=now)
    finally:
        mine.update(running_until=None, last_finished_at=timezone.now())


def reminders_forget(
    *, organisation: Organisation, topic: str, key_prefixes: tuple[str, ...]
) -> int:
    """Drop unsent reminders about `topic` whose keys start with one of `key_prefixes`, after what
    they said changed; the next sweep records again only those that still hold."""
    prefixes = Q()
    for prefix in key_prefixes:
        prefixes |= Q(key__startswith=prefix)
    # Forgotten as reminded of too, whether sent or not: the next sweep offers what still holds
    # again, and those who were told already are not told twice (their reminders' keys).
    ReminderMark.objects.filter(organisation=organisation, topic=topic).filter(prefixes).delete()
    deleted, _ = (
        Reminder.objects.filter(
            organisation=organisation, topic=topic, sent_at__isnull=True, digest__isnull=True
        )
        .filter(prefixes)
        .delete()
    )
    return deleted


def notifications_mark_read(*, organisation: Organisation, user: User, now: datetime) -> int:
    marked = Reminder.objects.filter(
        organisation=organisation, recipient=user, due_at__lte=now, read_at__isnull=True
    ).update(read_at=now)
    cache.delete(unread_count_key(organisation.pk, user.pk))
    return marked


def reminder_emails_set(*, membership: Membership, enabled: bool) -> Membership:
    membership.reminder_emails = enabled
    membership.save(update_fields=["reminder_emails"])
    return membership
