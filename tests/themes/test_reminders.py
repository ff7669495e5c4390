"""What themes reminds people of through the digest: an overdue action, weekly, to its owner;
a theme the partner agreed to share, to the one who has not yet. Never a word of a draft."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import override_settings
from django_scopes import scope

from notifications.models import Reminder
from notifications.services import organisation_sweep, reminders_record
from themes.services import action_update, issue_close, theme_agree

from ..mailbox import delivered
from .conftest import DRAFT_WORDS, draft, grouped, shared
from .test_register import add_action, open_issue

MONDAY = datetime(2026, 12, 7, 10, tzinfo=UTC)


def record(programme, now: datetime) -> None:
    org = programme.organisation
    with scope(organisation=org):
        reminders_record(organisation=org, now=now)


def overdue(**filters):
    return Reminder.objects.filter(key__startswith="action-overdue", **filters)


@pytest.fixture
def issue(programme, coordinator, pair, other_pair):
    recurring = grouped(programme, "Calibration", shared(pair), shared(other_pair))
    return open_issue(programme, coordinator, recurring)


def due_on(issue, owner, day: date, text: str = "Minute every calibration"):
    action = add_action(issue, owner, text=text)
    type(action).objects.filter(pk=action.pk).update(due=day)
    action.refresh_from_db()
    return action


@pytest.mark.django_db
def test_an_overdue_action_reminds_its_owner_once_a_week_not_every_day(programme, issue, people):
    due_on(issue, people["senior"], date(2026, 12, 4))
    record(programme, MONDAY - timedelta(days=4))  # Thursday: the day it is due, not overdue
    assert not overdue().exists()
    for day in range(7):  # every day of the week after
        record(programme, MONDAY + timedelta(days=day))
    (reminder,) = overdue()
    assert reminder.recipient == people["senior"]
    assert reminder.subject == "Pilot programme: an action of yours was due on 4 December"
    assert "Minute every calibration" in reminder.body
    record(programme, MONDAY + timedelta(days=7))  # the next Monday
    assert overdue().count() == 2


@pytest.mark.django_db
def test_done_dropped_future_and_closed_actions_remind_nobody(
    programme, coordinator, issue, people
):
    past = date(2026, 12, 1)
    done = due_on(issue, people["senior"], past, "Done")
    action_update(action=done, by=people["senior"], status="done")
    dropped = due_on(issue, people["senior"], past, "Dropped")
    action_update(action=dropped, by=people["senior"], status="dropped")
    due_on(issue, people["senior"], date(2026, 12, 20), "Later")
    closed = open_issue(programme, coordinator, issue.recurring.get(), title="Closed")
    due_on(closed, people["junior"], past, "On a closed issue")
    issue_close(issue=closed, by=coordinator, note="Settled")
    record(programme, MONDAY)
    assert not overdue().exists()


@pytest.mark.django_db
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_the_owner_reads_it_in_their_digest(programme, issue, people):
    due_on(issue, people["steering"], date(2026, 12, 1))
    org = programme.organisation
    with scope(organisation=org):
        organisation_sweep(organisation=org, now=MONDAY)
    (mail,) = [m for m in delivered() if people["steering"].email in m.to]
    assert "an action of yours was due on 1 December" in mail.body  # among the day's others
    assert "Minute every calibration" in mail.body


@pytest.mark.django_db
def test_a_partner_is_told_when_the_other_agreed_to_share_a_theme(programme, pair):
    theme = draft(pair, "Our secret title", noticed=DRAFT_WORDS)
    record(programme, MONDAY)
    assert not Reminder.objects.filter(key__startswith="theme-agree").exists()
    theme_agree(theme=theme, by=pair.senior.user, with_names=False)
    record(programme, MONDAY)
    record(programme, MONDAY + timedelta(days=1))
    (told,) = Reminder.objects.filter(key__startswith="theme-agree")
    assert told.recipient == pair.junior.user  # not the one who agreed
    assert "your partner would share a theme with the cohort" in told.subject
    assert DRAFT_WORDS not in told.subject + told.body
    assert "Our secret title" not in told.subject + told.body


@pytest.mark.django_db
def test_a_shared_theme_waits_for_nobody(programme, pair):
    shared(pair, noticed=DRAFT_WORDS)
    record(programme, MONDAY)
    assert not Reminder.objects.filter(key__startswith="theme-agree").exists()
