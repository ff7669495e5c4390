"""Reminders: what is due for whom, recorded once, and sent as at most one digest a day."""

import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from organisations.emails import absolute_url, send_email
from organisations.models import Membership, Organisation, User
from organisations.roles import Role

from ..models import (
    Digest,
    Programme,
    ProgrammeMember,
    Reminder,
    Stage,
    StageStatus,
    StageTask,
    TaskStatus,
)

PeopleByRole = dict[tuple[int, str], list[int]]


def local_morning(day: date, organisation: Organisation) -> datetime:
    """When a reminder for `day` becomes due: the digest hour in the organisation's time zone."""
    return datetime.combine(day, time(settings.DIGEST_LOCAL_HOUR), tzinfo=organisation.zone)


def reminders_schedule(*, organisation: Organisation, now: datetime) -> int:
    """Record every reminder that is due by now; the unique keys make repeating this harmless."""
    from pairs.reminders import relationship_nudges
    from surveys.reminders import survey_nudges

    people = _people_by_programme_role(organisation)
    today = timezone.localdate(now, organisation.zone)
    reminders = [
        *_stage_start_reminders(organisation, now, people),
        *_overdue_task_reminders(organisation, now, people),
        *relationship_nudges(
            organisation=organisation, today=today, due_at=local_morning(today, organisation)
        ),
        *survey_nudges(
            organisation=organisation, today=today, due_at=local_morning(today, organisation)
        ),
    ]
    return len(Reminder.objects.bulk_create(reminders, ignore_conflicts=True))


def _people_by_programme_role(organisation: Organisation) -> PeopleByRole:
    people: PeopleByRole = defaultdict(list)
    rows = ProgrammeMember.objects.filter(programme__organisation=organisation).values_list(
        "programme_id", "role", "user_id"
    )
    for programme_id, role, user_id in rows:
        people[(programme_id, role)].append(user_id)
    return people


def _responsible(task: StageTask, people: PeopleByRole) -> list[int]:
    """A task's person, or everyone holding its role; a task with no owner falls to coordinators."""
    if task.responsible_user_id:
        return [task.responsible_user_id]
    role = task.responsible_role or Role.COORDINATOR
    return people.get((task.programme_id, role), [])


def _stage_start_reminders(
    organisation: Organisation, now: datetime, people: PeopleByRole
) -> list[Reminder]:
    """Before a stage starts: its coordinators and everyone responsible for one of its tasks."""
    today = timezone.localdate(now, organisation.zone)
    reminders = []
    for programme in Programme.objects.filter(organisation=organisation):
        horizon = today + timedelta(days=programme.reminder_lead_days)
        stages = Stage.objects.filter(
            programme=programme,
            status=StageStatus.NOT_STARTED,
            planned_start__gte=today,
            planned_start__lte=horizon,
        ).prefetch_related("tasks")
        url = absolute_url(reverse("programmes:timeline", args=[organisation.slug, programme.pk]))
        for stage in stages:
            recipients = set(people.get((programme.pk, Role.COORDINATOR), []))
            for task in stage.tasks.all():
                recipients.update(_responsible(task, people))
            due_day = max(today, stage.planned_start - timedelta(days=programme.reminder_lead_days))
            for user_id in sorted(recipients):
                reminders.append(
                    Reminder(
                        organisation=organisation,
                        programme=programme,
                        recipient_id=user_id,
                        key=f"stage-start:{stage.pk}:{stage.planned_start.isoformat()}:{user_id}",
                        subject=f"{programme.name}: stage {stage} starts on "
                        f"{stage.planned_start:%-d %B %Y}",
                        body=stage.summary,
                        url=url,
                        due_at=local_morning(due_day, organisation),
                    )
                )
    return reminders


def _overdue_task_reminders(
    organisation: Organisation, now: datetime, people: PeopleByRole
) -> list[Reminder]:
    """The day after a task falls due undone, the people responsible for it hear about it."""
    today = timezone.localdate(now, organisation.zone)
    tasks = (
        StageTask.objects.filter(programme__organisation=organisation, due_date__lt=today)
        .exclude(status=TaskStatus.DONE)
        .select_related("programme", "stage")
    )
    reminders = []
    for task in tasks:
        # Participants do not see the project plan; their tasks point at the timeline.
        for_participants = task.responsible_role == Role.PARTICIPANT
        path = reverse(
            "programmes:timeline" if for_participants else "programmes:plan",
            args=[organisation.slug, task.programme_id],
        )
        url = absolute_url(path if for_participants else f"{path}?stage={task.stage.number}")
        body = (
            f"Stage {task.stage}. Let your coordinator know if something is in the way."
            if for_participants
            else f"Stage {task.stage}. Mark it done in the project plan, or move its date."
        )
        for user_id in _responsible(task, people):
            reminders.append(
                Reminder(
                    organisation=organisation,
                    programme=task.programme,
                    recipient_id=user_id,
                    key=f"task-overdue:{task.pk}:{task.due_date.isoformat()}:{user_id}",
                    subject=f"{task.programme.name}: “{task.title}” was due on "
                    f"{task.due_date:%-d %B %Y}",
                    body=body,
                    url=url,
                    due_at=local_morning(task.due_date + timedelta(days=1), organisation),
                )
            )
    return reminders


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
    recipient_ids = sorted(set(due.values_list("recipient_id", flat=True)))
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
    wants_email = set(
        Membership.objects.filter(
            organisation=organisation, user_id__in=recipient_ids, reminder_emails=True
        ).values_list("user_id", flat=True)
    )
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
        if emailed:
            _send_digest(organisation, User.objects.get(pk=recipient_id), day, batch)
            emails_sent += 1
        sent_at = timezone.now()
        # Only the holder of the claim closes the digest. A worker killed between sending and
        # this line leaves the claim to lapse, and the digest is sent again: at least once.
        if Digest.objects.filter(pk=digest_id, claim_token=token).update(
            sent_at=sent_at, emailed=emailed
        ):
            Reminder.objects.filter(digest=digest_id).update(sent_at=sent_at)
    return emails_sent


def _send_digest(
    organisation: Organisation, recipient: User, day: date, batch: list[Reminder]
) -> None:
    subject = (
        batch[0].subject
        if len(batch) == 1
        else f"{len(batch)} reminders from your mentoring programmes"
    )
    send_email(
        to=[recipient.email],
        subject=subject,
        template="reminder_digest",
        context={
            "recipient": recipient,
            "reminders": batch,
            "organisation": organisation,
            "day": day,
            "settings_url": absolute_url(reverse("notifications", args=[organisation.slug])),
        },
    )


def reminders_forget_unsent(*, programme: Programme) -> int:
    """Drop the programme's unsent date reminders after its dates or tasks change; the next sweep
    records again only those that still hold, so nobody is told of a date that moved."""
    deleted, _ = (
        Reminder.objects.filter(programme=programme, sent_at__isnull=True, digest__isnull=True)
        .filter(Q(key__startswith="stage-start:") | Q(key__startswith="task-overdue:"))
        .delete()
    )
    return deleted


def notifications_mark_read(*, organisation: Organisation, user: User, now: datetime) -> int:
    return Reminder.objects.filter(
        organisation=organisation, recipient=user, due_at__lte=now, read_at__isnull=True
    ).update(read_at=now)


def reminder_emails_set(*, membership: Membership, enabled: bool) -> Membership:
    membership.reminder_emails = enabled
    membership.save(update_fields=["reminder_emails"])
    return membership
