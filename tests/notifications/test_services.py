"""Reminders: who hears about what, at most one digest a day, never twice, never lost."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scope

from notifications import services as reminder_services
from notifications.models import Digest, OrganisationSweep, Reminder
from notifications.services import organisation_sweep, reminders_record, reminders_send_due
from organisations.models import Membership
from organisations.roles import Role
from programmes.models import Stage, StageStatus, StageTask, TaskStatus
from programmes.services import programme_member_add, task_save, task_status_set

from .. import factories
from ..mailbox import delivered

# 09:00 in London (the factories' time zone): after the 07:00 digest hour.
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def programme_with_stage_starting_in(org, days: int, **kwargs):
    """A programme whose stage 2 alone starts `days` after NOW; everything else lies years ahead."""
    kwargs.setdefault("start_date", date(2030, 1, 7))
    programme = factories.programme(org, **kwargs)
    stage = Stage.objects.get(programme=programme, number=2)
    stage.planned_start = NOW.date() + timedelta(days=days)
    stage.planned_end = stage.planned_start + timedelta(weeks=3)
    stage.save()
    return programme, stage


def sweep(org, now=NOW) -> int:
    with scope(organisation=org):
        reminders_record(organisation=org, now=now)
        return reminders_send_due(organisation=org, now=now)


def recipients() -> list[str]:
    return sorted(m.to[0] for m in delivered())


@pytest.mark.django_db
def test_a_stage_start_reaches_its_coordinators_and_task_owners_once(org, coordinator):
    programme, _ = programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    second = factories.member(org)
    programme_member_add(programme=programme, user=second, role=Role.COORDINATOR)
    steering = factories.programme_person(programme, Role.STEERING)  # owns two stage-2 tasks
    factories.programme_person(programme, Role.EXECUTIVE)  # owns nothing in stage 2

    assert sweep(org) == 3
    assert recipients() == sorted([coordinator.email, second.email, steering.email])
    message = delivered()[0]
    assert "Set-up and planning" in message.subject
    assert message.alternatives[0][1] == "text/html"
    assert sweep(org) == 0
    assert sweep(org, NOW + timedelta(days=1)) == 0
    assert len(delivered()) == 3


@pytest.mark.django_db
def test_the_lead_time_is_the_programmes_setting(org, coordinator):
    programme_with_stage_starting_in(org, 10, coordinator=coordinator, reminder_lead_days=7)
    assert sweep(org) == 0
    assert sweep(org, NOW + timedelta(days=3)) == 1


@pytest.mark.django_db
def test_no_reminder_for_a_stage_already_started(org):
    _, started = programme_with_stage_starting_in(org, 3)
    started.status = StageStatus.IN_PROGRESS
    started.save()
    assert sweep(org) == 0
    assert delivered() == []


@pytest.mark.django_db
def test_one_person_gets_one_e_mail_listing_all_their_due_items(org, coordinator):
    programme_with_stage_starting_in(org, 2, coordinator=coordinator, name="First")
    programme_with_stage_starting_in(org, 4, coordinator=coordinator, name="Second")
    assert sweep(org) == 1
    assert "2 reminders" in delivered()[0].subject
    assert "First" in delivered()[0].body and "Second" in delivered()[0].body


@pytest.mark.django_db
def test_an_overdue_task_reminds_the_people_responsible_the_day_after_it_was_due(org):
    programme = factories.programme(org, start_date=date(2030, 1, 7))
    stage = Stage.objects.get(programme=programme, number=3)
    owner = factories.programme_person(programme, Role.SUPERVISOR)
    steering = [factories.programme_person(programme, Role.STEERING) for _ in range(2)]
    due = NOW.date() - timedelta(days=1)
    task_save(stage=stage, title="Book the venue", due_date=due, responsible_user=owner)
    task_save(stage=stage, title="Recruit", due_date=due, responsible_role=Role.STEERING)
    done = task_save(stage=stage, title="Done already", due_date=due, responsible_user=owner)
    task_status_set(task=done, status=TaskStatus.DONE)

    assert sweep(org) == 3
    assert recipients() == sorted([owner.email, *(s.email for s in steering)])
    owner_mail = next(m for m in delivered() if m.to == [owner.email])
    assert "Book the venue" in owner_mail.subject
    assert "Done already" not in owner_mail.body
    assert sweep(org, NOW + timedelta(days=1)) == 0  # never twice


@pytest.mark.django_db
def test_a_reminder_built_from_the_longest_names_is_recorded_and_sent(org):
    """A programme name of 150 characters and a task title of 200 made a subject the reminder's
    column could not hold; on PostgreSQL the insert failed, and the organisation's sweep with it."""
    programme = factories.programme(org, start_date=date(2030, 1, 7), name="P" * 150)
    stage = Stage.objects.get(programme=programme, number=3)
    owner = factories.programme_person(programme, Role.SUPERVISOR)
    title = "T" * StageTask._meta.get_field("title").max_length
    due = NOW.date() - timedelta(days=1)
    task_save(stage=stage, title=title, due_date=due, responsible_user=owner)

    assert sweep(org) == 1
    subject = Reminder.objects.get(recipient=owner).subject
    assert len(subject) == Reminder._meta.get_field("subject").max_length
    assert subject.startswith("P" * 150) and subject.endswith("…")
    assert "P" * 150 in delivered()[0].body  # the e-mail says it whole


