"""The ten-stage timeline, each stage's checklist, and the project plan across stages."""

import copy
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from organisations.permissions import requires

from ..forms import (
    FOLLOW_TASKS,
    AnchorsForm,
    GroupSessionForm,
    PlanFilterForm,
    StageDatesForm,
    StageStatusForm,
    TaskForm,
    TaskStatusForm,
)
from ..models import GroupSession, Stage, StageTask
from ..permissions import Perm
from ..selectors import (
    current_stage,
    group_sessions,
    initial_training_completion,
    plan_people,
    plan_tasks,
    programme_people,
    stage_tasks,
    timeline_stages,
)
from ..services import (
    ProgrammeError,
    group_session_update,
    programme_anchors_set,
    stage_dates_reset,
    stage_dates_set,
    stage_status_set,
    task_delete,
    task_save,
    task_status_set,
)

PAGE_SIZE = 25


def _today(request: HttpRequest) -> date:
    return timezone.localdate()  # the tenant middleware has switched to the organisation's zone


def _stage(request: HttpRequest, stage_id: int) -> Stage:
    return get_object_or_404(Stage.objects.filter(programme=request.programme), pk=stage_id)


def _task(request: HttpRequest, task_id: int) -> StageTask:
    return get_object_or_404(
        StageTask.objects.filter(programme=request.programme).select_related("stage"), pk=task_id
    )


