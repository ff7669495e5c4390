"""Supervision's reminders through the digest, its sessions in the calendar, its place in the
readiness scorecard."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from icalendar import Calendar

from notifications.models import Reminder
from notifications.services import reminders_record
from programmes.selectors import programme_readiness
from programmes.services import calendar_feed_get
from supervision.models import ReferralEvent
from supervision.reminders import working_days_between
from supervision.services import (
    session_book,
)

from .. import factories

SECRET = "My partner keeps cancelling and I feel dismissed"


def individual_case(pair, people, supervisor, accept=True):
    return factories.in_supervision(
        factories.referral(pair, people["senior"], text=SECRET, about=people["senior"]),
        coordinator=people["coordinator"],
        supervisor=supervisor,
        accept=accept,
    )


def record(org, now):
    with scope(organisation=org):
        reminders_record(organisation=org, now=now)


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert working_days_between(friday, friday + timedelta(days=3)) == 1  # to Monday
    assert working_days_between(friday, friday + timedelta(days=5)) == 3  # to Wednesday


@pytest.mark.django_db
def test_a_case_waiting_over_two_working_days_reminds_its_supervisor_and_the_coordinator(
    pair, people, supervisor, programme
):
    referral = individual_case(pair, people, supervisor, accept=False)
    friday = datetime(2026, 11, 27, 9, tzinfo=UTC)
    ReferralEvent.objects.filter(referral=referral, kind="assigned").update(at=friday)
    org = programme.organisation
    record(org, friday + timedelta(days=4))  # Tuesday: two working days
    assert not Reminder.objects.filter(key__startswith="supervisor-waiting").exists()
    record(org, friday + timedelta(days=5))  # Wednesday: three
    waiting = Reminder.objects.filter(key__startswith="supervisor-waiting")
    assert {r.recipient for r in waiting} == {people["supervisor"], people["coordinator"]}
    assert all(SECRET not in r.subject + r.body for r in waiting)
    record(org, friday + timedelta(days=6))
    assert waiting.count() == 2  # once, not every day


@pytest.mark.django_db
def test_a_session_tomorrow_reminds_the_person_and_the_supervisor(
    pair, people, supervisor, programme
):
    referral = individual_case(pair, people, supervisor)
    tomorrow_at_ten = timezone.localtime().replace(hour=10, minute=0) + timedelta(days=1)
    session_book(
        referral=referral,
        by=people["supervisor"],
        starts_at=tomorrow_at_ten,
        duration_minutes=50,
        mode="in_person",
        place="Room 4",
    )
    record(programme.organisation, timezone.now())
    tomorrow = Reminder.objects.filter(key__startswith="supervision-tomorrow")
    assert {r.recipient for r in tomorrow} == {people["senior"], people["supervisor"]}
    assert all("Room 4" in r.body for r in tomorrow)


@pytest.mark.django_db
def test_an_open_case_without_an_outcome_for_four_weeks_is_raised_again(
    pair, people, supervisor, programme
):
    referral = individual_case(pair, people, supervisor)
    type(referral).objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - timedelta(weeks=4, days=1)
    )
    record(programme.organisation, timezone.now())
    stale = Reminder.objects.filter(key__startswith="no-outcome")
    assert {r.recipient for r in stale} == {people["coordinator"], people["supervisor"]}


@pytest.mark.django_db
def test_a_session_is_in_the_calendars_of_those_it_is_with_only(
    client, pair, people, supervisor, programme
):
    referral = individual_case(pair, people, supervisor)
    session_book(
        referral=referral,
        by=people["supervisor"],
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        mode="virtual",
        place="https://meet.example.org/s",
    )

    def summaries(who: str) -> list[str]:
        feed = calendar_feed_get(programme=programme, user=people[who])
        body = client.get(reverse("calendar_feed", args=[feed.token])).content
        return [str(e.get("summary")) for e in Calendar.from_ical(body).walk("VEVENT")]

    assert "Supervision session" in summaries("senior")
    assert "Supervision session" in summaries("supervisor")
    assert "Supervision session" not in summaries("junior")  # individual: the senior alone
    assert "Supervision session" not in summaries("coordinator")


@pytest.mark.django_db
def test_readiness_counts_a_supervisor_pool_with_room(programme, people, supervisor):
    def pool_check():
        standard = programme_readiness(programme, timezone.localdate()).standards[3]
        return next(c for c in standard.checks if "supervisor pool" in c.label)

    assert pool_check().met and pool_check().page == "supervision:pool"
    supervisor.delete()
    assert not pool_check().met


@pytest.mark.django_db
def test_the_evaluation_report_counts_referrals_and_hides_small_groups(pair, people, programme):
    from reports.evaluation import figures

    programme.anonymity_threshold = 3
    programme.save()
    for n in range(4):
        factories.referral(
            pair, people["senior"], text=f"{SECRET} {n}", urgency="urgent" if n == 0 else "routine"
        )
    shown = figures.supervision(programme)
    assert shown.total == 4 and shown.shown
    urgency = {row.label.split(":")[0]: row.count for row in shown.by_urgency}
    # One urgent and three routine: the one would be hidden, and then the three would give it
    # away by subtraction from the total, so both are hidden.
    assert urgency == {"Urgent": None, "Routine": None}
    from reports.evaluation import evaluation_html

    html = evaluation_html(programme)
    assert "4 referrals were made." in html and SECRET not in html