@pytest.mark.django_db
def test_a_task_is_not_overdue_on_its_due_day(org):
    programme = factories.programme(org, start_date=date(2030, 1, 7))
    stage = Stage.objects.get(programme=programme, number=3)
    owner = factories.programme_person(programme, Role.SUPERVISOR)
    task_save(stage=stage, title="Today", due_date=NOW.date(), responsible_user=owner)
    assert sweep(org) == 0
    # Due from the digest hour of the next day in the organisation's time zone.
    assert sweep(org, NOW + timedelta(hours=21)) == 0  # 06:00 the next morning
    assert sweep(org, NOW + timedelta(hours=22, minutes=5)) == 1


def direct_reminder(org, user, key: str, due_at: datetime) -> Reminder:
    return Reminder.objects.create(
        organisation=org, recipient=user, key=key, subject=key, body="", due_at=due_at
    )


@pytest.mark.django_db
def test_at_most_one_digest_a_day_in_the_organisations_time_zone(org):
    org.time_zone = "Pacific/Auckland"  # UTC+13 in November
    org.save()
    person = factories.member(org)
    evening = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # 23:00 on the 22nd in Auckland
    direct_reminder(org, person, "first", evening)
    assert sweep(org, evening) == 1

    direct_reminder(org, person, "second", evening + timedelta(minutes=30))
    assert sweep(org, evening + timedelta(minutes=45)) == 0  # still the 22nd there: wait
    assert Reminder.objects.get(key="second").sent_at is None

    after_midnight = evening + timedelta(hours=1, minutes=30)  # 00:30 on the 23rd in Auckland
    assert sweep(org, after_midnight) == 0  # nobody's digest goes out in the night
    morning = evening + timedelta(hours=8, minutes=30)  # 07:30 on the 23rd in Auckland
    assert sweep(org, morning) == 1
    assert "second" in delivered()[-1].subject
    assert Digest.objects.filter(recipient=person).count() == 2


