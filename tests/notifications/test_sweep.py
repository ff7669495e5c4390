"""The sweep scales with what is due: one query finds the organisations with something due and
only they get a sweep task; what was recorded is never offered again; a sweep with nothing new
takes the same few queries however many programmes there are; "due" is each organisation's own
day, in its own time zone."""

from datetime import UTC, date, datetime, timedelta

import pytest
from celery.signals import task_prerun
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import CharField, F, Value
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from notifications.due import AddDays, AddMonths, Due, LocalDate, LocalHour, WholeDays
from notifications.models import Digest, OrganisationSweep, Reminder, ReminderMark
from notifications.registry import local_morning
from notifications.selectors import organisations_due, work_due
from notifications.services import organisation_sweep, reminders_record
from notifications.tasks import sweep as beat
from organisations.models import Organisation
from organisations.roles import Role
from programmes.models import Stage
from programmes.services import task_save

from .. import factories
from ..mailbox import delivered
from ..queries import writes_in
from .test_services import NOW, direct_reminder, programme_with_stage_starting_in

FAR_AHEAD = date(2030, 1, 7)  # a programme whose stages and tasks all lie years ahead


def quiet_organisations(count: int) -> list[Organisation]:
    """Organisations with a programme each and nothing due for years."""
    organisations = [factories.OrganisationFactory() for _ in range(count)]
    for organisation in organisations:
        factories.programme(organisation, start_date=FAR_AHEAD)
    return organisations


def with_overdue_task(programme, due_date: date):
    stage = Stage.objects.get(programme=programme, number=3)
    owner = factories.programme_person(programme, Role.SUPERVISOR)
    task_save(stage=stage, title="Book the venue", due_date=due_date, responsible_user=owner)
    return owner


def sweep_of(organisation: Organisation, now: datetime = NOW) -> int | None:
    """An organisation's sweep as its task runs it: inside the organisation's scope."""
    with scope(organisation=organisation):
        return organisation_sweep(organisation=organisation, now=now)


# --- The beat: one query, and tasks only where something is due ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("quiet", [2, 20])
def test_one_query_finds_the_organisations_with_something_due(
    django_assert_num_queries, org, coordinator, quiet
):
    swept_before = factories.OrganisationFactory()
    programme_with_stage_starting_in(swept_before, 3)
    assert sweep_of(swept_before) == 1  # its reminder went out: nothing new there now
    quiet_organisations(quiet)
    programme_with_stage_starting_in(org, 3, coordinator=coordinator)

    with django_assert_num_queries(1):
        assert work_due(NOW) == {org.pk: {"programme dates (1)"}}
    early = NOW - timedelta(hours=3)  # 06:00 in London
    with scope(organisation=org):
        reminders_record(organisation=org, now=early)
    assert work_due(early) == {}  # recorded; nothing goes out before the digest hour
    assert work_due(NOW) == {org.pk: {"digests"}}


@pytest.mark.django_db
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_only_the_organisations_with_something_due_get_a_sweep_task(org, coordinator):
    quiet = quiet_organisations(3)
    _, stage = programme_with_stage_starting_in(org, 3, coordinator=coordinator)
    tomorrow = timezone.localdate(timezone.now(), org.zone) + timedelta(days=1)
    Stage.objects.filter(pk=stage.pk).update(
        planned_start=tomorrow, planned_end=tomorrow + timedelta(weeks=3)
    )
    swept: list[tuple] = []

    def record_sweep(task, args, **_: object) -> None:
        if task.name == "notifications.sweep_organisation":
            swept.append(tuple(args))

    task_prerun.connect(record_sweep, weak=False)
    try:
        assert beat() == 1
        assert swept == [(org.pk, ["programme dates (1)"])]  # what is due there, told the task
        assert beat() == 0  # it was recorded and sent: nothing new anywhere
        assert len(swept) == 1
    finally:
        task_prerun.disconnect(record_sweep)
    assert [m.to for m in delivered()] == [[coordinator.email]]
    assert not OrganisationSweep.objects.filter(organisation__in=quiet).exists()  # never swept


# --- An organisation's sweep: what was recorded is not offered again ------------------------------


@pytest.mark.django_db
def test_a_reminder_recorded_once_is_not_offered_again(org, coordinator):
    programme, _ = programme_with_stage_starting_in(org, 3, coordinator=coordinator)
    owner = with_overdue_task(programme, NOW.date() - timedelta(days=2))
    early = NOW - timedelta(hours=3)  # 06:00 in London: recorded, not yet sent
    with scope(organisation=org):
        assert reminders_record(organisation=org, now=early) == 2
        for later in (early, NOW, NOW + timedelta(days=1)):
            with CaptureQueriesContext(connection) as queries:
                assert reminders_record(organisation=org, now=later) == 0
            assert writes_in([q["sql"] for q in queries.captured_queries]) == []
    assert sorted(Reminder.objects.values_list("recipient", flat=True)) == sorted(
        [coordinator.pk, owner.pk]
    )
    assert ReminderMark.objects.count() == 2  # the stage's start, the task's due date


@pytest.mark.django_db
def test_a_thing_with_nobody_to_remind_is_marked_and_not_offered_again(org):
    programme = factories.programme(org, start_date=FAR_AHEAD)
    stage = Stage.objects.get(programme=programme, number=3)
    # A task for the participants of a programme that has none yet: nobody to tell.
    task_save(
        stage=stage,
        title="Read the one-pagers",
        due_date=NOW.date() - timedelta(days=1),
        responsible_role=Role.PARTICIPANT,
    )
    assert organisations_due(NOW) == [org.pk]
    assert sweep_of(org) == 0
    assert not Reminder.objects.exists()
    assert organisations_due(NOW) == []


