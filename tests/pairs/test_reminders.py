"""Nudges for quiet pairs and overdue steering check-ins."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from notifications.due import Due
from notifications.models import Reminder
from notifications.registry import reminder_kinds
from notifications.services import reminders_record, reminders_send_due
from organisations.roles import Role, Side
from pairs.models import Pair
from pairs.reminders import checkins_overdue
from pairs.selectors import steering_pairs
from pairs.services import checkin_log, pair_steward_set
from programmes.services import programme_member_add

from .. import factories
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


def quiet_pair_in_a_new_programme(org, coordinator, name: str) -> Pair:
    """A programme whose one pair, with a steering member, was published long ago and never met."""
    programme = factories.programme(org, coordinator=coordinator, name=name)
    senior, junior = (
        factories.programme_person(programme, Role.PARTICIPANT, side)
        for side in (Side.SENIOR, Side.JUNIOR)
    )
    pair = factories.publish_pair(programme, senior, junior, coordinator)
    pair_steward_set(
        pair=pair, steering_member=factories.programme_person(programme, Role.STEERING)
    )
    Pair.objects.filter(pk=pair.pk).update(published_at=datetime(2026, 10, 1, tzinfo=UTC))
    return pair


@pytest.mark.django_db
@pytest.mark.parametrize("programmes", [1, 4])
def test_the_nudges_of_every_programme_take_four_queries(
    django_assert_num_queries, org, coordinator, programmes
):
    for n in range(programmes):
        quiet_pair_in_a_new_programme(org, coordinator, f"Programme {n}")
    nudges = [name for name in reminder_kinds() if name.startswith("relationship nudges")]
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    # The quiet pairs, the overdue check-ins, their reminders, their marks.
    with scope(organisation=org), django_assert_num_queries(4):
        assert reminders_record(organisation=org, now=now, kinds=nudges) == 3 * programmes
    assert Reminder.objects.filter(key__startswith="quiet:").count() == 2 * programmes
    assert Reminder.objects.filter(key__startswith="checkin:").count() == programmes
    with scope(organisation=org), django_assert_num_queries(2):  # nothing new: the two asks
        assert reminders_record(organisation=org, now=now, kinds=nudges) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("local_clock", ["00:30", "23:30"])
def test_my_pairs_and_the_nudge_agree_when_a_check_in_falls_due_far_from_utc(
    pair, people, local_clock
):
    """A pair published just after or just before midnight in Auckland (UTC+13): the steering
    member's page says its check-in is overdue on exactly the days the nudge is sent."""
    org = pair.programme.organisation
    org.time_zone = "Pacific/Auckland"
    org.save()
    published = datetime.combine(
        date(2026, 10, 1), datetime.strptime(local_clock, "%H:%M").time(), org.zone
    )
    Pair.objects.filter(pk=pair.pk).update(published_at=published)
    programme = Pair.objects.get(pk=pair.pk).programme
    falls_due = date(2026, 10, 1) + timedelta(weeks=programme.checkin_weeks)

    for today in (falls_due, falls_due + timedelta(days=1)):
        noon = datetime.combine(today, datetime.min.time().replace(hour=12), org.zone)
        due = Due(noon, "programme__organisation")
        with scope(organisation=org), timezone.override(org.zone):  # as the tenant pages are
            nudged = checkins_overdue(due).filter(pk=pair.pk).exists()
            listed = steering_pairs(programme, people["steering"], today).get(pk=pair.pk)
        assert listed.checkin_overdue == nudged, today
    assert nudged  # a day after it fell due, both say so
