"""Retention: a programme's personal data is kept for the organisation's chosen number of months
after its last stage ends, then erased by every app (through organisations.personal_data). The
organisation's admins are e-mailed once, at least 30 days before; a programme is never erased
sooner than 30 days after that warning, even one long past its date when this first runs."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from notifications.due import AddDays, AddMonths, Due
from notifications.registry import SweepContext
from organisations.audit import audit_record
from organisations.emails import absolute_url, email_message, send_emails
from organisations.erasure import personal_data_erase
from organisations.models import AuditAction, Membership, Organisation
from organisations.personal_data import Erasure
from organisations.roles import OrgRole

from .models import Programme, Stage


def _warning_days() -> timedelta:
    return timedelta(days=settings.RETENTION_WARNING_DAYS)


def programmes_for_retention(due: Due) -> QuerySet[Programme]:
    """Programmes not yet erased whose admins are to be warned (retention ends within 30 days,
    and nobody was told), or whose data is to be erased (retention over, and 30 days since the
    warning), with `ends_on`, the end of their last stage. The same rule as `erasure_day`,
    worked out in the query for every organisation on its own day."""
    today = due.today()
    months = F("organisation__retention_months")
    ends_on = Subquery(
        Stage.objects.filter(programme=OuterRef("pk"))
        .order_by("-planned_end")
        .values("planned_end")[:1]
    )
    warning_days = settings.RETENTION_WARNING_DAYS
    warn_by = AddMonths(AddDays(today, warning_days), -months)  # as programmes ending by then
    warn = Q(retention_warned_on__isnull=True, ends_on__lte=warn_by)
    erase = Q(
        retention_warned_on__isnull=False,
        retention_warned_on__lte=AddDays(today, -warning_days),
        retention_ends__lte=today,
    )
    return (
        Programme.objects.filter(personal_data_erased_at__isnull=True)
        .annotate(ends_on=ends_on)
        .alias(retention_ends=AddMonths(F("ends_on"), months))
        .filter(warn | erase)
        .select_related("organisation")
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


def retention_sweep(context: SweepContext, programmes: QuerySet[Programme]) -> int:
    """The sweep's job, given the programmes `programmes_for_retention` finds: warn about what
    is erased within 30 days; erase what is due. Its cost grows with the programmes at the end
    of their retention, not with all of them."""
    today = context.today
    done = 0
    for programme in programmes.order_by("pk"):
        if programme.retention_warned_on is None:
            day = erasure_day(programme, programme.organisation)
            retention_warn(programme=programme, day=day, today=today)
        else:
            programme_personal_data_erase(programme=programme)
        done += 1
    return done
