import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from organisations.emails import absolute_url, send_email
from organisations.models import Organisation, User
from organisations.roles import Role

from .models import (
    Programme,
    ProgrammeMember,
    ProgrammeReport,
    Reminder,
    Stage,
    StageStatus,
)
from .timeline import STAGES, plan_stage_dates


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    name: str,
    start_date: date,
    created_by: User,
    reminder_lead_days: int = 7,
) -> Programme:
    """Create a programme with its ten stages; its creator becomes its coordinator."""
    programme = Programme.objects.create(
        organisation=organisation,
        name=name,
        start_date=start_date,
        reminder_lead_days=reminder_lead_days,
    )
    Stage.objects.bulk_create(
        Stage(
            programme=programme,
            number=planned.number,
            name=STAGES[planned.number - 1].name,
            planned_start=planned.start,
            planned_end=planned.end,
        )
        for planned in plan_stage_dates(start_date)
    )
    programme_member_add(programme=programme, user=created_by, role=Role.COORDINATOR)
    return programme


def programme_member_add(
    *, programme: Programme, user: User, role: str, side: str = ""
) -> ProgrammeMember:
    member, _ = ProgrammeMember.objects.get_or_create(
        programme=programme,
        user=user,
        role=role,
        defaults={"side": side if role == Role.PARTICIPANT else ""},
    )
    return member


def stage_status_set(*, stage: Stage, status: str) -> Stage:
    stage.status = StageStatus(status)
    stage.save(update_fields=["status"])
    return stage


# --- Reminders ---------------------------------------------------------------------------------


def reminders_schedule_stage_starts(*, organisation: Organisation, now: datetime) -> int:
    """Record a reminder to each coordinator of every stage starting within the lead time.

    The key names the stage, its planned start and the person, so a sweep that runs again (or two
    that run at once) adds nothing; a stage that is moved gets a reminder for its new date.
    """
    today = timezone.localdate(now, organisation.zone)
    coordinators = _coordinators_by_programme(organisation)
    reminders = []
    for programme in Programme.objects.filter(organisation=organisation):
        horizon = today + timedelta(days=programme.reminder_lead_days)
        stages = Stage.objects.filter(
            programme=programme,
            status=StageStatus.NOT_STARTED,
            planned_start__gte=today,
            planned_start__lte=horizon,
        )
        for stage in stages:
            path = reverse("programmes:timeline", args=[organisation.slug, programme.pk])
            for user_id in coordinators.get(programme.pk, ()):
                reminders.append(
                    Reminder(
                        organisation=organisation,
                        programme=programme,
                        recipient_id=user_id,
                        key=f"stage-start:{stage.pk}:{stage.planned_start.isoformat()}:{user_id}",
                        subject=f"{programme.name}: stage {stage} starts on "
                        f"{stage.planned_start:%-d %B %Y}",
                        body=stage.summary,
                        url=absolute_url(path),
                        due_at=now,
                    )
                )
    created = Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return len(created)


def _coordinators_by_programme(organisation: Organisation) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    rows = ProgrammeMember.objects.filter(
        programme__organisation=organisation, role=Role.COORDINATOR
    ).values_list("programme_id", "user_id")
    for programme_id, user_id in rows:
        result.setdefault(programme_id, []).append(user_id)
    return result


def reminders_send_due(*, organisation: Organisation, now: datetime) -> int:
    """Send each person one e-mail listing their due reminders; return how many e-mails went out.

    Each person's batch is claimed by one conditional UPDATE, so when two sweeps run at once only
    one of them gets the rows. A claim older than the lease belongs to a sweep that died before it
    finished; the next sweep takes it over, so nothing is lost.
    """
    lease_cutoff = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    claimable = Reminder.objects.filter(
        organisation=organisation, sent_at__isnull=True, due_at__lte=now
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease_cutoff))
    recipient_ids = set(claimable.values_list("recipient_id", flat=True))
    emails_sent = 0
    for recipient_id in sorted(recipient_ids):
        token = secrets.token_hex(16)
        if not claimable.filter(recipient_id=recipient_id).update(
            claim_token=token, claimed_at=now
        ):
            continue  # another sweep claimed them first
        batch = list(
            Reminder.objects.filter(claim_token=token, sent_at__isnull=True)
            .select_related("recipient", "programme")
            .order_by("due_at", "pk")
        )
        recipient = batch[0].recipient
        send_email(
            to=[recipient.email],
            subject=_digest_subject(batch),
            template="reminder_digest",
            context={"recipient": recipient, "reminders": batch, "organisation": organisation},
        )
        Reminder.objects.filter(claim_token=token).update(sent_at=timezone.now())
        emails_sent += 1
    return emails_sent


def _digest_subject(batch: list[Reminder]) -> str:
    if len(batch) == 1:
        return batch[0].subject
    return f"{len(batch)} things coming up in your mentoring programmes"


# --- Reports -----------------------------------------------------------------------------------


@transaction.atomic
def report_request(*, programme: Programme, requested_by: User) -> ProgrammeReport:
    """Record a report request; a worker renders it once the request has committed."""
    from .tasks import render_programme_report

    report = ProgrammeReport.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=requested_by,
        expires_at=timezone.now() + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    render_programme_report.delay_on_commit(report.pk)
    return report
