"""Programme set-up: dates, checklists, purpose, ethics, sign-off, steering group, training,
resources, calendar and readiness."""

import itertools
import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from organisations.models import Invitation
from organisations.roles import Role, Side
from programmes.models import (
    CalendarFeed,
    EthicsAcknowledgement,
    GroupSession,
    Programme,
    ProgrammeMember,
    Resource,
    Stage,
    StageStatus,
    StageTask,
    SuccessMeasure,
    TaskStatus,
    TrainingAttendance,
)
from programmes.selectors import programme_readiness
from programmes.services import (
    ProgrammeError,
    attendance_set,
    ethics_statement_set,
    programme_anchors_set,
    sign_off_record,
    stage_dates_set,
    stage_status_set,
    task_save,
    task_status_set,
    training_session_save,
)
from programmes.timeline import (
    MIN_GROUP_SESSIONS,
    STAGE_TASKS,
    StageDates,
    plan_stage_dates,
    replan,
    status_from_tasks,
    subsequent_group_sessions,
)

from . import factories
from .factories import ALL_ROLES

RUNNERS = {"coordinator", "org_admin"}
SETUP_READERS = RUNNERS | {"steering", "supervisor", "executive"}
EVERYONE = SETUP_READERS | {"senior", "junior"}


def url(name: str, programme: Programme, *args: object) -> str:
    return reverse(f"programmes:{name}", args=[programme.organisation.slug, programme.pk, *args])


# --- Dates (pure functions, property tests) --------------------------------------------------

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


# --- Creating and moving ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_programme_has_checklists_measures_and_a_group_session_series(programme):
    tasks = StageTask.objects.filter(programme=programme)
    assert tasks.count() == sum(len(t) for t in STAGE_TASKS.values())
    stage1 = Stage.objects.get(programme=programme, number=1)
    assert all(t.due_date == stage1.planned_end for t in tasks.filter(stage=stage1))
    assert SuccessMeasure.objects.filter(programme=programme).count() == 4
    sessions = list(GroupSession.objects.filter(programme=programme))
    assert [s.stage_number for s in sessions].count(8) == 1
    assert [s.stage_number for s in sessions].count(9) >= 2


@pytest.mark.django_db
def test_a_group_session_moved_on_its_page_is_set_by_hand_and_a_refusal_saves_nothing(
    client, programme, coordinator
):
    session = GroupSession.objects.filter(programme=programme, stage_number=9).first()
    page = url("group_session", programme, session.pk)
    client.force_login(coordinator)
    values = {"start_time": "14:00", "duration_minutes": "120", "location": "Town hall"}
    refused = client.post(page, {**values, "date": "2027-07-01", "duration_minutes": "30"})
    assert refused.status_code == 400 and "Choose between 60 and 480 minutes" in (
        refused.content.decode()
    )
    moved = session.date + timedelta(days=7)
    client.post(page, {**values, "date": moved.isoformat()})
    session.refresh_from_db()
    assert (session.date, session.date_pinned, session.location) == (moved, True, "Town hall")


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
    form = client.get(url("timeline", programme)).content.decode()
    assert 'type="date" name="commissioning_start" value="2026-09-01"' in form  # ISO for pickers
    bad = client.post(
        url("anchors", programme),
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
        url("anchors", programme),
        {
            "commissioning_start": "2027-03-01",
            "relationships_start": "2027-08-02",
            "group_sessions": "3",
        },
    )
    assert ok.status_code == 302
    assert Stage.objects.get(programme=programme, number=5).planned_start == date(2027, 8, 2)


# --- Checklists and status ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stage_status_follows_its_tasks_and_the_coordinator_can_override_it(programme):
    stage = Stage.objects.get(programme=programme, number=2)
    tasks = list(StageTask.objects.filter(stage=stage))
    task_status_set(task=tasks[0], status=TaskStatus.IN_PROGRESS)
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS
    for task in tasks:
        task_status_set(task=task, status=TaskStatus.DONE)
    stage.refresh_from_db()
    assert stage.status == StageStatus.DONE

    stage_status_set(stage=stage, status=StageStatus.IN_PROGRESS)
    task_status_set(task=tasks[0], status=TaskStatus.DONE)
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS  # set by hand: tasks no longer move it
    stage_status_set(stage=stage, status=None)
    assert stage.status == StageStatus.DONE