@pytest.mark.django_db
def test_switching_e_mail_off_keeps_the_reminder_in_the_app(client, org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    Membership.objects.filter(user=coordinator).update(reminder_emails=False)
    assert sweep(org) == 0
    assert delivered() == []
    reminder = Reminder.objects.get(recipient=coordinator)
    assert reminder.sent_at is not None  # delivered in the app, not queued for later

    client.force_login(coordinator)
    page = client.get(reverse("notifications:inbox", args=[org.slug]))
    assert "Set-up and planning" in page.content.decode()
    assert 'data-testid="notifications-link">Notifications <span' in page.content.decode()


@pytest.mark.django_db
def test_a_person_switches_e_mail_off_and_marks_everything_read(client, org, coordinator):
    client.force_login(coordinator)
    url = reverse("notifications:inbox", args=[org.slug])
    direct_reminder(org, coordinator, "hello", NOW)
    client.post(reverse("notifications:settings", args=[org.slug]))  # an unticked box is "off"
    assert not Membership.objects.get(user=coordinator).reminder_emails
    client.post(reverse("notifications:mark_read", args=[org.slug]))
    assert Reminder.objects.get().read_at is not None
    page = client.get(url).content.decode()
    assert 'data-testid="notifications-link">Notifications</a>' in page


@pytest.mark.django_db
def test_a_claim_left_by_a_sweep_that_died_is_completed_by_a_later_one(org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    with scope(organisation=org):
        reminders_record(organisation=org, now=NOW)
    # A sweep claimed the day's digest and died before sending it.
    Digest.objects.create(
        organisation=org, recipient=coordinator, day=NOW.date(), claim_token="dead", claimed_at=NOW
    )
    assert sweep(org, NOW + timedelta(minutes=1)) == 0  # still leased to the dead sweep
    assert sweep(org, NOW + timedelta(hours=1)) == 1  # the lease ran out: taken over
    assert Reminder.objects.get().sent_at is not None
    assert len(delivered()) == 1


@pytest.mark.django_db
def test_a_sweep_killed_half_way_is_finished_by_the_next_without_repeating_itself(org, monkeypatch):
    first, second = factories.member(org), factories.member(org)
    direct_reminder(org, first, "for-first", NOW)
    direct_reminder(org, second, "for-second", NOW)
    real_send = reminder_services.send_email

    def send_then_die(*, to, **kwargs):
        if to == second.email:
            raise SystemExit("worker killed")  # the process dies mid-sweep
        real_send(to=to, **kwargs)

    monkeypatch.setattr(reminder_services, "send_email", send_then_die)
    with pytest.raises(SystemExit):
        sweep(org)
    assert recipients() == [first.email]
    monkeypatch.setattr(reminder_services, "send_email", real_send)

    assert sweep(org, NOW + timedelta(hours=1)) == 1  # after the lease: only the unsent one
    assert recipients() == sorted([first.email, second.email])
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_reminders_stay_inside_their_organisation(org, other_org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    programme_with_stage_starting_in(other_org, 5)
    assert sweep(other_org) == 1
    assert all(m.to != [coordinator.email] for m in delivered())
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
    assert len(delivered()) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_an_organisations_sweep_never_runs_twice_at_once(org, coordinator):
    programme_with_stage_starting_in(org, 5, coordinator=coordinator)
    OrganisationSweep.objects.create(organisation=org, running_until=NOW + timedelta(minutes=5))
    with scope(organisation=org):
        assert organisation_sweep(organisation=org, now=NOW) is None  # another is running
        assert delivered() == []
        later = NOW + timedelta(minutes=6)  # that sweep's lease has run out: it died
        assert organisation_sweep(organisation=org, now=later) == 1
    assert OrganisationSweep.objects.get().running_until is None


@pytest.mark.django_db
def test_a_reminder_that_no_longer_holds_is_never_sent(org):
    programme = factories.programme(org, start_date=date(2030, 1, 7))
    stage = Stage.objects.get(programme=programme, number=3)
    owner = factories.programme_person(programme, Role.SUPERVISOR)
    task = task_save(
        stage=stage, title="Book", due_date=NOW.date() - timedelta(days=1), responsible_user=owner
    )
    early = NOW - timedelta(hours=3)  # 06:00: recorded, not yet sent
    assert sweep(org, early) == 0
    assert Reminder.objects.filter(recipient=owner).count() == 1
    task_status_set(task=task, status=TaskStatus.DONE)  # done before the digest went out
    assert sweep(org) == 0
    assert not Reminder.objects.filter(recipient=owner).exists()


@pytest.mark.django_db
def test_items_of_a_digest_another_sweep_is_sending_are_left_to_it(org):
    """A sweep still sending yesterday's digest keeps its items; today's sweep does not repeat
    them. Only once that claim has lapsed are they taken over."""
    person = factories.member(org)
    in_flight = Digest.objects.create(
        organisation=org,
        recipient=person,
        day=NOW.date() - timedelta(days=1),
        claim_token="other-sweep",
        claimed_at=NOW - timedelta(minutes=1),
    )
    reminder = direct_reminder(org, person, "yesterday", NOW - timedelta(hours=10))
    reminder.digest = in_flight
    reminder.save()
    assert sweep(org) == 0
    assert Reminder.objects.get().digest == in_flight
    assert sweep(org, NOW + timedelta(hours=1)) == 1  # the other sweep died: taken over


@pytest.mark.django_db
def test_the_inbox_finds_notifications_by_words_and_shows_the_unread_alone(
    client, org, coordinator
):
    for key in ("Stage 2 starts soon", "Check in with your pairs", "Stage 3 starts soon"):
        direct_reminder(org, coordinator, key, NOW)
    Reminder.objects.filter(subject="Stage 2 starts soon").update(read_at=NOW)
    client.force_login(coordinator)
    url = reverse("notifications:inbox", args=[org.slug])

    everything = client.get(url).content.decode()
    assert everything.count('data-testid="notification"') == 3
    assert f'<form method="get" action="{url}"' in everything  # also from a refused settings form
    found = client.get(url, {"words": "stage"}).content.decode()
    assert found.count('data-testid="notification"') == 2 and "Check in with" not in found
    unread = client.get(url, {"words": "stage", "unread": "on"}).content.decode()
    assert unread.count('data-testid="notification"') == 1 and "Stage 3 starts soon" in unread
    nothing = client.get(url, {"words": "budget"}).content.decode()
    assert "Nothing matches." in nothing and 'data-testid="notification"' not in nothing
    too_long = client.get(url, {"words": "x" * 101})
    assert "at most 100 characters" in too_long.content.decode()
    assert too_long.content.decode().count('data-testid="notification"') == 3
