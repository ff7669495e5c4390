"""Planning the programme's dates: the ten stages and their default timing (pure functions
of programmes.timeline), and moving the anchors and the group sessions."""

import itertools
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from programmes.models import GroupSession, Stage, StageTask
from programmes.services import programme_anchors_set, stage_dates_set
from programmes.timeline import (
    MIN_GROUP_SESSIONS,
    STAGES,
    StageDates,
    plan_stage_dates,
    relationships_start_for,
    replan,
    status_from_tasks,
    subsequent_group_sessions,
)

from ..urls import programme_url


def test_the_ten_stages_follow_the_domain_guide():
    assert [s.name for s in STAGES] == [
        "Commissioning",
        "Set-up and planning",
        "Selection and matching",
        "Initial training",
        "Start of relationships",
        "Ongoing support and trouble-shooting",
        "Initial survey",
        "First combined group supervision",
        "Subsequent combined group supervision",
        "Programme evaluation",
    ]


def test_default_timing_from_a_start_date():
    planned = {p.number: p for p in plan_stage_dates(date(2026, 1, 5))}
    assert planned[1].end == date(2026, 3, 5)  # two months of commissioning
    assert (planned[2].end - planned[2].start).days == 21
    relationships = planned[5].start
    assert relationships == relationships_start_for(date(2026, 1, 5))
    assert planned[7].start == relationships + relativedelta(weeks=8)
    assert planned[7].end == relationships + relativedelta(weeks=12)
    assert planned[10].start == relationships + relativedelta(months=6)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_no_stage_ends_before_it_starts_on_the_default_plan(start):
    for planned in plan_stage_dates(start):
        assert planned.end >= planned.start


anchors = st.tuples(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=1, max_value=600),
    st.integers(min_value=MIN_GROUP_SESSIONS, max_value=12),
)


@given(anchors)
def test_no_stage_ends_before_it_starts(anchor):
    commissioning, gap, sessions = anchor
    for planned in plan_stage_dates(commissioning, commissioning + timedelta(days=gap), sessions):
        assert planned.end >= planned.start, planned


@given(anchors)
def test_evaluation_is_six_months_after_relationships_start(anchor):
    commissioning, gap, sessions = anchor
    relationships = commissioning + timedelta(days=gap)
    planned = {p.number: p for p in plan_stage_dates(commissioning, relationships, sessions)}
    assert planned[10].start == relationships + relativedelta(months=6)
    assert planned[5].start == relationships


@given(anchors)
def test_stage_nine_is_a_monthly_series_of_at_least_two_sessions(anchor):
    commissioning, gap, sessions = anchor
    relationships = commissioning + timedelta(days=gap)
    planned = {p.number: p for p in plan_stage_dates(commissioning, relationships, sessions)}
    series = subsequent_group_sessions(relationships, sessions)
    assert len(series) == max(sessions, MIN_GROUP_SESSIONS)
    assert (planned[9].start, planned[9].end) == (series[0], series[-1])
    for earlier, later in itertools.pairwise(series):
        assert 26 <= (later - earlier).days <= 33  # monthly
    assert all(day.weekday() < 5 for day in series)  # never at a weekend


pins = st.lists(
    st.tuples(st.booleans(), st.booleans(), st.integers(-400, 400), st.integers(0, 300)),
    min_size=10,
    max_size=10,
)


@given(anchors, anchors, pins)
def test_hand_set_dates_survive_an_anchor_move_and_nothing_ends_before_it_starts(
    before, after, pinned
):
    commissioning, gap, sessions = before
    current = []
    for planned, (start_pin, end_pin, shift, length) in zip(
        plan_stage_dates(commissioning, commissioning + timedelta(days=gap), sessions),
        pinned,
        strict=True,
    ):
        start = planned.start + timedelta(days=shift) if start_pin else planned.start
        end = start + timedelta(days=length) if end_pin else planned.end
        if end < start and not end_pin:
            end = start
        current.append(StageDates(planned.number, start, end, start_pin, end_pin))
    current = [s for s in current if s.end >= s.start]  # as entered: the form refuses the rest
    new_commissioning, new_gap, new_sessions = after
    moved = replan(
        current, new_commissioning, new_commissioning + timedelta(days=new_gap), new_sessions
    )
    for old, new in zip(current, moved, strict=True):
        assert new.end >= new.start
        if old.start_pinned:
            assert new.start == old.start
        if old.end_pinned:
            assert new.end == old.end