@pytest.mark.django_db
def test_stage_one_is_done_only_after_the_top_teams_sign_off(client, programme, coordinator):
    stage1 = Stage.objects.get(programme=programme, number=1)
    with pytest.raises(ProgrammeError):
        stage_status_set(stage=stage1, status=StageStatus.DONE)
    for task in StageTask.objects.filter(stage=stage1):
        task_status_set(task=task, status=TaskStatus.DONE)
    stage1.refresh_from_db()
    assert stage1.status == StageStatus.IN_PROGRESS  # every task done, but no sign-off

    client.force_login(coordinator)
    response = client.post(url("stage_status", programme, stage1.pk), {"status": "done"})
    assert response.status_code == 400
    assert "sign-off is recorded" in response.content.decode()

    sign_off_record(
        programme=programme,
        signed_off_by="Executive board",
        signed_off_on=date(2026, 10, 1),
        note="",
        recorded_by=coordinator,
    )
    stage1.refresh_from_db()
    assert stage1.status == StageStatus.DONE


@pytest.mark.django_db
def test_the_executive_records_the_sign_off_and_the_coordinator_cannot(client, programme, people):
    client.force_login(people["coordinator"])
    assert client.get(url("sign_off", programme)).status_code == 403
    client.force_login(people["executive"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(
        url("sign_off", programme), {"signed_off_by": "Board", "signed_off_on": future}
    )
    assert "cannot be dated in the future" in bad.content.decode()
    response = client.post(
        url("sign_off", programme),
        {"signed_off_by": "Executive board", "signed_off_on": "2026-10-01", "note": "Unanimous"},
    )
    assert response.status_code == 302
    page = client.get(url("setup", programme)).content.decode()
    assert "Signed off by <strong>Executive board</strong> on 1 October 2026" in page


@pytest.mark.django_db
def test_tasks_are_added_edited_and_removed_with_a_person_or_a_role(client, programme, people):
    stage = Stage.objects.get(programme=programme, number=3)
    client.force_login(people["coordinator"])
    missing = client.post(url("task_add", programme, stage.pk), {"new-title": ""})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    client.post(
        url("task_add", programme, stage.pk),
        {
            "new-title": "Brief line managers",
            "new-responsible": f"user:{people['supervisor'].pk}",
            "new-due_date": "2027-01-15",
        },
    )
    task = StageTask.objects.get(title="Brief line managers")
    assert task.responsible_user == people["supervisor"] and task.due_pinned
    client.post(
        url("task_edit", programme, task.pk),
        {f"task-{task.pk}-title": "Brief managers", f"task-{task.pk}-responsible": "role:steering"},
    )
    task.refresh_from_db()
    assert (task.title, task.responsible_role, task.responsible_user) == (
        "Brief managers",
        "steering",
        None,
    )
    assert task.due_date == stage.planned_end and not task.due_pinned
    client.post(url("task_remove", programme, task.pk))
    assert not StageTask.objects.filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_task_from_another_organisation_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    their_task = StageTask.objects.filter(programme=theirs).first()
    client.force_login(coordinator)
    response = client.post(url("task_status", programme, their_task.pk), {"status": "done"})
    assert response.status_code == 404
    their_task.refresh_from_db()
    assert their_task.status == TaskStatus.TODO


# --- Project plan -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_project_plan_filters_by_person_stage_and_status_and_marks_overdue(
    client, programme, people
):
    stage = Stage.objects.get(programme=programme, number=4)
    yesterday = timezone.localdate() - timedelta(days=1)
    task_save(
        stage=stage, title="Late thing", due_date=yesterday, responsible_user=people["supervisor"]
    )
    client.force_login(people["coordinator"])
    page = client.get(url("plan", programme), {"person": people["supervisor"].pk})
    html = page.content.decode()
    assert "Late thing" in html and "Overdue" in html
    assert "Facilitate the first combined group session" in html  # supervisors' role tasks
    assert "Make the case to the top team" not in html
    by_stage = client.get(url("plan", programme), {"stage": 1}).content.decode()
    assert "Make the case to the top team" in by_stage and "Late thing" not in by_stage
    overdue = client.get(url("plan", programme), {"overdue": "on"}).content.decode()
    assert "Late thing" in overdue


@pytest.mark.django_db
def test_the_timeline_and_the_checklist_mark_what_is_overdue_and_not_what_is_done(
    client, programme, people
):
    yesterday = timezone.localdate() - timedelta(days=1)
    stages = Stage.objects.filter(programme=programme)
    stages.filter(number=1).update(planned_end=yesterday, status=StageStatus.IN_PROGRESS)
    stages.filter(number=2).update(planned_end=yesterday, status=StageStatus.DONE)
    stage = stages.get(number=1)
    task_save(stage=stage, title="Late thing", due_date=yesterday, responsible_user=None)
    done = task_save(stage=stage, title="Done thing", due_date=yesterday, responsible_user=None)
    task_status_set(task=done, status=TaskStatus.DONE)
    client.force_login(people["coordinator"])

    timeline = client.get(url("timeline", programme)).content.decode()
    classes = {
        number: css
        for css, number in re.findall(
            r'class="timeline-stage ([^"]*)"\s*(?:aria-current="step")?\s*id="stage-(\d+)"',
            timeline,
        )
    }
    assert "is-overdue" in classes["1"] and "is-overdue" not in classes["2"]

    checklist = client.get(url("stage", programme, stage.pk)).content.decode()
    rows = re.findall(r'<tr data-testid="task">(.*?)</tr>', checklist, re.S)
    late = next(row for row in rows if "Late thing" in row)
    finished = next(row for row in rows if "Done thing" in row)
    assert "Overdue" in late and "Overdue" not in finished


def make_tasks(programme: Programme, count: int, person) -> None:
    stages = list(Stage.objects.filter(programme=programme))
    StageTask.objects.bulk_create(
        StageTask(
            programme=programme,
            stage=stages[i % 10],
            title=f"Task {i}",
            responsible_user=person if i % 2 else None,
            responsible_role="" if i % 2 else Role.STEERING,
            due_date=stages[i % 10].planned_end,
        )
        for i in range(count)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["timeline", "plan"])
def test_page_query_count_is_the_same_for_10_tasks_and_300(client, org, page):
    counts = []
    for total in (10, 300):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        StageTask.objects.filter(programme=programme).delete()
        make_tasks(programme, total, coordinator)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page, programme)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Purpose, ethics, steering --------------------------------------------------------------------


