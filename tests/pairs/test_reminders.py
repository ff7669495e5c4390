"""Nudges for quiet pairs and overdue steering check-ins."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django_scopes import scope

from notifications.services import reminders_record, reminders_send_due
from pairs.models import Pair
from pairs.services import checkin_log
from programmes.services import programme_member_add

from ..factories import log_meeting
from ..mailbox import delivered


@pytest.mark.django_db
def test_quiet_pairs_and_overdue_check_ins_are_nudged_once(pair, people):
    org = pair.programme.organisation
    Pair.objects.filter(pk=pair.pk).update(published_at=datetime(2026, 10, 1, tzinfo=UTC))
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def sweep(at: datetime) -> list[list[str]]:
        delivered().clear()
        with scope(organisation=org):
            reminders_record(organisation=org, now=at)
            reminders_send_due(organisation=org, now=at)
        return sorted(
            m.to for m in delivered() if "meet your partner" in m.body or "check-in" in m.body
        )

    first = sweep(now)
    assert first == sorted(
        [[people["senior"].email], [people["junior"].email], [people["steering"].email]]
    )
    assert sweep(now + timedelta(days=1)) == []  # never twice
    log_meeting(pair, people["senior"], day=date(2026, 11, 23))
    checkin_log(pair=pair, by=people["steering"], day=date(2026, 11, 23), status="on_track")
    assert sweep(now + timedelta(days=2)) == []
    assert programme_member_add
