"""What the programme reminds people of: stages about to start and tasks overdue. Registered with
notifications in ProgrammesConfig.ready."""

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse

from notifications.models import Reminder
from notifications.registry import SweepContext, local_morning
from organisations.emails import absolute_url
from organisations.models import Organisation
from organisations.roles import Role

from .models import Programme, ProgrammeMember, Stage, StageStatus, StageTask, TaskStatus

PeopleByRole = dict[tuple[int, str], list[int]]
# Reminders about dates: forgotten when the dates or the tasks change (services.timeline).
DATE_REMINDER_KEYS = ("stage-start:", "task-overdue:")


def programme_topic(programme_id: int) -> str:
    return f"programme:{programme_id}"


def programme_reminders(context: SweepContext) -> list[Reminder]:
    people = _people_by_programme_role(context.organisation)
    return [
        *_stage_start_reminders(context, people),
        *_overdue_task_reminders(context, people),
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


def _stage_start_reminders(context: SweepContext, people: PeopleByRole) -> list[Reminder]:
    """Before a stage starts: its coordinators and everyone responsible for one of its tasks."""
    organisation, today = context.organisation, context.today
    reminders = []
    for programme in Programme.objects.filter(organisation=organisation):
        horizon = today + timedelta(days=programme.reminder_lead_days)
        stages = Stage.objects.filter(
            programme=programme,
            status=StageStatus.NOT_STARTED,
            planned_start__gte=today,
            planned_start__lte=horizon,
        ).prefetch_related("tasks")
        url = absolute_url(reverse("programmes:timeline", args=[organisation.slug, programme.pk]))
        for stage in stages:
            recipients = set(people.get((programme.pk, Role.COORDINATOR), []))
            for task in stage.tasks.all():
                recipients.update(_responsible(task, people))
            due_day = max(today, stage.planned_start - timedelta(days=programme.reminder_lead_days))
            for user_id in sorted(recipients):
                reminders.append(
                    Reminder(
                        organisation=organisation,
                        topic=programme_topic(programme.pk),
                        recipient_id=user_id,
                        key=f"stage-start:{stage.pk}:{stage.planned_start.isoformat()}:{user_id}",
                        subject=f"{programme.name}: stage {stage} starts on "
                        f"{stage.planned_start:%-d %B %Y}",
                        body=stage.summary,
                        url=url,
                        due_at=local_morning(due_day, organisation),
                    )
                )
    return reminders


def _overdue_task_reminders(context: SweepContext, people: PeopleByRole) -> list[Reminder]:
    """The day after a task falls due undone, the people responsible for it hear about it."""
    organisation = context.organisation
    tasks = (
        StageTask.objects.filter(programme__organisation=organisation, due_date__lt=context.today)
        .exclude(status=TaskStatus.DONE)
        .select_related("programme", "stage")
    )
    reminders = []
    for task in tasks:
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
                Reminder(
                    organisation=organisation,
                    topic=programme_topic(task.programme_id),
                    recipient_id=user_id,
                    key=f"task-overdue:{task.pk}:{task.due_date.isoformat()}:{user_id}",
                    subject=f"{task.programme.name}: “{task.title}” was due on "
                    f"{task.due_date:%-d %B %Y}",
                    body=body,
                    url=url,
                    due_at=local_morning(task.due_date + timedelta(days=1), organisation),
                )
            )
    return reminders
