"""Moving dates, and keeping each stage's status in step with its checklist."""

from datetime import date, time

from django.db import transaction
from django.utils import timezone

from organisations.models import User

from ..models import (
    CommissioningSignOff,
    GroupSession,
    Programme,
    Stage,
    StageStatus,
    StageTask,
    TaskStatus,
)
from ..timeline import StageDates, replan, status_from_tasks
from .programme import ProgrammeError, group_session_dates
from .reminders import reminders_forget_unsent

SIGN_OFF_REQUIRED = "Stage 1 can be marked done only once the top team's sign-off is recorded."


@transaction.atomic
def programme_anchors_set(
    *,
    programme: Programme,
    commissioning_start: date,
    relationships_start: date,
    group_sessions: int,
) -> Programme:
    """Move the anchors: every date not set by hand follows, hand-set dates stay where they are."""
    if relationships_start <= commissioning_start:
        raise ProgrammeError("Relationships must start after commissioning does.")
    programme.start_date = commissioning_start
    programme.relationships_start = relationships_start
    programme.group_sessions = group_sessions
    programme.save(update_fields=["start_date", "relationships_start", "group_sessions"])
    _replan_stages(programme)
    _replan_group_sessions(programme)
    return programme


def _replan_stages(programme: Programme) -> None:
    stages = list(Stage.objects.filter(programme=programme).order_by("number"))
    current = [
        StageDates(s.number, s.planned_start, s.planned_end, s.start_pinned, s.end_pinned)
        for s in stages
    ]
    planned = replan(
        current, programme.start_date, programme.relationships_start, programme.group_sessions
    )
    for stage, dates in zip(stages, planned, strict=True):
        stage.planned_start, stage.planned_end = dates.start, dates.end
    Stage.objects.bulk_update(stages, ["planned_start", "planned_end"])
    _tasks_follow_stage_ends(programme)
    reminders_forget_unsent(programme=programme)


def _tasks_follow_stage_ends(programme: Programme) -> None:
    tasks = list(
        StageTask.objects.filter(programme=programme, due_pinned=False).select_related("stage")
    )
    for task in tasks:
        task.due_date = task.stage.planned_end
    StageTask.objects.bulk_update(tasks, ["due_date"])


def _replan_group_sessions(programme: Programme) -> None:
    """Unpinned sessions follow the relationships start; the series grows or shrinks to fit."""
    wanted = group_session_dates(programme.relationships_start, programme.group_sessions)
    existing = {s.sequence: s for s in GroupSession.objects.filter(programme=programme)}
    for sequence, (stage_number, day) in enumerate(wanted, start=1):
        session = existing.pop(sequence, None)
        if session is None:
            GroupSession.objects.create(
                programme=programme, stage_number=stage_number, sequence=sequence, date=day
            )
        elif not session.date_pinned and session.date != day:
            session.date = day
            session.save(update_fields=["date"])
    GroupSession.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()


@transaction.atomic
def stage_dates_set(*, stage: Stage, start: date, end: date) -> Stage:
    """Set a stage's dates by hand; a date the coordinator changed no longer follows the anchors."""
    if end < start:
        raise ProgrammeError("A stage cannot end before it starts.")
    stage.start_pinned = stage.start_pinned or start != stage.planned_start
    stage.end_pinned = stage.end_pinned or end != stage.planned_end
    stage.planned_start, stage.planned_end = start, end
    stage.save(update_fields=["planned_start", "planned_end", "start_pinned", "end_pinned"])
    StageTask.objects.filter(stage=stage, due_pinned=False).update(due_date=end)
    reminders_forget_unsent(programme=stage.programme)
    return stage


@transaction.atomic
def stage_dates_reset(*, stage: Stage) -> Stage:
    """Let the stage's dates follow the anchor dates again."""
    stage.start_pinned = stage.end_pinned = False
    stage.save(update_fields=["start_pinned", "end_pinned"])
    _replan_stages(stage.programme)
    stage.refresh_from_db()
    return stage


