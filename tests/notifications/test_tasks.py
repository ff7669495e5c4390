"""The periodic sweep task: one task per organisation with something due, each failing on its
own; and a real Celery worker, in its own process, against real Redis and the test database."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from config.celery import app as celery_app
from notifications import services as reminder_services
from notifications.models import OrganisationSweep, Reminder
from notifications.tasks import sweep as sweep_everywhere
from programmes.models import Stage

from .. import factories
from ..mailbox import delivered
from ..workers import wait_until


@pytest.mark.django_db
@override_settings(REMINDER_CLAIM_LEASE_SECONDS=600, DIGEST_LOCAL_HOUR=0)
def test_the_periodic_task_sweeps_each_organisation_with_something_due(org, other_org):
    for o in (org, other_org):
        programme = factories.programme(o, start_date=date(2030, 1, 7))
        stage = Stage.objects.get(programme=programme, number=2)
        today = date.today()
        stage.planned_start = today + timedelta(days=1)
        stage.planned_end = today + timedelta(days=20)
        stage.save()
    assert sweep_everywhere() == 2  # one sweep task for each organisation
    assert len(delivered()) == 2
    assert sweep_everywhere() == 0  # nothing new was due: no task at all
    assert len(delivered()) == 2
    assert OrganisationSweep.objects.filter(last_finished_at__isnull=False).count() == 2


@pytest.mark.django_db
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_one_organisations_failing_sweep_never_stops_anothers(org, other_org, monkeypatch):
    for o in (org, other_org):
        programme = factories.programme(o, start_date=date(2030, 1, 7))
        stage = Stage.objects.get(programme=programme, number=2)
        stage.planned_start = date.today() + timedelta(days=1)
        stage.planned_end = date.today() + timedelta(days=20)
        stage.save()
    real = reminder_services.reminders_send_due

    def broken_for_org(*, organisation, now):
        if organisation == org:
            raise RuntimeError("this organisation's mail is broken")
        return real(organisation=organisation, now=now)

    monkeypatch.setattr(reminder_services, "reminders_send_due", broken_for_org)
    # As in a worker, a task's failure is its own (tests otherwise raise it in the caller).
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        assert sweep_everywhere() == 2
    finally:
        celery_app.conf.task_eager_propagates = propagates
    assert len(delivered()) == 1  # the other organisation was swept all the same
    assert OrganisationSweep.objects.get(organisation=org).running_until is None  # released
    assert OrganisationSweep.objects.get(organisation=other_org).last_finished_at is not None


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_a_real_worker_sends_one_e_mail_from_two_concurrent_sweeps(workers, org, coordinator):
    group = workers()
    group.start(concurrency=2)
    programme = factories.programme(org, coordinator=coordinator, start_date=date(2030, 1, 7))
    stage = Stage.objects.get(programme=programme, number=2)
    stage.planned_start = date.today() + timedelta(days=2)
    stage.planned_end = stage.planned_start + timedelta(weeks=3)
    stage.save()

    first, second = group.send("notifications.sweep"), group.send("notifications.sweep")
    # Each finds the organisation due, unless the other's sweep of it has already finished.
    assert sorted([first.get(timeout=90), second.get(timeout=90)]) in ([0, 1], [1, 1])

    assert wait_until(lambda: len(list(group.mail_dir.glob("*.log"))) >= 1)
    wait_until(lambda: False, timeout=2)  # a second e-mail, if one were wrongly sent, lands
    messages = list(group.mail_dir.glob("*.log"))
    assert len(messages) == 1
    content = messages[0].read_text()
    assert coordinator.email in content
    assert "Set-up and planning" in content
    assert Reminder.objects.get().sent_at is not None
