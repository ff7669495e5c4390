"""A real Celery worker, in its own process, against real Redis and the test database."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from notifications.models import Reminder
from programmes.models import Stage

from . import factories
from .workers import wait_until


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
    assert [first.get(timeout=90), second.get(timeout=90)] == [1, 1]  # one organisation each

    assert wait_until(lambda: len(list(group.mail_dir.glob("*.log"))) >= 1)
    wait_until(lambda: False, timeout=2)  # a second e-mail, if one were wrongly sent, lands
    messages = list(group.mail_dir.glob("*.log"))
    assert len(messages) == 1
    content = messages[0].read_text()
    assert coordinator.email in content
    assert "Set-up and planning" in content
    assert Reminder.objects.get().sent_at is not None