@pytest.mark.django_db
def test_purpose_form_keeps_input_and_warns_outside_a_pilots_size(client, programme, coordinator):
    client.force_login(coordinator)
    data = {
        "name": programme.name,
        "purpose": "Change how we promote",
        "scope": "",
        "initiative_links": "",
        "selection_criteria": "",
        "planned_pairs": "45",
        "duration_months": "0",
        "steering_min_size": "4",
        "steering_max_size": "3",
        "reminder_lead_days": "7",
        "anonymity_threshold": "5",
        "measures-TOTAL_FORMS": "2",
        "measures-INITIAL_FORMS": "0",
        "measures-0-text": "Retention of diverse talent",
        "measures-1-text": "",
    }
    bad = client.post(url("setup", programme), data)
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Choose a duration between 1 and 36 months." in html
    assert "The largest size must be at least the smallest." in html
    assert "Change how we promote" in html
    data.update(duration_months="6", steering_max_size="10")
    ok = client.post(url("setup", programme), data, follow=True)
    assert "45 pairs is outside the 12-30 usual for a pilot" in ok.content.decode()
    programme.refresh_from_db()
    assert (programme.purpose, programme.planned_pairs) == ("Change how we promote", 45)
    assert list(
        SuccessMeasure.objects.filter(programme=programme).values_list("text", flat=True)
    ) == ["Retention of diverse talent"]


@pytest.mark.django_db
def test_participants_acknowledge_the_ethics_statement_before_taking_part(
    client, programme, people
):
    ethics_statement_set(programme=programme, text="What is said in the pair stays in the pair.")
    senior = people["senior"]
    client.force_login(senior)
    response = client.get(url("training", programme))
    assert response.status_code == 302 and response["Location"] == url("ethics", programme)
    client.post(url("ethics_acknowledge", programme))
    ack = EthicsAcknowledgement.objects.get(user=senior)
    assert (ack.version, ack.text) == (1, "What is said in the pair stays in the pair.")
    assert ack.acknowledged_at.date() == timezone.now().date()
    assert client.get(url("training", programme)).status_code == 200

    ethics_statement_set(programme=programme, text="New ground rules.")  # version 2
    assert client.get(url("training", programme)).status_code == 302
    client.force_login(people["steering"])  # not a participant: never held back
    assert client.get(url("training", programme)).status_code == 200


