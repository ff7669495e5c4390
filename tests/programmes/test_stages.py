"""Stages and their checklists: a status from the tasks or set by hand, the top team's
sign-off before stage 1 is done, tasks and who is responsible for them."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from programmes.models import Stage, StageStatus, StageTask, TaskStatus
from programmes.services import (
    ProgrammeError,
    sign_off_record,
    stage_status_set,
    task_save,
    task_status_set,
)
from programmes.timeline import STAGES

from .. import factories
from ..urls import programme_url


@pytest.mark.django_db
def test_timeline_shows_every_stage_with_its_status(client, programme, people):
    Stage.objects.filter(programme=programme, number=1).update(status=StageStatus.DONE)
    client.force_login(people["junior"])
    html = client.get(programme_url("programmes:timeline", programme)).content.decode()
    for stage in STAGES:
        assert stage.name in html
    assert "Done" in html
    assert "Now at stage 2" in html
    assert "Save" not in html  # a participant reads the timeline but cannot change it


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
    response = client.post(
        programme_url("programmes:stage_status", programme, stage1.pk), {"status": "done"}
    )
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
def test_coordinator_sets_a_stage_status_and_others_cannot(client, programme, people):
    stage = Stage.objects.get(programme=programme, number=3)
    client.force_login(people["executive"])
    assert (
        client.post(
            programme_url("programmes:stage_status", programme, stage.pk), {"status": "done"}
        ).status_code
        == 403
    )
    client.force_login(people["coordinator"])
    client.post(
        programme_url("programmes:stage_status", programme, stage.pk), {"status": "in_progress"}
    )
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS
    client.post(
        programme_url("programmes:stage_status", programme, stage.pk), {"status": "nonsense"}
    )
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_stage_of_another_programme_is_not_found(client, org, programme, coordinator):
    other = factories.programme(org)
    foreign_stage = Stage.objects.filter(programme=other).first()
    client.force_login(coordinator)
    assert (
        client.post(
            programme_url("programmes:stage_status", programme, foreign_stage.pk),
            {"status": "done"},
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_tasks_are_added_edited_and_removed_with_a_person_or_a_role(client, programme, people):
    stage = Stage.objects.get(programme=programme, number=3)
    client.force_login(people["coordinator"])
    missing = client.post(
        programme_url("programmes:task_add", programme, stage.pk), {"new-title": ""}
    )
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    client.post(
        programme_url("programmes:task_add", programme, stage.pk),
        {
            "new-title": "Brief line managers",
            "new-responsible": f"user:{people['supervisor'].pk}",
            "new-due_date": "2027-01-15",
        },
    )
    task = StageTask.objects.get(title="Brief line managers")
    assert task.responsible_user == people["supervisor"] and task.due_pinned
    client.post(
        programme_url("programmes:task_edit", programme, task.pk),
        {f"task-{task.pk}-title": "Brief managers", f"task-{task.pk}-responsible": "role:steering"},
    )
    task.refresh_from_db()
    assert (task.title, task.responsible_role, task.responsible_user) == (
        "Brief managers",
        "steering",
        None,
    )
    assert task.due_date == stage.planned_end and not task.due_pinned
    client.post(programme_url("programmes:task_remove", programme, task.pk))
    assert not StageTask.objects.filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_task_from_another_organisation_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    their_task = StageTask.objects.filter(programme=theirs).first()
    client.force_login(coordinator)
    response = client.post(
        programme_url("programmes:task_status", programme, their_task.pk), {"status": "done"}
    )
    assert response.status_code == 404
    their_task.refresh_from_db()
    assert their_task.status == TaskStatus.TODO


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
        response = client.post(
            programme_url("programmes:task_status", programme, task.pk), {"status": "done"}
        )
    finally:
        pre_save.disconnect(removed_meanwhile, sender=StageTask)
    assert response.status_code == 404
    assert "changed or removed while you were working on it" in response.content.decode()


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

    timeline = client.get(programme_url("programmes:timeline", programme)).content.decode()
    classes = {
        number: css
        for css, number in re.findall(
            r'class="timeline-stage ([^"]*)"\s*(?:aria-current="step")?\s*id="stage-(\d+)"',
            timeline,
        )
    }
    assert "is-overdue" in classes["1"] and "is-overdue" not in classes["2"]

    checklist = client.get(programme_url("programmes:stage", programme, stage.pk)).content.decode()
    rows = re.findall(r'<tr data-testid="task">(.*?)</tr>', checklist, re.S)
    late = next(row for row in rows if "Late thing" in row)
    finished = next(row for row in rows if "Done thing" in row)
    assert "Overdue" in late and "Overdue" not in finished