@pytest.mark.django_db
@pytest.mark.parametrize("programmes", [1, 20])
def test_a_sweep_with_nothing_new_takes_four_queries_however_many_programmes(
    django_assert_num_queries, org, coordinator, programmes
):
    for n in range(programmes):
        programme, _ = programme_with_stage_starting_in(
            org, 3, coordinator=coordinator, name=f"Programme {n}"
        )
        with_overdue_task(programme, NOW.date() - timedelta(days=1))
    assert sweep_of(org) == 1 + programmes  # the coordinator's digest, each task's owner's
    later = NOW + timedelta(hours=1)
    # The sweep's row, its lease, what is due (nothing), its release.
    with django_assert_num_queries(4) as queries:
        assert sweep_of(org, later) == 0
    assert [sql.split()[0] for sql in writes_in([q["sql"] for q in queries.captured_queries])] == [
        "UPDATE",
        "UPDATE",
    ]


# --- Each organisation's own day ------------------------------------------------------------------


@pytest.mark.django_db
def test_what_is_due_follows_each_organisations_own_day_and_morning(org):
    auckland = factories.OrganisationFactory(time_zone="Pacific/Auckland")  # UTC+13 in November
    for organisation in (org, auckland):
        with_overdue_task(
            factories.programme(organisation, start_date=FAR_AHEAD), date(2026, 11, 22)
        )
    after_midnight_in_auckland = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)  # 00:30 on the 23rd
    assert organisations_due(after_midnight_in_auckland) == [auckland.pk]  # overdue there only
    assert sweep_of(auckland, after_midnight_in_auckland) == 0  # recorded; nobody mailed at night
    assert organisations_due(after_midnight_in_auckland + timedelta(hours=1)) == []
    auckland_morning = datetime(2026, 11, 22, 18, 5, tzinfo=UTC)  # 07:05 on the 23rd there
    assert organisations_due(auckland_morning) == [auckland.pk]  # its digest, this morning
    assert sweep_of(auckland, auckland_morning) == 1
    london_midnight = datetime(2026, 11, 23, 0, 5, tzinfo=UTC)
    assert organisations_due(london_midnight) == [org.pk]  # overdue in London now


@pytest.mark.django_db
def test_after_the_days_digest_what_comes_waits_for_tomorrows_morning(org):
    person = factories.member(org)
    direct_reminder(org, person, "first", NOW)
    assert sweep_of(org) == 1
    direct_reminder(org, person, "second", NOW + timedelta(hours=1))
    assert organisations_due(NOW + timedelta(hours=2)) == []  # today's digest went out
    tomorrow = local_morning(NOW.date() + timedelta(days=1), org)
    assert organisations_due(tomorrow - timedelta(minutes=5)) == []  # the night before
    assert organisations_due(tomorrow) == [org.pk]
    assert sweep_of(org, tomorrow) == 1
    assert Digest.objects.filter(recipient=person, sent_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_digest_another_sweep_is_sending_is_not_due_until_its_claim_lapses(org):
    person = factories.member(org)
    direct_reminder(org, person, "held", NOW - timedelta(hours=1))
    Digest.objects.create(
        organisation=org, recipient=person, day=NOW.date(), claim_token="other", claimed_at=NOW
    )
    assert organisations_due(NOW + timedelta(minutes=1)) == []
    assert organisations_due(NOW + timedelta(hours=1)) == [org.pk]  # that sweep died


ZONES = [
    "Europe/London",
    "Pacific/Auckland",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "America/St_Johns",  # UTC-3:30 / -2:30
    "Asia/Kathmandu",  # UTC+5:45
]
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # London an hour before its clocks go forward
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 4, 5, 13, 59, tzinfo=UTC),  # Auckland's clocks go back at 14:00 UTC
    datetime(2026, 11, 22, 10, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", MOMENTS)
def test_the_database_works_out_each_organisations_date_and_hour_as_python_does(moment):
    for zone in ZONES:
        factories.OrganisationFactory(time_zone=zone)
    due = Due(moment, "")
    rows = Organisation.objects.annotate(
        day=due.today(),
        hour=LocalHour(Value(moment), F("time_zone")),
        day_chosen=due.on_each_day(lambda day: day.isoformat(), CharField()),
    ).values_list("time_zone", "day", "hour", "day_chosen")
    for zone, day, hour, chosen in rows:
        local = timezone.localtime(moment, Organisation(time_zone=zone).zone)
        assert (zone, day, hour, chosen) == (
            zone,
            local.date(),
            local.hour,
            local.date().isoformat(),
        )


MONTH_ENDS = [date(2024, 1, 31), date(2024, 2, 29), date(2025, 2, 28), date(2026, 3, 30)]


@pytest.mark.django_db
@pytest.mark.parametrize("months", [-25, -1, 1, 6, 24])
def test_the_database_counts_months_and_days_as_python_does(org, months):
    for day in MONTH_ENDS:
        later = datetime(2026, 5, 1, 6, 30, tzinfo=UTC)
        found = Organisation.objects.annotate(
            months_on=AddMonths(Value(day), Value(months)),
            days_on=AddDays(Value(day), Value(months)),
            days_to=WholeDays(Value(later), Value(day)),
            moments_apart=WholeDays(Value(later), Value(later - timedelta(days=29, seconds=1))),
            local=LocalDate(Value(later), Value("Pacific/Auckland")),
        ).values_list("months_on", "days_on", "days_to", "moments_apart", "local")[0]
        assert found == (
            day + relativedelta(months=months),
            day + timedelta(days=months),
            (later - datetime(day.year, day.month, day.day, tzinfo=UTC)).days,
            29,
            date(2026, 5, 1),
        )