@requires(Perm.VIEW_PROGRAMME)
def timeline(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    return _render_timeline(request)


def _render_timeline(request: HttpRequest, anchors: AnchorsForm | None = None) -> HttpResponse:
    programme = request.programme
    today = _today(request)
    stages = timeline_stages(programme, today)
    anchors = anchors or AnchorsForm(
        initial={
            "commissioning_start": programme.start_date,
            "relationships_start": programme.relationships_start,
            "group_sessions": programme.group_sessions,
        }
    )
    return render(
        request,
        "programmes/timeline.html",
        {
            "tab": "timeline",
            "stages": stages,
            "current": current_stage(stages),
            "today": today,
            "sessions": group_sessions(programme),
            "training": initial_training_completion(programme),
            "anchors": anchors,
        },
        status=400 if anchors.is_bound and anchors.errors else 200,
    )


@requires(post=Perm.EDIT_PROGRAMME)
def anchors(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    form = AnchorsForm(request.POST)
    if not form.is_valid():
        return _render_timeline(request, anchors=form)
    data = form.cleaned_data
    programme_anchors_set(
        programme=request.programme,
        commissioning_start=data["commissioning_start"],
        relationships_start=data["relationships_start"],
        group_sessions=data["group_sessions"],
    )
    messages.success(request, "Dates moved. Dates you set by hand stayed where they were.")
    return redirect("programmes:timeline", org_slug=org_slug, programme_id=programme_id)


@requires(Perm.VIEW_SETUP)
def stage_detail(
    request: HttpRequest, org_slug: str, programme_id: int, stage_id: int
) -> HttpResponse:
    return _render_stage(request, _stage(request, stage_id))


@dataclass(frozen=True)
class TaskRow:
    """A checklist task as the stage page and the plan show it."""

    task: StageTask
    overdue: bool
    form: TaskForm | None = None  # the stage page's form to edit it


def _render_stage(request: HttpRequest, stage: Stage, **forms: object) -> HttpResponse:
    people = list(programme_people(request.programme))
    today = _today(request)
    editing = forms.pop("editing", None)
    tasks = [
        TaskRow(
            task,
            task.is_overdue(today),
            editing
            if editing and editing.prefix == f"task-{task.pk}"
            else TaskForm.for_task(task, people),
        )
        for task in stage_tasks(stage)
    ]
    context = {
        "tab": "timeline",
        "stage": stage,
        "tasks": tasks,
        "today": today,
        "dates_form": StageDatesForm(
            initial={"start": stage.planned_start, "end": stage.planned_end}
        ),
        "status_form": StageStatusForm(
            initial={"status": stage.status if stage.status_set_by_hand else FOLLOW_TASKS}
        ),
        "task_form": TaskForm(people=people, prefix="new"),
        "task_status_choices": TaskStatusForm.base_fields["status"].choices,
        "sessions": group_sessions(request.programme).filter(stage_number=stage.number),
        "training": initial_training_completion(request.programme) if stage.number == 4 else None,
        **forms,
    }
    bound_errors = any(getattr(f, "is_bound", False) and f.errors for f in forms.values())
    return render(
        request, "programmes/stage.html", context, status=400 if bound_errors or editing else 200
    )


def _back_to_stage(stage: Stage, org_slug: str) -> HttpResponse:
    return redirect(
        "programmes:stage", org_slug=org_slug, programme_id=stage.programme_id, stage_id=stage.pk
    )


@requires(post=Perm.EDIT_PROGRAMME)
def stage_status(
    request: HttpRequest, org_slug: str, programme_id: int, stage_id: int
) -> HttpResponse:
    stage = _stage(request, stage_id)
    form = StageStatusForm(request.POST)
    if not form.is_valid():
        return _render_stage(request, stage, status_form=form)
    chosen = form.cleaned_data["status"]
    try:
        stage_status_set(stage=stage, status=None if chosen == FOLLOW_TASKS else chosen)
    except ProgrammeError as error:
        form.add_error("status", str(error))
        return _render_stage(request, stage, status_form=form)
    messages.success(request, f"Stage {stage} is now “{stage.get_status_display()}”.")
    if request.POST.get("next") == "timeline":
        return redirect("programmes:timeline", org_slug=org_slug, programme_id=programme_id)
    return _back_to_stage(stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def stage_dates(
    request: HttpRequest, org_slug: str, programme_id: int, stage_id: int
) -> HttpResponse:
    stage = _stage(request, stage_id)
    form = StageDatesForm(request.POST)
    if not form.is_valid():
        return _render_stage(request, stage, dates_form=form)
    stage_dates_set(stage=stage, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    messages.success(request, f"Dates of stage {stage} saved; they no longer follow the anchors.")
    return _back_to_stage(stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def stage_dates_follow(
    request: HttpRequest, org_slug: str, programme_id: int, stage_id: int
) -> HttpResponse:
    stage = _stage(request, stage_id)
    stage_dates_reset(stage=stage)
    messages.success(request, f"Stage {stage} follows the anchor dates again.")
    return _back_to_stage(stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def task_add(request: HttpRequest, org_slug: str, programme_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, stage_id)
    form = TaskForm(request.POST, people=list(programme_people(request.programme)), prefix="new")
    if not form.is_valid():
        return _render_stage(request, stage, task_form=form)
    task_save(
        stage=stage,
        title=form.cleaned_data["title"],
        due_date=form.cleaned_data["due_date"],
        **form.owner(),
    )
    messages.success(request, f"“{form.cleaned_data['title']}” added to stage {stage.number}.")
    return _back_to_stage(stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def task_edit(request: HttpRequest, org_slug: str, programme_id: int, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = TaskForm(
        request.POST, people=list(programme_people(request.programme)), prefix=f"task-{task.pk}"
    )
    if not form.is_valid():
        return _render_stage(request, task.stage, editing=form)
    task_save(
        stage=task.stage,
        task=task,
        title=form.cleaned_data["title"],
        due_date=form.cleaned_data["due_date"],
        **form.owner(),
    )
    messages.success(request, f"“{task.title}” saved.")
    return _back_to_stage(task.stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def task_status(
    request: HttpRequest, org_slug: str, programme_id: int, task_id: int
) -> HttpResponse:
    task = _task(request, task_id)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        task_status_set(task=task, status=form.cleaned_data["status"])
        messages.success(request, f"“{task.title}”: {task.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose one of the listed statuses.")
    if request.POST.get("next") == "plan":
        # Back to the same filtered page of the plan; only a query string is taken from the form.
        query = QueryDict(request.POST.get("plan_query", "")).urlencode()
        url = reverse("programmes:plan", args=[org_slug, programme_id])
        return redirect(f"{url}?{query}" if query else url)
    return _back_to_stage(task.stage, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def task_remove(
    request: HttpRequest, org_slug: str, programme_id: int, task_id: int
) -> HttpResponse:
    task = _task(request, task_id)
    stage = task.stage
    task_delete(task=task)
    messages.success(request, f"“{task.title}” removed from stage {stage.number}.")
    return _back_to_stage(stage, org_slug)


@requires(Perm.EDIT_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def group_session_edit(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    session = get_object_or_404(
        GroupSession.objects.filter(programme=request.programme), pk=session_id
    )
    # The form checks a copy: the service compares the new date with the saved one.
    form = GroupSessionForm(request.POST or None, instance=copy.copy(session))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group_session_update(
            session=session,
            day=data["date"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
        )
        messages.success(request, f"{session} saved.")
        return redirect("programmes:timeline", org_slug=org_slug, programme_id=programme_id)
    return render(
        request,
        "programmes/group_session.html",
        {"tab": "timeline", "session": session, "form": form},
        status=400 if form.errors else 200,
    )


@requires(Perm.VIEW_SETUP)
def plan(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Every task across the stages: what, by whom, when; filterable, overdue ones marked."""
    today = _today(request)
    filters = PlanFilterForm(request.GET or None, people=plan_people(request.programme))
    criteria = filters.criteria()
    tasks = plan_tasks(
        request.programme,
        person=criteria.get("person"),
        stage=criteria.get("stage"),
        status=criteria.get("status", ""),
        overdue_on=today if criteria.get("overdue") else None,
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/plan.html",
        {
            "tab": "plan",
            "filters": filters,
            "page": page,
            "rows": [TaskRow(task, task.is_overdue(today)) for task in page],
            "today": today,
            "task_status_choices": TaskStatusForm.base_fields["status"].choices,
        },
    )