@pytest.mark.django_db
def test_the_steering_group_records_representation_chair_and_size(client, programme, people):
    programme.steering_min_size = 2
    programme.save()
    client.force_login(people["coordinator"])
    page = client.get(url("steering", programme)).content.decode()
    assert "at least 2 are needed" in page

    colleague = factories.member(programme.organisation)
    client.post(
        url("steering", programme),
        {"email": colleague.email, "stakeholder_group": "Race equality network", "is_chair": "on"},
    )
    member = ProgrammeMember.objects.get(user=colleague, role=Role.STEERING)
    assert (member.stakeholder_group, member.is_chair) == ("Race equality network", True)

    client.post(
        url("steering", programme),
        {"email": "new.person@example.test", "stakeholder_group": "HR"},
    )
    invitation = Invitation.objects.get(email="new.person@example.test")
    promise = invitation.programme_invitation
    assert (promise.role, promise.stakeholder_group) == (Role.STEERING, "HR")

    existing = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    client.post(
        url("steering_member", programme, existing.pk),
        {f"m{existing.pk}-stakeholder_group": "Operations", f"m{existing.pk}-is_chair": "on"},
    )
    member.refresh_from_db()
    existing.refresh_from_db()
    assert existing.is_chair and not member.is_chair  # one chair at a time
    page = client.get(url("steering", programme)).content.decode()
    assert "at least 2 are needed" not in page


# --- Training and resources -----------------------------------------------------------------------


@pytest.mark.django_db
def test_training_attendance_shows_how_many_completed_initial_training(client, programme, people):
    extra_junior = factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR)
    session = training_session_save(
        programme=programme,
        values={
            "title": "Intensive day",
            "kind": "initial",
            "format": "in_person",
            "audience": "everyone",
            "starts_at": timezone.now() - timedelta(days=2),
            "duration_minutes": 420,
        },
    )
    outsider_participant = factories.programme_person(
        factories.programme(programme.organisation), Role.PARTICIPANT, Side.SENIOR
    )
    attendance_set(
        session=session,
        participant_ids=[people["senior"].pk, extra_junior.pk, outsider_participant.pk],
    )
    assert TrainingAttendance.objects.count() == 2  # not someone from another programme
    client.force_login(people["coordinator"])
    timeline = client.get(url("timeline", programme)).content.decode()
    assert "Initial training completed by 2 of 3 participants." in timeline


@pytest.mark.django_db
def test_training_form_rejects_bad_input_and_participants_see_their_sides_sessions(
    client, programme, people
):
    client.force_login(people["coordinator"])
    bad = client.post(
        url("training", programme), {"title": "Seniors only", "duration_minutes": "5"}
    )
    assert bad.status_code == 400
    assert "Choose between 15 and 600 minutes." in bad.content.decode()
    for title, audience in [("Seniors only", "senior"), ("Juniors only", "junior")]:
        client.post(
            url("training", programme),
            {
                "title": title,
                "kind": "initial",
                "format": "virtual",
                "audience": audience,
                "starts_at": "2027-01-12T10:00",
                "duration_minutes": "120",
            },
        )
    client.force_login(people["junior"])
    page = client.get(url("training", programme)).content.decode()
    assert "<td>Juniors only<br>" in page and "<td>Seniors only<br>" not in page
    assert client.post(url("training", programme), {}).status_code == 403


@pytest.mark.django_db
def test_the_resource_library_checks_files_and_shows_each_person_their_materials(
    client, programme, people, settings
):
    settings.RESOURCE_MAX_BYTES = 1000
    client.force_login(people["coordinator"])
    exe = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    bad = client.post(
        url("resources", programme),
        {"title": "Tool", "audience": "everyone", "upload": exe},
    )
    assert "is not a type the library takes" in bad.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 2000, content_type="application/pdf")
    bad = client.post(
        url("resources", programme), {"title": "Big", "audience": "everyone", "upload": big}
    )
    assert "the limit is" in bad.content.decode()
    both = client.post(url("resources", programme), {"title": "Neither", "audience": "everyone"})
    assert "Give a link or upload a file" in both.content.decode()

    note = SimpleUploadedFile("briefing.txt", b"Power in the pair", content_type="text/plain")
    client.post(
        url("resources", programme),
        {"title": "Senior briefing", "audience": "senior", "upload": note},
    )
    client.post(
        url("resources", programme),
        {"title": "Steering guide", "audience": "steering", "url": "https://example.org/guide"},
    )
    senior_note = Resource.objects.get(title="Senior briefing")
    client.get(url("resources", programme))  # the coordinator reads the confirmation messages

    client.force_login(people["senior"])
    page = client.get(url("resources", programme)).content.decode()
    assert "Senior briefing" in page and "Steering guide" not in page
    download = client.get(url("resource_download", programme, senior_note.pk))
    assert b"".join(download.streaming_content) == b"Power in the pair"

    client.force_login(people["junior"])
    page = client.get(url("resources", programme)).content.decode()
    assert "Senior briefing" not in page
    assert client.get(url("resource_download", programme, senior_note.pk)).status_code == 404
    client.force_login(people["steering"])
    assert "Steering guide" in client.get(url("resources", programme)).content.decode()


