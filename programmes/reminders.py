"""What the programme reminds people of: stages about to start and tasks overdue. Registered with
notifications in ProgrammesConfig.ready."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from notifications.due import AddDays, Due, mark_of
from notifications.models import Reminder
from notifications.registry import ReminderKind, SweepContext, local_morning
from organisations.emails import absolute_url
from organisations.models import Organisation
from organisations.roles import Role

from .models import ProgrammeMember, Stage, StageStatus, StageTask, TaskStatus

PeopleByRole = dict[tuple[int, str], list[int]]
# Reminders about dates: forgotten when the dates or the tasks change (services.timeline).
DATE_REMINDER_KEYS = ("stage-start:", "task-overdue:")


def programme_topic(programme_id: int) -> str:
    return f"programme:{programme_id}"


def programme_topic_of(programme_id: str) -> Concat:
    """`programme_topic` worked out in a query, from the path to the programme's id."""
    return Concat(Value("programme:"), Cast(programme_id, CharField()), output_field=CharField())


def stages_starting(due: Due) -> QuerySet[Stage]:
    """Stages not yet begun that start within their programme's lead time, by start date."""
    today = due.today()
    return (
        Stage.objects.filter(
            status=StageStatus.NOT_STARTED,
            planned_start__gte=today,
            planned_start__lte=AddDays(today, F("programme__reminder_lead_days")),
        )
        .select_related("programme")
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("stage-start", "pk", "planned_start"),
        )
    )


def tasks_overdue(due: Due) -> QuerySet[StageTask]:
    """Tasks not done whose due date has passed, by due date."""
    return (
        StageTask.objects.filter(due_date__lt=due.today())
        .exclude(status=TaskStatus.DONE)
        .select_related("programme", "stage")
        .annotate(
            topic=programme_topic_of("programme_id"),
            mark=mark_of("task-overdue", "pk", "due_date"),
        )
    )


def programme_reminder_kinds() -> list[ReminderKind]:
    organisation = "programme__organisation"
    return [
        ReminderKind(organisation=organisation, due=stages_starting, produce=_stage_starts),
        ReminderKind(organisation=organisation, due=tasks_overdue, produce=_overdue_tasks),
    ]


def _people_by_programme_role(organisation: Organisation) -> PeopleByRole:
    people: PeopleByRole = defaultdict(list)
    rows = ProgrammeMember.objects.filter(programme__organisation=organisation).values_list(
        "programme_id", "role", "user_id"
    )
    for programme_id, role, user_id in rows:
        people[(programme_id, role)].append(user_id)
    return people


def _responsible(task: StageTask, people: PeopleByRole) -> list[int]:
    """A task's person, or everyone holding its role; a task with no owner falls to coordinators."""
    if task.responsible_user_id:
        return [task.responsible_user_id]
    role = task.responsible_role or Role.COORDINATOR
    return people.get((task.programme_id, role), [])


def _stage_starts(context: SweepContext, stages: Sequence[Stage]) -> list[Reminder]:
    """Before a stage starts: its coordinators and everyone responsible for one of its tasks."""
    organisation, today = context.organisation, context.today
    people = _people_by_programme_role(organisation)
    tasks: dict[int, list[StageTask]] = defaultdict(list)
    for task in StageTask.objects.filter(stage__in=[stage.pk for stage in stages]):
        tasks[task.stage_id].append(task)
    reminders = []
    for stage in sorted(stages, key=lambda stage: (stage.planned_start, stage.pk)):
        programme = stage.programme
        url = absolute_url(reverse("programmes:timeline", args=[organisation.slug, programme.pk]))
        recipients = set(people.get((programme.pk, Role.COORDINATOR), []))
        for task in tasks[stage.pk]:
            recipients.update(_responsible(task, people))
        due_day = max(today, stage.planned_start - timedelta(days=programme.reminder_lead_days))
        for user_id in sorted(recipients):
            reminders.append(
                context.reminder(
                    stage,
                    user_id,
                    subject=f"{programme.name}: stage {stage} starts on "
                    f"{stage.planned_start:%-d %B %Y}",
                    body=stage.summary,
                    url=url,
                    due_at=local_morning(due_day, organisation),
                )
            )
    return reminders


def _overdue_tasks(context: SweepContext, tasks: Sequence[StageTask]) -> list[Reminder]:
    """The day after a task falls due undone, the people responsible for it hear about it."""
    organisation = context.organisation
    people = _people_by_programme_role(organisation)
    reminders = []
    for task in sorted(tasks, key=lambda task: (task.due_date, task.pk)):
        # Participants do not see the project plan; their tasks point at the timeline.
        for_participants = task.responsible_role == Role.PARTICIPANT
        path = reverse(
            "programmes:timeline" if for_participants else "programmes:plan",
            args=[organisation.slug, task.programme_id],
        )
        url = absolute_url(path if for_participants else f"{path}?stage={task.stage.number}")
        body = (
            f"Stage {task.stage}. Let your coordinator know if something is in the way."
            if for_participants
            else f"Stage {task.stage}. Mark it done in the project plan, or move its date."
        )
        for user_id in _responsible(task, people):
            reminders.append(
                context.reminder(
                    task,
                    user_id,
                    subject=f"{task.programme.name}: “{task.title}” was due on "
                    f"{task.due_date:%-d %B %Y}",
                    body=body,
                    url=url,
                    due_at=local_morning(task.due_date + timedelta(days=1), organisation),
                )
            )
    return reminders
