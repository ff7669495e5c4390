import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django_scopes import scope

from organisations.roles import Role
from programmes.models import Reminder, Stage, StageStatus
from programmes.services import (
    programme_member_add,
    reminders_schedule_stage_starts,
    reminders_send_due,
)
from programmes.tasks import sweep_reminders

from . import factories

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def programme_with_stage_starting_in(org, days: int, **kwargs):
    """A programme whose stage 2 alone starts `days` after NOW (the rest lie years ahead)."""
    kwargs.setdefault("start_date", date(2030, 1, 7))
    programme = factories.programme(org, **kwargs)
    stage = Stage.objects.get(programme=programme, number=2)
    stage.planned_start = NOW.date() + timedelta(days=days)
    stage.planned_end = stage.planned_start + timedelta(weeks=3)
    stage.save()
    return programme, stage


def sweep(org, now=NOW) -> int:
    with scope(organisation=org):
        reminders_schedule_stage_starts(organisation=org, now=now)
        return reminders_send_due(organisation=org, now=now)


@pytest.mark.django_db
def test_coordinators_are_reminded_of_a_stage_within_the_lead_time_once(org, coordinator):
    programme, _ = programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    second = factories.member(org)

    programme_member_add(programme=programme, user=second, role=Role.COORDINATOR)
    factories.programme_person(programme, Role.EXECUTIVE)  # not a coordinator: no reminder

    assert sweep(org) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, second.email])
    message = mail.outbox[0]
    assert "Set-up and planning" in message.subject
    assert message.alternatives[0][1] == "text/html"
    assert sweep(org) == 0
    assert sweep(org, NOW + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_reminder_outside_the_lead_time_or_for_a_started_stage(org):
    programme_with_stage_starting_in(org, 8)  # lead time is 7 days
    _, started = programme_with_stage_starting_in(org, 3)
    started.status = StageStatus.IN_PROGRESS
    started.save()
    assert sweep(org) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_person_gets_one_e_mail_listing_all_their_due_reminders(org, coordinator):
    programme_with_stage_starting_in(org, 2, coordinator=coordinator, name="First")
    programme_with_stage_starting_in(org, 4, coordinator=coordinator, name="Second")
    assert sweep(org) == 1
    assert len(mail.outbox) == 1
    assert "2 things coming up" in mail.outbox[0].subject
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_moved_stage_is_reminded_again_for_its_new_date(org, coordinator):
    _, stage = programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    sweep(org)
    stage.planned_start += timedelta(days=1)
    stage.save()
    assert sweep(org) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_sweep_that_died_is_completed_by_a_later_one(org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    with scope(organisation=org):
        reminders_schedule_stage_starts(organisation=org, now=NOW)
    # A sweep claimed the row and died before sending.
    Reminder.objects.update(claim_token="dead-sweep", claimed_at=NOW)
    assert sweep(org, NOW + timedelta(minutes=1)) == 0  # still leased to the dead sweep
    assert sweep(org, NOW + timedelta(hours=1)) == 1  # the lease ran out: taken over
    assert Reminder.objects.get().sent_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_stay_inside_their_organisation(org, other_org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    programme_with_stage_starting_in(other_org, 5)
    assert sweep(other_org) == 1
    assert all(m.to != [coordinator.email] for m in mail.outbox)
    assert Reminder.objects.filter(organisation=other_org).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_send_one_e_mail(services, org, coordinator):
    """Two sweeps on two database connections race for the same rows; one e-mail goes out."""
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(sweep(org))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1


@pytest.mark.django_db
@override_settings(REMINDER_CLAIM_LEASE_SECONDS=600)
def test_the_periodic_task_sweeps_every_organisation(org, other_org):
    for o in (org, other_org):
        programme = factories.programme(o, start_date=date(2030, 1, 7))
        stage = Stage.objects.get(programme=programme, number=2)
        today = date.today()
        stage.planned_start = today + timedelta(days=1)
        stage.planned_end = today + timedelta(days=20)
        stage.save()
    assert sweep_reminders() == 2
    assert sweep_reminders() == 0