@given(st.lists(st.sampled_from(["todo", "in_progress", "done"]), max_size=8))
def test_a_stage_status_follows_its_tasks(statuses):
    status = status_from_tasks(statuses)
    if statuses and all(s == "done" for s in statuses):
        assert status == "done"
    elif any(s != "todo" for s in statuses):
        assert status == "in_progress"
    else:
        assert status == "not_started"


@pytest.mark.django_db
def test_moving_an_anchor_moves_every_date_not_set_by_hand(programme):
    stage3 = Stage.objects.get(programme=programme, number=3)
    stage_dates_set(stage=stage3, start=date(2026, 12, 1), end=date(2026, 12, 20))
    pinned_session = GroupSession.objects.filter(programme=programme, stage_number=9).first()
    pinned_session.date, pinned_session.date_pinned = date(2027, 6, 30), True
    pinned_session.save()
    before = {s.number: s for s in Stage.objects.filter(programme=programme)}

    programme_anchors_set(
        programme=programme,
        commissioning_start=programme.start_date + timedelta(weeks=2),
        relationships_start=programme.relationships_start + timedelta(weeks=4),
        group_sessions=4,
    )
    after = {s.number: s for s in Stage.objects.filter(programme=programme)}
    assert after[1].planned_start == before[1].planned_start + timedelta(weeks=2)
    assert after[10].planned_start == programme.relationships_start + relativedelta(months=6)
    assert (after[3].planned_start, after[3].planned_end) == (date(2026, 12, 1), date(2026, 12, 20))
    assert GroupSession.objects.filter(programme=programme, stage_number=9).count() == 4
    pinned_session.refresh_from_db()
    assert pinned_session.date == date(2027, 6, 30)
    # Tasks that follow their stage moved with it.
    task = StageTask.objects.filter(stage=after[10]).first()
    assert task.due_date == after[10].planned_end


@pytest.mark.django_db
def test_the_coordinator_moves_the_anchors_in_the_browser_form(client, programme, coordinator):
    client.force_login(coordinator)
    form = client.get(programme_url("programmes:timeline", programme)).content.decode()
    assert 'type="date" name="commissioning_start" value="2026-09-01"' in form  # ISO for pickers
    bad = client.post(
        programme_url("programmes:anchors", programme),
        {
            "commissioning_start": "2027-03-01",
            "relationships_start": "2027-02-01",
            "group_sessions": "1",
        },
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Relationships must start after commissioning does." in page
    assert "Ensure this value is greater than or equal to 2." in page
    assert 'value="2027-03-01"' in page  # nothing typed is lost
    ok = client.post(
        programme_url("programmes:anchors", programme),
        {
            "commissioning_start": "2027-03-01",
            "relationships_start": "2027-08-02",
            "group_sessions": "3",
        },
    )
    assert ok.status_code == 302
    assert Stage.objects.get(programme=programme, number=5).planned_start == date(2027, 8, 2)


@pytest.mark.django_db
def test_a_group_session_moved_on_its_page_is_set_by_hand_and_a_refusal_saves_nothing(
    client, programme, coordinator
):
    session = GroupSession.objects.filter(programme=programme, stage_number=9).first()
    page = programme_url("programmes:group_session", programme, session.pk)
    client.force_login(coordinator)
    values = {"start_time": "14:00", "duration_minutes": "120", "location": "Town hall"}
    refused = client.post(page, {**values, "date": "2027-07-01", "duration_minutes": "90"})
    assert refused.status_code == 400 and "lasts between two hours (120 minutes)" in (
        refused.content.decode()
    )
    moved = session.date + timedelta(days=7)
    client.post(page, {**values, "date": moved.isoformat()})
    session.refresh_from_db()
    assert (session.date, session.date_pinned, session.location) == (moved, True, "Town hall")
