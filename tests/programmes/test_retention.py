"""Retention: a programme's personal data goes once the organisation's retention period after
its last stage has passed; the admins are e-mailed once, 30 days ahead; survey answers stay."""

from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from notifications.due import Due
from notifications.services import organisation_sweep
from organisations.models import AuditAction, AuditEntry, Organisation
from pairs.models import Profile, Reflection
from pairs.privacy import FORMER_PARTICIPANT
from programmes.models import Programme, Stage
from programmes.retention import programmes_for_retention
from surveys.models import Response

from .. import factories
from ..mailbox import delivered

REFLECTION = "A private reflection kept too long"


def noon(day) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())


def last_day(programme) -> "datetime.date":
    return Programme.objects.filter(pk=programme.pk).aggregate(end=Max("stages__planned_end"))[
        "end"
    ]


def sweep_on(organisation, day) -> None:
    organisation.refresh_from_db()
    organisation_sweep(organisation=organisation, now=noon(day))


@pytest.fixture
def ended(programme, people):
    """A programme whose people wrote something; its last stage's end."""
    pair = factories.publish_pair(
        programme, people["senior"], people["junior"], people["coordinator"]
    )
    factories.log_meeting(pair, people["junior"], reflection=REFLECTION)
    survey = factories.open_survey(programme)
    factories.answer(survey, people["junior"], value=4, text="Kept too long as well")
    return last_day(programme)


@pytest.mark.django_db
def test_admins_are_warned_30_days_ahead_once_and_then_it_is_erased(programme, people, ended):
    organisation = programme.organisation
    erased_on = ended + relativedelta(months=24)
    sweep_on(organisation, erased_on - timedelta(days=31))
    assert not [m for m in delivered() if "will be erased" in m.subject]

    sweep_on(organisation, erased_on - timedelta(days=30))
    sweep_on(organisation, erased_on - timedelta(days=29))
    warnings = [m for m in delivered() if "will be erased" in m.subject]
    assert [m.to for m in warnings] == [[people["org_admin"].email]]
    assert f"{erased_on.day} {erased_on:%B %Y}" in warnings[0].subject
    assert Reflection.objects.filter(text=REFLECTION).exists()

    sweep_on(organisation, erased_on - timedelta(days=1))
    assert Reflection.objects.filter(text=REFLECTION).exists()
    sweep_on(organisation, erased_on)

    assert not Reflection.objects.filter(text=REFLECTION).exists()
    assert set(Profile.objects.filter(programme=programme).values_list("full_name", flat=True)) == {
        FORMER_PARTICIPANT
    }
    assert (
        Response.objects.filter(survey__programme=programme, respondent__isnull=True).count() == 1
    )
    [entry] = AuditEntry.objects.filter(action=AuditAction.RETENTION_ANONYMISED)
    assert entry.programme_id == programme.pk and entry.actor is None
    programme.refresh_from_db()
    assert programme.personal_data_erased_at is not None


@pytest.mark.django_db
def test_a_programme_long_past_its_date_is_still_erased_only_30_days_after_the_warning(
    programme, people, ended
):
    organisation = programme.organisation
    late = ended + relativedelta(months=30)
    sweep_on(organisation, late)
    assert [m for m in delivered() if "will be erased" in m.subject]
    assert Reflection.objects.filter(text=REFLECTION).exists()
    sweep_on(organisation, late + timedelta(days=29))
    assert Reflection.objects.filter(text=REFLECTION).exists()
    sweep_on(organisation, late + timedelta(days=30))
    assert not Reflection.objects.filter(text=REFLECTION).exists()


@pytest.mark.django_db
def test_the_admin_sets_the_retention_period_and_it_is_audited(client, programme, people, ended):
    organisation = programme.organisation
    url = reverse("data_protection", args=[organisation.slug])
    client.force_login(people["coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(people["org_admin"])
    assert 'value="24"' in client.get(url).content.decode()
    refused = client.post(url, {"retention_months": "0"})
    assert refused.status_code == 400
    assert "Keep it for at least 1 month." in refused.content.decode()
    assert client.post(url, {"retention_months": "6"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.retention_months == 6
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION_CHANGED, count=6).exists()
    sweep_on(organisation, ended + relativedelta(months=6) - timedelta(days=30))
    assert [m for m in delivered() if "will be erased" in m.subject]


@pytest.mark.django_db
def test_the_sweep_finds_a_programme_to_warn_or_erase_on_the_days_the_rule_says(programme):
    """Around a month's end, where counting months is easy to get wrong: a programme ending on
    31 January, kept for one month, is erased from 28 February; its admins are warned from the
    day that, 30 days on, falls a month after its end."""
    Organisation.objects.filter(pk=programme.organisation_id).update(retention_months=1)
    Stage.objects.filter(programme=programme).update(
        planned_start=date(2027, 1, 1), planned_end=date(2027, 1, 31)
    )

    def found(day: date) -> bool:
        return programmes_for_retention(Due(noon(day), "organisation")).exists()

    days = [date(2027, 1, 20) + timedelta(days=n) for n in range(50)]
    warned_from = [
        d for d in days if date(2027, 1, 31) <= d + timedelta(days=30) - relativedelta(months=1)
    ]
    assert [d for d in days if found(d)] == warned_from
    assert warned_from[0] == date(2027, 1, 30)

    Programme.objects.filter(pk=programme.pk).update(retention_warned_on=date(2027, 1, 1))
    assert [d for d in days if found(d)] == [d for d in days if d >= date(2027, 2, 28)]
