"""Retention: a programme's personal data is kept for the organisation's chosen number of months
after its last stage ends, then erased by every app (through organisations.personal_data). The
organisation's admins are e-mailed once, at least 30 days before; a programme is never erased
sooner than 30 days after that warning, even one long past its date when this first runs."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.registry import SweepContext
from organisations.audit import audit_record
from organisations.emails import absolute_url, email_message, send_emails
from organisations.erasure import personal_data_erase
from organisations.models import AuditAction, Membership, Organisation
from organisations.personal_data import Erasure
from organisations.roles import OrgRole

from .models import Programme


def _warning_days() -> timedelta:
    return timedelta(days=settings.RETENTION_WARNING_DAYS)


def programmes_erased_by(organisation: Organisation, day: date) -> QuerySet[Programme]:
    """Programmes not yet erased whose retention ends on or before `day`, with `ends_on`."""
    last_end = day - relativedelta(months=organisation.retention_months)
    return (
        Programme.objects.filter(organisation=organisation, personal_data_erased_at__isnull=True)
        .annotate(ends_on=Max("stages__planned_end"))
        .filter(ends_on__lte=last_end)
        .order_by("pk")
    )


def erasure_day(programme: Programme, organisation: Organisation) -> date:
    """When the programme's data is erased: its retention's end, and never sooner than 30 days
    after the admins were warned."""
    due = programme.ends_on + relativedelta(months=organisation.retention_months)
    if programme.retention_warned_on is not None:
        due = max(due, programme.retention_warned_on + _warning_days())
    return due


@transaction.atomic
def retention_warn(*, programme: Programme, day: date, today: date) -> int:
    """E-mail each of the organisation's admins, once, that the programme's data goes on `day`."""
    organisation = programme.organisation
    admins = Membership.objects.filter(organisation=organisation, role=OrgRole.ADMIN)
    url = absolute_url(reverse("data_protection", args=[organisation.slug]))
    when = f"{day.day} {day:%B %Y}"
    sent = send_emails(
        [
            email_message(
                key=f"retention-warning:{programme.pk}:{admin.user_id}",
                to=admin.user.email,
                organisation=organisation,
                subject=f"{programme.name}: its personal data will be erased on {when}",
                template="retention_warning",
                context={"programme": programme, "day": day, "url": url},
            )
            for admin in admins.select_related("user")
        ]
    )
    Programme.objects.filter(pk=programme.pk).update(retention_warned_on=today)
    return sent


@transaction.atomic
def programme_personal_data_erase(*, programme: Programme) -> int:
    """Erase what every app holds about the programme's people; the audit log says how much."""
    organisation = programme.organisation
    touched = personal_data_erase(Erasure(organisation, programme_ids=[programme.pk]))
    Programme.objects.filter(pk=programme.pk).update(personal_data_erased_at=timezone.now())
    audit_record(
        organisation=organisation,
        actor=None,
        action=AuditAction.RETENTION_ANONYMISED,
        subject="personal_data:retention",
        programme_id=programme.pk,
        count=touched,
    )
    return touched


def retention_sweep(context: SweepContext) -> int:
    """The sweep's job: warn about what is erased within 30 days; erase what is due. Its cost
    grows with the programmes at the end of their retention, not with all of them."""
    organisation, today = context.organisation, context.today
    done = 0
    for programme in programmes_erased_by(organisation, today + _warning_days()):
        if programme.retention_warned_on is None:
            retention_warn(
                programme=programme, day=erasure_day(programme, organisation), today=today
            )
            done += 1
        elif erasure_day(programme, organisation) <= today:
            programme_personal_data_erase(programme=programme)
            done += 1
    return done