# --- Calendar -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_feed_lists_stages_training_and_sessions_and_can_be_reset(
    client, programme, people
):
    training_session_save(
        programme=programme,
        values={
            "title": "Junior briefing",
            "kind": "initial",
            "format": "virtual",
            "audience": "junior",
            "starts_at": timezone.now() + timedelta(days=20),
            "duration_minutes": 120,
        },
    )
    client.force_login(people["senior"])
    page = client.get(url("calendar", programme)).content.decode()
    feed = CalendarFeed.objects.get(user=people["senior"])
    assert feed.token in page
    client.logout()  # calendar apps do not sign in
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert "Stage 1: Commissioning" in summaries
    assert "First combined group session (stage 8)" in summaries
    assert not any("Junior briefing" in s for s in summaries)  # not the senior side's
    assert [str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]

    client.force_login(people["senior"])
    client.post(url("calendar", programme))
    client.logout()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    feed.refresh_from_db()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
    ProgrammeMember.objects.filter(user=people["senior"]).delete()  # left the programme
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


# --- Readiness ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readiness_rises_as_evidence_is_added(client, programme, people):
    today = timezone.localdate()
    start = programme_readiness(programme, today)
    assert 0 < start.score < 100
    ethics_statement_set(programme=programme, text="Ground rules")
    sign_off_record(
        programme=programme,
        signed_off_by="Board",
        signed_off_on=date(2026, 9, 1),
        note="",
        recorded_by=people["executive"],
    )
    after = programme_readiness(programme, today)
    assert after.met == start.met + 2
    assert after.score > start.score
    client.force_login(people["coordinator"])
    page = client.get(url("readiness", programme)).content.decode()
    assert f'data-testid="readiness-score">{after.score}<' in page
    assert "Missing:</span> <a href=" in page


# --- Roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        ("plan", SETUP_READERS),
        ("setup", SETUP_READERS),
        ("steering", SETUP_READERS),
        ("readiness", SETUP_READERS),
        ("ethics", EVERYONE),
        ("training", EVERYONE),
        ("resources", EVERYONE),
        ("calendar", EVERYONE),
        ("sign_off", {"executive"}),
    ],
)
@pytest.mark.django_db
def test_role_matrix_for_set_up_pages(client, programme, people, view, allowed):
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        assert client.get(url(view, programme)).status_code == expected, who


@pytest.mark.parametrize("view", ["setup", "steering", "training", "resources"])
@pytest.mark.django_db
def test_readers_cannot_change_set_up(client, programme, people, view):
    for who in ["steering", "supervisor", "executive"]:
        client.force_login(people[who])
        assert client.post(url(view, programme), {}).status_code == 403, who