@transaction.atomic
def sign_off_record(
    *,
    programme: Programme,
    signed_off_by: str,
    signed_off_on: date,
    note: str,
    recorded_by: User,
) -> CommissioningSignOff:
    sign_off, _ = CommissioningSignOff.objects.update_or_create(
        programme=programme,
        defaults={
            "signed_off_by": signed_off_by,
            "signed_off_on": signed_off_on,
            "note": note,
            "recorded_by": recorded_by,
        },
    )
    stage_status_refresh(stage=Stage.objects.get(programme=programme, number=1))
    return sign_off


def stage_status_set(*, stage: Stage, status: str | None) -> Stage:
    """Set the status by hand, or (None) let it follow the stage's tasks again."""
    if status is None:
        Stage.objects.filter(pk=stage.pk).update(status_set_by_hand=False)
        return stage_status_refresh(stage=stage)
    if status == StageStatus.DONE and not _may_finish(stage):
        raise ProgrammeError(SIGN_OFF_REQUIRED)
    _record_finish(stage, StageStatus(status))
    stage.status = StageStatus(status)
    stage.status_set_by_hand = True
    stage.save(update_fields=["status", "status_set_by_hand", "done_at"])
    reminders_forget_unsent(programme=stage.programme)
    return stage


def stage_status_refresh(*, stage: Stage) -> Stage:
    """Unless the coordinator set it, a stage's status is what its tasks say it is."""
    # The caller's copy may be stale.
    stage.refresh_from_db(fields=["status_set_by_hand", "status", "done_at"])
    if not stage.status_set_by_hand:
        statuses = list(StageTask.objects.filter(stage=stage).values_list("status", flat=True))
        status = status_from_tasks(statuses)
        if status == StageStatus.DONE and not _may_finish(stage):
            status = StageStatus.IN_PROGRESS
        _record_finish(stage, StageStatus(status))
        stage.status = status
    stage.save(update_fields=["status", "status_set_by_hand", "done_at"])
    reminders_forget_unsent(programme=stage.programme)  # a task done, or moved, or a stage begun
    return stage


def _record_finish(stage: Stage, status: StageStatus) -> None:
    """The actual finish is when the stage becomes done; undone, it has none."""
    if status != StageStatus.DONE:
        stage.done_at = None
    elif stage.status != StageStatus.DONE or stage.done_at is None:
        stage.done_at = timezone.now()


def _may_finish(stage: Stage) -> bool:
    return (
        stage.number != 1
        or CommissioningSignOff.objects.filter(programme=stage.programme_id).exists()
    )


@transaction.atomic
def task_save(
    *,
    stage: Stage,
    title: str,
    due_date: date | None,
    responsible_user: User | None = None,
    responsible_role: str = "",
    task: StageTask | None = None,
) -> StageTask:
    """Add a task to a stage's checklist, or change one. Without a due date it follows the stage."""
    if responsible_user and responsible_role:
        raise ProgrammeError("A task belongs to one person or to one role, not both.")
    task = task or StageTask(
        programme=stage.programme,
        stage=stage,
        position=StageTask.objects.filter(stage=stage).count(),
    )
    task.title = title.strip()
    task.responsible_user = responsible_user
    task.responsible_role = responsible_role
    task.due_pinned = due_date is not None and due_date != stage.planned_end
    task.due_date = due_date or stage.planned_end
    task.save()
    stage_status_refresh(stage=stage)
    return task


@transaction.atomic
def task_status_set(*, task: StageTask, status: str) -> StageTask:
    was_done = task.status == TaskStatus.DONE
    task.status = TaskStatus(status)
    if task.status != TaskStatus.DONE:
        task.completed_at = None
    elif not was_done:
        task.completed_at = timezone.now()
    task.save(update_fields=["status", "completed_at"])
    stage_status_refresh(stage=task.stage)
    return task


@transaction.atomic
def task_delete(*, task: StageTask) -> None:
    stage = task.stage
    task.delete()
    stage_status_refresh(stage=stage)


def group_session_update(
    *,
    session: GroupSession,
    day: date,
    start_time: time,
    duration_minutes: int,
    location: str,
) -> GroupSession:
    session.date_pinned = session.date_pinned or day != session.date
    session.date = day
    session.start_time = start_time
    session.duration_minutes = duration_minutes
    session.location = location.strip()
    session.save()
    return session