@pytest.mark.parametrize(
    ("view", "args"),
    [
        ("anchors", ()),
        ("stage_status", ("stage",)),
        ("stage_dates", ("stage",)),
        ("task_add", ("stage",)),
        ("task_status", ("task",)),
        ("task_remove", ("task",)),
    ],
)
@pytest.mark.django_db
def test_only_those_who_run_the_programme_change_the_timeline(
    client, programme, people, view, args
):
    ids = {
        "stage": Stage.objects.filter(programme=programme).first().pk,
        "task": StageTask.objects.filter(programme=programme).first().pk,
    }
    target = url(view, programme, *(ids[a] for a in args))
    for who in ["steering", "senior", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.post(target, {}).status_code == 403, who


@pytest.mark.django_db
def test_a_coordinator_cannot_appoint_the_executive_sponsor_or_give_themselves_a_role(
    client, programme, people
):
    client.force_login(people["coordinator"])
    colleague = factories.member(programme.organisation)
    response = client.post(
        url("people", programme), {"email": colleague.email, "role": Role.EXECUTIVE}
    )
    assert "Only an organisation admin can name the executive sponsor." in response.content.decode()
    response = client.post(
        url("people", programme),
        {"email": people["coordinator"].email, "role": Role.SUPERVISOR},
    )
    assert "You cannot give yourself a role" in response.content.decode()
    assert not ProgrammeMember.objects.filter(user=colleague).exists()

    client.force_login(people["org_admin"])
    client.post(url("people", programme), {"email": colleague.email, "role": Role.EXECUTIVE})
    assert ProgrammeMember.objects.filter(user=colleague, role=Role.EXECUTIVE).exists()


@pytest.mark.django_db
def test_a_participant_gets_the_calendar_only_after_accepting_the_ground_rules(
    client, programme, people
):
    feed = CalendarFeed.objects.create(programme=programme, user=people["junior"])
    ethics_statement_set(programme=programme, text="Ground rules")
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    EthicsAcknowledgement.objects.create(
        programme=programme, user=people["junior"], version=1, text="Ground rules"
    )
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200


@pytest.mark.django_db
def test_a_steering_member_edit_without_a_stakeholder_group_keeps_the_page(
    client, programme, people
):
    member = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    client.force_login(people["coordinator"])
    response = client.post(
        url("steering_member", programme, member.pk), {f"m{member.pk}-stakeholder_group": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_a_stage_records_when_it_became_done_and_forgets_it_when_reopened(programme):
    stage = Stage.objects.get(programme=programme, number=2)
    for task in StageTask.objects.filter(stage=stage):
        task_status_set(task=task, status=TaskStatus.DONE)
    stage.refresh_from_db()
    assert stage.status == StageStatus.DONE and stage.done_at is not None
    first_finish = stage.done_at
    stage_status_set(stage=stage, status=StageStatus.DONE)
    stage.refresh_from_db()
    assert stage.done_at == first_finish  # still done: the finish does not move
    stage_status_set(stage=stage, status=StageStatus.IN_PROGRESS)
    stage.refresh_from_db()
    assert stage.done_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "org_admin"])
def test_a_file_with_a_very_long_name_goes_into_the_library(client, programme, people, who):
    client.force_login(people[who])
    long_name = "Briefing for senior partners " + "very " * 60 + "long.pdf"  # 333 characters
    upload = SimpleUploadedFile(long_name, b"%PDF-1.4 briefing", content_type="application/pdf")
    response = client.post(
        url("resources", programme), {"title": "Briefing", "audience": "everyone", "upload": upload}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Briefing")
    assert len(resource.file_name) <= 200 and resource.file_name.endswith(".pdf")
    assert resource.file_name.startswith("Briefing for senior partners very")
    download = client.get(url("resource_download", programme, resource.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 briefing"
    assert resource.file_name.encode() in download["Content-Disposition"].encode() or (
        "filename*=" in download["Content-Disposition"]
    )


@pytest.mark.django_db
def test_a_change_to_a_task_removed_meanwhile_is_a_clear_404(client, programme, coordinator):
    """A scanner posted statuses for tasks another request had just removed: the save found no
    row. The person is told what happened instead of getting a server error."""
    from django.db.models.signals import pre_save

    task = StageTask.objects.filter(programme=programme).first()

    def removed_meanwhile(sender, instance, **kwargs):
        StageTask.objects.filter(pk=instance.pk).delete()

    pre_save.connect(removed_meanwhile, sender=StageTask)
    try:
        client.force_login(coordinator)
        response = client.post(url("task_status", programme, task.pk), {"status": "done"})
    finally:
        pre_save.disconnect(removed_meanwhile, sender=StageTask)
    assert response.status_code == 404
    assert "changed or removed while you were working on it" in response.content.decode()


@pytest.mark.django_db
def test_attendance_accepts_only_people_of_the_sessions_audience(client, programme, people):
    session = training_session_save(
        programme=programme,
        values={
            "title": "Initial training",
            "kind": "initial",
            "format": "in_person",
            "audience": "everyone",
            "starts_at": timezone.now(),
            "duration_minutes": 120,
        },
    )
    client.force_login(people["coordinator"])
    attendance = url("training_attendance", programme, session.pk)
    for hostile in ("9" * 30, "-1", "x", str(people["steering"].pk)):
        response = client.post(attendance, {"attended": [hostile]})
        assert response.status_code == 400
        assert "Tick only people listed for this session." in response.content.decode()
    assert not TrainingAttendance.objects.filter(session=session).exists()
    client.post(attendance, {"attended": [people["senior"].pk]})
    assert list(TrainingAttendance.objects.values_list("participant", flat=True)) == [
        people["senior"].pk
    ]
